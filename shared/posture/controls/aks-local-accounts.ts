import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksLocalAccounts: Control = {
  id: "VANTAGE-AKS-LOCAL-ACCOUNTS",
  title: "Local accounts should be disabled",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "The local cluster-admin kubeconfig (listClusterAdminCredential) bypasses Entra ID and cannot be audited per person.",
  remediation: "Disable local accounts once Entra ID is enabled.",
  references: {},
  evaluate: (input) => judgeCluster(input, (c) => (c.localAccountsDisabled === undefined ? "unknown" : c.localAccountsDisabled ? undefined : "disableLocalAccounts is false: the static cluster-admin credential works"), (c) => azAksUpdate(c, "--disable-local-accounts")),
};
