import { effective } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

// Pod Security Standards, restricted, "Running as Non-root": runAsNonRoot must be true, on the pod
// or on every container (a container's explicit false overrides the pod's true).
export const pssRunAsNonRoot: Control = {
  id: "VANTAGE-K8S-RUN-AS-NON-ROOT",
  title: "Containers must set runAsNonRoot: true",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "runAsNonRoot makes the kubelet refuse to start a container whose user resolves to UID 0, whatever the image says.",
  remediation: "Set securityContext.runAsNonRoot: true on the pod (or on every container).",
  references: { pss: "restricted" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) =>
      effective(pod, c, "runAsNonRoot") === true
        ? undefined
        : { detail: `runAsNonRoot is ${c.securityContext?.runAsNonRoot === false ? "false" : "not set"}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { runAsNonRoot: true } }) },
    ),
};
