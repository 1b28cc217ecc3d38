import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const seccompUnconfined: Control = {
  id: "VANTAGE-K8S-SECCOMP-UNCONFINED",
  title: "Pods must not set the Unconfined seccomp profile",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Unconfined seccomp exposes every system call, including those behind most kernel container escapes.",
  remediation: "Use seccompProfile type RuntimeDefault (or a Localhost profile).",
  references: { pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      const where = c.securityContext?.seccompProfile === "Unconfined" ? "container" : pod.securityContext?.seccompProfile === "Unconfined" && c.securityContext?.seccompProfile === undefined ? "pod" : undefined;
      return where ? { detail: `seccompProfile Unconfined on the ${where}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }) } : undefined;
    }),
};
