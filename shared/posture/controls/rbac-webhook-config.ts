import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacWebhookConfig: Control = {
  id: "VANTAGE-K8S-RBAC-WEBHOOK-CONFIG",
  title: "Access to admission webhook configurations should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "Whoever edits webhook configurations can read or rewrite every object submitted to the API server, or switch admission control off.",
  remediation: "Remove write verbs on validating/mutatingwebhookconfigurations.",
  references: { cisAks: "4.1.11", kubescape: "C-0281" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["create", "update", "patch", "delete"], group: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations" }, { verbs: ["create", "update", "patch", "delete"], group: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations" }], "write access to admission webhook configurations"),
};
