import type { Control } from "../model.js";
import { judgePods, removeVolumesPatch } from "../resources.js";

export const hostPath: Control = {
  id: "VANTAGE-K8S-HOST-PATH",
  title: "Pods should not use hostPath volumes",
  severity: "medium",
  category: "Host isolation",
  scope: "workload",
  rationale: "Any hostPath couples the pod to the node's filesystem; the baseline profile forbids them outright.",
  remediation: "Replace hostPath with emptyDir, a ConfigMap/Secret, or a PersistentVolumeClaim; keep node agents in an exempted namespace.",
  references: { kubescape: "C-0048", pss: "baseline", defender: "Usage of pod HostPath volume mounts should be restricted to a known list" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const bad = pod.volumes.filter((v) => v.type === "hostPath");
      return bad.length ? { detail: bad.map((v) => `volume ${v.name}: hostPath ${v.hostPath?.path ?? "?"}`).join("; "), fix: removeVolumesPatch(unit.ref.kind, pod, bad.map((v) => v.name)) } : undefined;
    }),
};
