import type { Control, Violation } from "../model.js";
import { isSystemObject } from "../rbac-facts.js";

export const rbacSystemMasters: Control = {
  id: "VANTAGE-K8S-RBAC-SYSTEM-MASTERS",
  title: "Bindings should not name the system:masters group",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "system:masters bypasses RBAC entirely (hard-coded in the authorizer) and membership cannot be revoked while a certificate is valid.",
  remediation: "Remove system:masters from the binding's subjects.",
  references: { kubescape: "C-0246" },
  evaluate: ({ snapshot }) => {
    let passed = 0;
    const failed: Violation[] = [];
    for (const b of snapshot.roleBindings) {
      if (isSystemObject(b.meta)) continue;
      if (!b.subjects.some((s) => s.kind === "Group" && s.name === "system:masters")) {
        passed++;
        continue;
      }
      failed.push({ resource: { kind: b.kind, ...(b.kind === "RoleBinding" ? { namespace: b.meta.namespace } : {}), name: b.meta.name }, labels: b.meta.labels, detail: "subject Group system:masters", fix: `kubectl edit ${b.kind.toLowerCase()} ${b.meta.name}${b.kind === "RoleBinding" ? ` -n ${b.meta.namespace}` : ""}   # remove the subject {kind: Group, name: system:masters}` });
    }
    return { passed, failed };
  },
};
