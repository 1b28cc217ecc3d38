import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const securityContext: Control = {
  id: "VANTAGE-K8S-SECURITY-CONTEXT",
  title: "Pods and containers should declare a security context",
  severity: "low",
  category: "Pod security",
  scope: "container",
  rationale: "Without any securityContext every hardening default (user, privilege escalation, capabilities, seccomp) is left to the image and the runtime.",
  remediation: "Declare a securityContext with runAsNonRoot, allowPrivilegeEscalation: false, capabilities.drop: [ALL] and seccompProfile RuntimeDefault.",
  references: { cisAks: "4.7.2", kubescape: "C-0211" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) =>
      Object.keys(c.securityContext ?? {}).length || Object.keys(pod.securityContext ?? {}).length
        ? undefined
        : {
            detail: "neither the pod nor the container sets a securityContext",
            fix: containerPatch(unit.ref.kind, c, { securityContext: { runAsNonRoot: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, seccompProfile: { type: "RuntimeDefault" } } }),
          },
    ),
};
