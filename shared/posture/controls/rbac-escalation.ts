import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacEscalation: Control = {
  id: "VANTAGE-K8S-RBAC-BIND-ESCALATE-IMPERSONATE",
  title: "bind, escalate and impersonate should not be granted",
  severity: "critical",
  category: "RBAC",
  scope: "rbac",
  rationale: "bind and escalate let a subject grant itself any role; impersonate lets it act as any user or group (system:masters).",
  remediation: "Remove bind, escalate and impersonate verbs.",
  references: { cisAks: "4.1.7", kubescape: "C-0191" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["bind", "escalate"], group: "rbac.authorization.k8s.io", resource: "clusterroles" }, { verbs: ["bind", "escalate"], group: "rbac.authorization.k8s.io", resource: "roles" }, { verbs: ["impersonate"], group: "", resource: "users" }, { verbs: ["impersonate"], group: "", resource: "groups" }, { verbs: ["impersonate"], group: "", resource: "serviceaccounts" }], "bind/escalate/impersonate"),
};
