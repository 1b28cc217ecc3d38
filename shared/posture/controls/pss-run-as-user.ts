import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

// Pod Security Standards, restricted, "Running as Non-root user": runAsUser must not be 0 (pod or container).
export const pssRunAsUser: Control = {
  id: "VANTAGE-K8S-RUN-AS-USER-ZERO",
  title: "Containers must not set runAsUser: 0",
  severity: "high",
  category: "Pod security",
  scope: "container",
  rationale: "An explicit runAsUser: 0 runs the process as root regardless of the image.",
  remediation: "Set runAsUser to a non-zero UID (or remove it and build the image with a non-root USER).",
  references: { pss: "restricted" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      const where = c.securityContext?.runAsUser === 0 ? "container" : c.securityContext?.runAsUser === undefined && pod.securityContext?.runAsUser === 0 ? "pod" : undefined;
      return where ? { detail: `runAsUser: 0 on the ${where}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { runAsUser: 10001 } }) } : undefined;
    }),
};
