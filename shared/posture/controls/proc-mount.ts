import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const procMount: Control = {
  id: "VANTAGE-K8S-PROC-MOUNT",
  title: "Containers must use the default /proc mount",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "procMount: Unmasked exposes the host's /proc paths the runtime masks by default.",
  remediation: "Remove procMount (or set it to Default).",
  references: { pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const m = c.securityContext?.procMount;
      return m === undefined || m === "Default" ? undefined : { detail: `procMount: ${m}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { procMount: "Default" } }) };
    }),
};
