import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const resourceLimits: Control = {
  id: "VANTAGE-K8S-RESOURCE-LIMITS",
  title: "Containers must set CPU and memory limits",
  severity: "medium",
  category: "Resource management",
  scope: "container",
  rationale: "Without limits one container can starve the node (a denial of service for every pod on it) or hide crypto-mining.",
  remediation: "Set resources.limits.cpu and resources.limits.memory sized to the workload.",
  references: { kubescape: "C-0009", defender: "Container CPU and memory limits should be enforced" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      if (c.kind === "ephemeral") return undefined; // ephemeral containers cannot have resources
      const limits = c.resources?.limits ?? {};
      const missing = ["cpu", "memory"].filter((k) => !limits[k]);
      return missing.length ? { detail: `no ${missing.join(" or ")} limit`, fix: containerPatch(unit.ref.kind, c, { resources: { limits: { ...(limits.cpu ? {} : { cpu: "500m" }), ...(limits.memory ? {} : { memory: "256Mi" }) } } }) } : undefined;
    }),
};
