import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacTokenCreate: Control = {
  id: "VANTAGE-K8S-RBAC-TOKEN-CREATE",
  title: "Creation of service account tokens should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "serviceaccounts/token mints tokens for any service account in scope, taking over its permissions.",
  remediation: "Remove create on serviceaccounts/token.",
  references: { cisAks: "4.1.12", kubescape: "C-0282" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["create"], group: "", resource: "serviceaccounts", subresource: "token" }], "service account token creation"),
};
