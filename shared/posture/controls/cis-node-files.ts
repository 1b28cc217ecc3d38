// CIS AKS §3 (worker node files and kubelet arguments) needs a shell on the node; an agentless
// snapshot cannot see it. Each item is listed as not assessed, with why — never as passed.
import type { Control } from "../model.js";

const ITEMS: [string, string, string][] = [
  ["3.1.1", "C-0238", "The kubeconfig file permissions are set to 644 or more restrictive"],
  ["3.1.2", "C-0167", "The kubelet kubeconfig file ownership is set to root:root"],
  ["3.1.3", "C-0235", "The kubelet configuration file has permissions set to 644 or more restrictive"],
  ["3.1.4", "C-0171", "The kubelet configuration file ownership is set to root:root"],
  ["3.2.1", "C-0172", "The kubelet --anonymous-auth argument is set to false"],
  ["3.2.2", "C-0173", "The kubelet --authorization-mode argument is not set to AlwaysAllow"],
  ["3.2.3", "C-0174", "The kubelet --client-ca-file argument is set as appropriate"],
  ["3.2.4", "C-0175", "The kubelet --read-only-port is secured"],
  ["3.2.5", "C-0176", "The kubelet --streaming-connection-idle-timeout argument is not set to 0"],
  ["3.2.6", "C-0177", "The kubelet --protect-kernel-defaults argument is set to true"],
  ["3.2.7", "C-0178", "The kubelet --make-iptables-util-chains argument is set to true"],
  ["3.2.8", "C-0179", "The kubelet --hostname-override argument is not set"],
  ["3.2.9", "C-0180", "The kubelet --eventRecordQPS argument is set to 0 or a level which ensures appropriate event capture"],
  ["3.2.10", "C-0182", "The kubelet --rotate-certificates argument is not set to false"],
  ["3.2.11", "C-0183", "The kubelet RotateKubeletServerCertificate argument is set to true"],
];

export const cisNodeFiles: Control[] = ITEMS.map(([section, kubescape, title]) => ({
  id: `VANTAGE-AKS-CIS-${section.replace(/\./g, "-")}`,
  title,
  severity: "medium",
  category: "Worker nodes",
  scope: "node",
  rationale: "Worker node files and kubelet flags; AKS manages them on its node images.",
  remediation: "Keep node images current (node OS auto-upgrade); verify on a node with kube-bench if your policy requires evidence.",
  references: { cisAks: section, kubescape },
  evaluate: () => ({ status: "not-assessed", reason: "needs access to the node's files and kubelet process, which an agentless snapshot does not have", passed: 0, failed: [] }),
}));
