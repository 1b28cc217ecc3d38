import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksNetworkPolicy: Control = {
  id: "VANTAGE-AKS-NETWORK-POLICY-ENGINE",
  title: "A network policy engine must be enabled",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Without an engine (Azure, Calico or Cilium) NetworkPolicy objects are accepted and silently ignored.",
  remediation: "Enable a network policy engine.",
  references: { cisAks: "5.4.4", kubescape: "C-0240" },
  evaluate: (input) => judgeCluster(input, (c) => (c.networkPolicy && c.networkPolicy !== "none" ? undefined : c.id ? "networkProfile.networkPolicy is not set: NetworkPolicies are not enforced" : "unknown"), (c) => azAksUpdate(c, "--network-policy azure")),
};
