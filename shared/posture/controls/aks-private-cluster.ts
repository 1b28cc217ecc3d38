import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksPrivateCluster: Control = {
  id: "VANTAGE-AKS-PRIVATE-CLUSTER",
  title: "The API server should have a private endpoint and no public access",
  severity: "medium",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "A private cluster's API server is reachable only from your virtual networks.",
  remediation: "Create private clusters (or enable API Server VNet integration with public access disabled).",
  references: { cisAks: "5.4.2", kubescape: "C-0252" },
  evaluate: (input) => judgeCluster(input, (c) => (c.privateCluster === undefined ? "unknown" : c.privateCluster ? undefined : "the API server has a public endpoint"), (c) => azAksUpdate(c, "--enable-apiserver-vnet-integration --apiserver-subnet-id <subnet-id> --disable-public-fqdn")),
};
