import type { VolumeInfo } from "../../kubernetes/model.js";
import type { Control } from "../model.js";
import { judgePods, removeVolumesPatch } from "../resources.js";

const ALLOWED = new Set(["configMap", "csi", "downwardAPI", "emptyDir", "persistentVolumeClaim", "projected", "secret"]);

function kindOf(v: VolumeInfo): string {
  return v.type === "other" ? (v.source ?? "unknown") : v.type;
}

export const volumeTypes: Control = {
  id: "VANTAGE-K8S-VOLUME-TYPES",
  title: "Pods must use only the volume types of the restricted profile",
  severity: "medium",
  category: "Pod security",
  scope: "workload",
  rationale: "Inline volume sources (nfs, azureFile, gitRepo, hostPath, …) bypass PersistentVolume administration and can reach host or network storage directly.",
  remediation: "Use configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected or secret volumes.",
  references: { pss: "restricted" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const bad = pod.volumes.filter((v) => !ALLOWED.has(kindOf(v)) && kindOf(v) !== "ephemeral");
      return bad.length ? { detail: bad.map((v) => `volume ${v.name}: ${kindOf(v)}`).join("; "), fix: removeVolumesPatch(unit.ref.kind, pod, bad.map((v) => v.name)) } : undefined;
    }),
};
