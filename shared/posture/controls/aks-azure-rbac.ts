import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksAzureRbac: Control = {
  id: "VANTAGE-AKS-AZURE-RBAC",
  title: "Azure RBAC for Kubernetes authorization should be enabled",
  severity: "medium",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Azure RBAC puts Kubernetes authorization under Azure role assignments, audited and governed with the rest of the estate.",
  remediation: "Enable Azure RBAC for Kubernetes authorization.",
  references: { cisAks: "5.5.2", kubescape: "C-0241" },
  evaluate: (input) => judgeCluster(input, (c) => (c.azureRbac === undefined ? "unknown" : c.azureRbac ? undefined : "aadProfile.enableAzureRBAC is not enabled"), (c) => azAksUpdate(c, "--enable-azure-rbac")),
};
