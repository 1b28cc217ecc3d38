import type { Control } from "../model.js";
import { azAksUpdate, judgeCluster } from "../cluster-facts.js";

export const aksDefender: Control = {
  id: "VANTAGE-AKS-DEFENDER-PROFILE",
  title: "The Defender profile should be enabled",
  severity: "medium",
  category: "Cluster configuration",
  scope: "cluster",
  rationale: "The Defender sensor provides runtime threat detection that no agentless snapshot can.",
  remediation: "Enable Microsoft Defender for Containers on the cluster.",
  references: { defender: "Azure Kubernetes Service clusters should have Defender profile enabled" },
  evaluate: (input) => judgeCluster(input, (c) => (c.defenderEnabled === undefined ? "unknown" : c.defenderEnabled ? undefined : "securityProfile.defender.securityMonitoring is not enabled"), (c) => azAksUpdate(c, "--enable-defender")),
};
