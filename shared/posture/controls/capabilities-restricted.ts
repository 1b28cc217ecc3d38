import { addedCapabilities, droppedCapabilities } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

// Restricted: drop ALL; add nothing but NET_BIND_SERVICE.
export const capabilitiesRestricted: Control = {
  id: "VANTAGE-K8S-CAPABILITIES-DROP-ALL",
  title: "Containers must drop ALL capabilities (adding only NET_BIND_SERVICE)",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Least privilege: a process that needs no capability should hold none, so a compromise gains nothing from the runtime's default set.",
  remediation: "Set capabilities.drop: [ALL] and add back only NET_BIND_SERVICE when binding ports below 1024.",
  references: { cisAks: "4.2.8", kubescape: "C-0201", pss: "restricted", defender: "Least privileged Linux capabilities should be enforced for containers" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const problems: string[] = [];
      if (!droppedCapabilities(c).includes("ALL")) problems.push("capabilities.drop does not include ALL");
      const extra = addedCapabilities(c).filter((x) => x !== "NET_BIND_SERVICE");
      if (extra.length) problems.push(`capabilities.add: ${extra.join(", ")}`);
      const keep = addedCapabilities(c).filter((x) => x === "NET_BIND_SERVICE");
      return problems.length ? { detail: problems.join("; "), fix: containerPatch(unit.ref.kind, c, { securityContext: { capabilities: { drop: ["ALL"], ...(keep.length ? { add: keep } : { add: [] }) } } }) } : undefined;
    }),
};
