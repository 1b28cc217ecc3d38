import { addedCapabilities } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const addedCapabilitiesControl: Control = {
  id: "VANTAGE-K8S-ADDED-CAPABILITIES",
  title: "Containers should not add Linux capabilities",
  severity: "medium",
  category: "Pod security",
  scope: "container",
  rationale: "Every added capability widens what a compromised process can do to the kernel and the node.",
  remediation: "Remove capabilities.add, or justify each capability with an exception.",
  references: { cisAks: "4.2.7", kubescape: "C-0219" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const add = addedCapabilities(c);
      return add.length ? { detail: `capabilities.add: ${add.join(", ")}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { capabilities: { add: [], drop: ["ALL"] } } }) } : undefined;
    }),
};
