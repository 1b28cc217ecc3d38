import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const seccompRequired: Control = {
  id: "VANTAGE-K8S-SECCOMP-REQUIRED",
  title: "Containers must run with the RuntimeDefault or a Localhost seccomp profile",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Without a profile the container runs Unconfined on most runtimes; RuntimeDefault blocks the rarely needed system calls escapes rely on.",
  remediation: "Set securityContext.seccompProfile.type: RuntimeDefault on the pod.",
  references: { kubescape: "C-0210", pss: "restricted" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      const p = c.securityContext?.seccompProfile ?? pod.securityContext?.seccompProfile;
      if (p === "RuntimeDefault" || p?.startsWith("Localhost")) return undefined;
      return { detail: p ? `seccompProfile ${p}` : "no seccompProfile (the runtime runs it Unconfined)", fix: containerPatch(unit.ref.kind, c, { securityContext: { seccompProfile: { type: "RuntimeDefault" } } }) };
    }),
};
