import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

export const hostProcess: Control = {
  id: "VANTAGE-K8S-HOST-PROCESS",
  title: "Windows pods must not run HostProcess containers",
  severity: "critical",
  category: "Host isolation",
  scope: "workload",
  rationale: "A HostProcess container runs directly on the Windows node with its privileges.",
  remediation: "Remove windowsOptions.hostProcess.",
  references: { kubescape: "C-0202", pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const where = [pod.securityContext?.windowsHostProcess ? "pod" : "", ...pod.containers.filter((c) => c.securityContext?.windowsHostProcess).map((c) => `container ${c.name}`)].filter(Boolean);
      return where.length ? { detail: `windowsOptions.hostProcess: true on ${where.join(", ")}`, fix: podPatch(unit.ref.kind, { securityContext: { windowsOptions: { hostProcess: false } } }) } : undefined;
    }),
};
