import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

export const hostIPC: Control = {
  id: "VANTAGE-K8S-HOST-IPC",
  title: "Pods must not share the host's IPC namespace",
  severity: "medium",
  category: "Host isolation",
  scope: "workload",
  rationale: "The host IPC namespace exposes the node's shared memory and message queues to the container.",
  remediation: "Remove hostIPC (or set it to false).",
  references: { cisAks: "4.2.3", kubescape: "C-0038", pss: "baseline", defender: "Containers sharing sensitive host namespaces should be avoided" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => (pod.hostIPC ? { detail: "hostIPC: true", fix: podPatch(unit.ref.kind, { hostIPC: false }) } : undefined)),
};
