import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const readOnlyRootFilesystem: Control = {
  id: "VANTAGE-K8S-READ-ONLY-ROOT-FILESYSTEM",
  title: "Containers should run with a read-only root filesystem",
  severity: "low",
  category: "Pod security",
  scope: "container",
  rationale: "A writable root filesystem lets an intruder drop tools and persist in the container; an immutable one forces writes into declared volumes.",
  remediation: "Set readOnlyRootFilesystem: true and mount an emptyDir where the process must write (e.g. /tmp).",
  references: { kubescape: "C-0017", defender: "Immutable (read-only) root filesystem should be enforced for containers" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) =>
      c.securityContext?.readOnlyRootFilesystem === true ? undefined : { detail: "readOnlyRootFilesystem is not true", fix: containerPatch(unit.ref.kind, c, { securityContext: { readOnlyRootFilesystem: true } }) },
    ),
};
