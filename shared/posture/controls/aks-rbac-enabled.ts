import type { Control } from "../model.js";
import { judgeCluster } from "../cluster-facts.js";

export const aksRbacEnabled: Control = {
  id: "VANTAGE-AKS-RBAC-ENABLED",
  title: "Kubernetes RBAC must be enabled",
  severity: "critical",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Without Kubernetes RBAC every authenticated identity is authorized for everything.",
  remediation: "Kubernetes RBAC cannot be turned on in place: recreate the cluster with RBAC enabled (the default).",
  references: { kubescape: "C-0088", defender: "Role-Based Access Control should be used on Kubernetes Services" },
  evaluate: (input) => judgeCluster(input, (c) => (c.enableRBAC === undefined ? "unknown" : c.enableRBAC ? undefined : "enableRBAC: false"), (c) => `az aks create --resource-group ${c.resourceGroup} --name ${c.name} … (RBAC is on unless --disable-rbac; the cluster must be recreated)`),
};
