import type { Control, Violation } from "../model.js";
import { userPermissionSets } from "../rbac-facts.js";

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
    for (const { ps, labels } of userPermissionSets(snapshot)) {
      if (ps.role !== "cluster-admin" || ps.roleKind !== "ClusterRole") {
        passed++;
        continue;
      }
      const subjects = ps.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}`).join(", ");
      failed.push({
        resource: { kind: ps.bindingKind, ...(ps.namespace ? { namespace: ps.namespace } : {}), name: ps.binding },
        labels,
        detail: `binds cluster-admin${ps.namespace ? ` in namespace ${ps.namespace}` : " cluster-wide"} to ${subjects || "no subjects"}`,
        fix: `kubectl delete ${ps.bindingKind === "ClusterRoleBinding" ? "clusterrolebinding" : `rolebinding -n ${ps.namespace}`} ${ps.binding}\n# then bind the subjects to a role with only what they need`,
      });
    }
    return { passed, failed };
  },
};
