import type { Control } from "../model.js";

export const externalSecrets: Control = {
  id: "VANTAGE-K8S-EXTERNAL-SECRET-STORAGE",
  title: "Consider external secret storage",
  severity: "low",
  category: "Secrets",
  scope: "cluster",
  rationale: "An external store (Azure Key Vault via the Secrets Store CSI driver) centralizes rotation and audit of secrets.",
  remediation: "Use the Azure Key Vault provider for the Secrets Store CSI driver.",
  references: { cisAks: "4.5.2", kubescape: "C-0208" },
  // A manual recommendation in the benchmark: whether a store is "considered" is not observable.
  evaluate: () => ({ status: "not-assessed", reason: "a manual recommendation: not decidable from configuration", passed: 0, failed: [] }),
};
