import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacSecretsAccess: Control = {
  id: "VANTAGE-K8S-RBAC-SECRETS-ACCESS",
  title: "Access to Secrets should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "get, list or watch on Secrets reads every credential, token and key they hold (list returns values too).",
  remediation: "Grant secret access only to the workloads that need it, by resourceNames where possible.",
  references: { cisAks: "4.1.2", kubescape: "C-0186" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["get", "list", "watch"], group: "", resource: "secrets" }], "read access to secrets"),
};
