import type { Control } from "../model.js";
import { judgeCluster } from "../cluster-facts.js";

export const aksNodePublicIp: Control = {
  id: "VANTAGE-AKS-NODE-PUBLIC-IP",
  title: "Nodes should not have public IP addresses",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Nodes with public IPs put every hostPort, NodePort and host-network listener on the internet.",
  remediation: "Recreate the node pools without --enable-node-public-ip.",
  references: { cisAks: "5.4.3", kubescape: "C-0248" },
  evaluate: (input) => judgeCluster(input, (c) => ((c.nodePools ?? []).some((p) => p.nodePublicIp) ? `node pools with public IPs: ${(c.nodePools ?? []).filter((p) => p.nodePublicIp).map((p) => p.name).join(", ")}` : c.nodePools ? undefined : "unknown"), (c) => `az aks nodepool add --resource-group ${c.resourceGroup} --cluster-name ${c.name} --name <new-pool> (without --enable-node-public-ip), then az aks nodepool delete --name ${(c.nodePools ?? []).filter((p) => p.nodePublicIp).map((p) => p.name).join(",")}`),
};
