import { addedCapabilities } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

/** Pod Security Standards baseline: capabilities that may be added (the container runtime's default set). */
export const BASELINE_CAPABILITIES = ["AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT"];

export const capabilitiesBaseline: Control = {
  id: "VANTAGE-K8S-CAPABILITIES-BASELINE",
  title: "Containers must not add capabilities beyond the runtime's default set",
  severity: "high",
  category: "Pod security",
  scope: "container",
  rationale: "The baseline profile allows only the capabilities a container runtime grants by default; anything else is a known privilege escalation.",
  remediation: "Remove every added capability outside the default set.",
  references: { pss: "baseline" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const extra = addedCapabilities(c).filter((x) => !BASELINE_CAPABILITIES.includes(x));
      return extra.length ? { detail: `capabilities.add: ${extra.join(", ")}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { capabilities: { add: addedCapabilities(c).filter((x) => BASELINE_CAPABILITIES.includes(x)) } } }) } : undefined;
    }),
};
