import type { Control, Violation } from "../model.js";
import { isSystemObject } from "../rbac-facts.js";

export const rbacClusterAdmin: Control = {
  id: "VANTAGE-K8S-RBAC-CLUSTER-ADMIN",
  title: "The cluster-admin role should be bound only where required",
  severity: "critical",
  category: "RBAC",
  scope: "rbac",
  rationale: "cluster-admin is every verb on every resource; a ClusterRoleBinding to it makes its subjects owners of the cluster.",
  remediation: "Bind a narrower role; keep cluster-admin for break-glass Entra groups.",
  references: { cisAks: "4.1.1", kubescape: "C-0185" },
  evaluate: ({ snapshot }) => {
    let passed = 0;
    const failed: Violation[] = [];
    // By roleRef, not through permission sets: the built-in cluster-admin role is rarely in the input.
    for (const b of snapshot.roleBindings) {
      if (isSystemObject(b.meta)) continue;
      if (b.roleRef.kind !== "ClusterRole" || b.roleRef.name !== "cluster-admin") {
        passed++;
        continue;
      }
      const ns = b.kind === "RoleBinding" ? (b.meta.namespace ?? "default") : undefined;
      const subjects = b.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}`).join(", ");
      failed.push({
        resource: { kind: b.kind, ...(ns ? { namespace: ns } : {}), name: b.meta.name },
        labels: b.meta.labels,
        detail: `binds cluster-admin${ns ? ` in namespace ${ns}` : " cluster-wide"} to ${subjects || "no subjects"}`,
        fix: `kubectl delete ${ns ? `rolebinding -n ${ns}` : "clusterrolebinding"} ${b.meta.name}\n# then bind the subjects to a role with only what they need`,
      });
    }
    return { passed, failed };
  },
};
