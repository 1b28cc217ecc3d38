import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

export const hostPID: Control = {
  id: "VANTAGE-K8S-HOST-PID",
  title: "Pods must not share the host's PID namespace",
  severity: "high",
  category: "Host isolation",
  scope: "workload",
  rationale: "The host PID namespace shows every process on the node (and their environment) and lets a privileged process enter them.",
  remediation: "Remove hostPID (or set it to false).",
  references: { cisAks: "4.2.2", kubescape: "C-0038", pss: "baseline", defender: "Containers sharing sensitive host namespaces should be avoided" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => (pod.hostPID ? { detail: "hostPID: true", fix: podPatch(unit.ref.kind, { hostPID: false }) } : undefined)),
};
