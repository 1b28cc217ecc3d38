import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksApiServerAccess: Control = {
  id: "VANTAGE-AKS-API-SERVER-ACCESS",
  title: "The API server must not be open to the whole internet",
  severity: "high",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "A public API server with no authorized IP ranges can be brute-forced and exploited from anywhere.",
  remediation: "Restrict the API server with authorized IP ranges, or make the cluster private.",
  references: { cisAks: "5.4.1", kubescape: "C-0247", defender: "Kubernetes API server should be configured with restricted access" },
  evaluate: (input) => judgeCluster(input, (c) => (c.privateCluster === undefined ? "unknown" : c.privateCluster || ((c.authorizedIpRanges ?? []).length > 0 && !(c.authorizedIpRanges ?? []).includes("0.0.0.0/0")) ? undefined : "public API server without authorized IP ranges"), (c) => azAksUpdate(c, "--api-server-authorized-ip-ranges <your-cidrs>")),
};
