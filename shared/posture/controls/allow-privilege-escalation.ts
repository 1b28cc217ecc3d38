import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const allowPrivilegeEscalation: Control = {
  id: "VANTAGE-K8S-ALLOW-PRIVILEGE-ESCALATION",
  title: "Containers must set allowPrivilegeEscalation: false",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Unless it is false, setuid binaries and file capabilities let a process gain more privileges than its parent (no_new_privs is not set).",
  remediation: "Set securityContext.allowPrivilegeEscalation: false on every container.",
  references: { cisAks: "4.2.5", kubescape: "C-0016", pss: "restricted", defender: "Container with privilege escalation should be avoided" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const v = c.securityContext?.allowPrivilegeEscalation;
      if (v === false) return undefined;
      return { detail: v === true ? "allowPrivilegeEscalation: true" : "allowPrivilegeEscalation not set (defaults to true)", fix: containerPatch(unit.ref.kind, c, { securityContext: { allowPrivilegeEscalation: false } }) };
    }),
};
