import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksKms: Control = {
  id: "VANTAGE-AKS-KMS",
  title: "Kubernetes Secrets should be encrypted with a key you control (KMS)",
  severity: "medium",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "KMS etcd encryption with an Azure Key Vault key lets you rotate and revoke the key protecting every Secret.",
  remediation: "Enable Azure Key Vault KMS for etcd encryption.",
  references: { cisAks: "5.3.1", kubescape: "C-0244" },
  evaluate: (input) => judgeCluster(input, (c) => (c.kmsEnabled === undefined ? "unknown" : c.kmsEnabled ? undefined : "securityProfile.azureKeyVaultKms is not enabled"), (c) => azAksUpdate(c, "--enable-azure-keyvault-kms --azure-keyvault-kms-key-id <key-id>")),
};
