import { hostPathConcern } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { judgePods, removeVolumesPatch } from "../resources.js";

// Judged by the same hostPathConcern() as the graph's "sensitive-host-path" insight.
export const sensitiveHostPath: Control = {
  id: "VANTAGE-K8S-SENSITIVE-HOST-PATH",
  title: "Pods must not mount sensitive host directories",
  severity: "high",
  category: "Host isolation",
  scope: "workload",
  rationale: "/, /etc, /proc, /var/lib/kubelet, the runtime's state and node logs hold node credentials or give code execution on the node.",
  remediation: "Remove the hostPath volume, or narrow it to a harmless directory mounted read-only.",
  references: {},
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const bad = pod.volumes.filter((v) => v.type === "hostPath" && v.hostPath && hostPathConcern(v.hostPath.path));
      return bad.length ? { detail: bad.map((v) => `volume ${v.name}: hostPath ${v.hostPath!.path} (${hostPathConcern(v.hostPath!.path)})`).join("; "), fix: removeVolumesPatch(unit.ref.kind, pod, bad.map((v) => v.name)) } : undefined;
    }),
};
