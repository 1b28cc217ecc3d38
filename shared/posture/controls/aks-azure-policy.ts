import type { Control } from "../model.js";
import { judgeCluster } from "../cluster-facts.js";

export const aksAzurePolicy: Control = {
  id: "VANTAGE-AKS-AZURE-POLICY",
  title: "The Azure Policy add-on should be installed",
  severity: "medium",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "The add-on enforces admission policies (Gatekeeper), so the controls here are prevented, not only reported.",
  remediation: "Enable the azure-policy add-on.",
  references: { defender: "Azure Kubernetes Service clusters should have the Azure Policy add-on for Kubernetes installed" },
  evaluate: (input) => judgeCluster(input, (c) => (c.azurePolicyEnabled === undefined ? "unknown" : c.azurePolicyEnabled ? undefined : "addonProfiles.azurepolicy is not enabled"), (c) => `az aks enable-addons --addons azure-policy --resource-group ${c.resourceGroup} --name ${c.name}`),
};
