import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacCsrApproval: Control = {
  id: "VANTAGE-K8S-RBAC-CSR-APPROVAL",
  title: "Approval of certificate signing requests should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "Approving CSRs mints client certificates for any user or group, including system:masters equivalents.",
  remediation: "Remove update on certificatesigningrequests/approval.",
  references: { cisAks: "4.1.10", kubescape: "C-0280" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["update", "patch"], group: "certificates.k8s.io", resource: "certificatesigningrequests", subresource: "approval" }], "CSR approval"),
};
