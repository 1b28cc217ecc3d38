import { dangerousCapabilities } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

// The same list the graph's "dangerous-capabilities" insight uses.
export const dangerousCapabilitiesControl: Control = {
  id: "VANTAGE-K8S-DANGEROUS-CAPABILITIES",
  title: "Containers must not add capabilities that break isolation",
  severity: "high",
  category: "Pod security",
  scope: "container",
  rationale: "SYS_ADMIN, SYS_MODULE, SYS_PTRACE, NET_ADMIN, DAC_READ_SEARCH and their kind give known container escapes or node network control.",
  remediation: "Remove the capability; if a component truly needs one, isolate it on dedicated nodes and record an exception.",
  references: { kubescape: "C-0046" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const caps = dangerousCapabilities(c);
      return caps.length ? { detail: `capabilities.add: ${caps.join(", ")}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { capabilities: { drop: ["ALL"] } } }) } : undefined;
    }),
};
