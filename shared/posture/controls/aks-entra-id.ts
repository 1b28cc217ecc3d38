import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksEntraId: Control = {
  id: "VANTAGE-AKS-ENTRA-ID",
  title: "Cluster users should authenticate with Microsoft Entra ID",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "Entra ID ties cluster access to your directory: conditional access, MFA and one place to revoke people.",
  remediation: "Enable the AKS-managed Entra ID integration.",
  references: { cisAks: "5.5.1" },
  evaluate: (input) => judgeCluster(input, (c) => (c.aadManaged === undefined ? "unknown" : c.aadManaged ? undefined : "aadProfile.managed is not enabled"), (c) => azAksUpdate(c, "--enable-aad --aad-admin-group-object-ids <group-object-id>")),
};
