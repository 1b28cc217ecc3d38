import { effective, runsAsRoot } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const runAsRoot: Control = {
  id: "VANTAGE-K8S-RUN-AS-ROOT",
  title: "Containers must not run as root",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Root in a container is one kernel bug or one mis-mounted path away from root on the node. Without runAsUser or runAsNonRoot the image's USER applies, and images default to root.",
  remediation: "Set runAsNonRoot: true and a non-zero runAsUser (pod or container securityContext), and build the image with a non-root USER.",
  references: { cisAks: "4.2.6", kubescape: "C-0013", defender: "Running containers as root user should be avoided" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      if (!runsAsRoot(pod, c)) return undefined;
      const uid = effective(pod, c, "runAsUser");
      return {
        detail: uid === 0 ? "runAsUser: 0" : "neither runAsUser nor runAsNonRoot: the image's user (root by default) applies",
        fix: containerPatch(unit.ref.kind, c, { securityContext: { runAsNonRoot: true, runAsUser: 10001 } }),
      };
    }),
};
