import { isPrivileged } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const privileged: Control = {
  id: "VANTAGE-K8S-PRIVILEGED",
  title: "Containers must not run privileged",
  severity: "critical",
  category: "Pod security",
  scope: "container",
  rationale: "A privileged container has every capability and the host's devices: root in it is root on the node.",
  remediation: "Remove securityContext.privileged (or set it to false); grant only the specific capabilities the process needs.",
  references: { cisAks: "4.2.1", kubescape: "C-0057", pss: "baseline", defender: "Privileged containers should be avoided" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) =>
      isPrivileged(c) ? { detail: "securityContext.privileged: true", fix: containerPatch(unit.ref.kind, c, { securityContext: { privileged: false } }) } : undefined,
    ),
};
