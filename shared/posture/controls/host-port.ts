import { hostPorts } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { containerPatch, judgeContainers, podAndContainerPatch } from "../resources.js";

export const hostPort: Control = {
  id: "VANTAGE-K8S-HOST-PORT",
  title: "Containers should not bind host ports",
  severity: "medium",
  category: "Network",
  scope: "container",
  rationale: "A hostPort listens on the node's address, outside Services and NetworkPolicies, and is internet-facing on nodes with public IPs.",
  remediation: "Remove hostPort and expose the container through a Service.",
  references: { kubescape: "C-0044", pss: "baseline", defender: "Usage of host networking and ports should be restricted" },
  evaluate: ({ snapshot }) =>
    judgeContainers(snapshot, (pod, c, unit) => {
      // With hostNetwork the API server defaults every port's hostPort to its containerPort (and Pod
      // Security admission judges that defaulted spec), so manifests that leave it unset bind it too.
      if (pod.hostNetwork && c.kind !== "ephemeral" && c.ports.length) {
        const bound = c.ports.map((p) => p.hostPort || p.containerPort);
        return { detail: `hostNetwork: true binds port ${bound.join(", ")} on the node (hostPort defaults to containerPort)`, fix: podAndContainerPatch(unit.ref.kind, { hostNetwork: false }, c, { ports: c.ports.map((p) => ({ containerPort: p.containerPort, hostPort: null })) }) };
      }
      const ports = hostPorts(c);
      return ports.length ? { detail: `hostPort ${ports.join(", ")}`, fix: containerPatch(unit.ref.kind, c, { ports: c.ports.filter((p) => p.hostPort).map((p) => ({ containerPort: p.containerPort, hostPort: null })) }) } : undefined;
    }),
};
