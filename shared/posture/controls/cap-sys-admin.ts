import { addedCapabilities, isPrivileged } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers } from "../resources.js";

export const capSysAdmin: Control = {
  id: "VANTAGE-K8S-CAP-SYS-ADMIN",
  title: "Containers must not be granted CAP_SYS_ADMIN",
  severity: "high",
  category: "Pod security",
  scope: "container",
  rationale: "CAP_SYS_ADMIN allows mounting filesystems and cgroup release agents: a documented escape to the node.",
  remediation: "Remove SYS_ADMIN (and ALL) from capabilities.add.",
  references: { defender: "Kubernetes clusters shouldn't grant CAP_SYS_ADMIN capabilities" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (_pod, c, unit) => {
      const add = addedCapabilities(c);
      if (!add.includes("SYS_ADMIN") && !add.includes("ALL") && !isPrivileged(c)) return undefined;
      return { detail: isPrivileged(c) ? "privileged (implies every capability)" : `capabilities.add: ${add.join(", ")}`, fix: containerPatch(unit.ref.kind, c, { securityContext: { privileged: false, capabilities: { drop: ["ALL"] } } }) };
    }),
};
