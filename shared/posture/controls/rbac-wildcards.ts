import { describeRules } from "../../graph/rbac.js";
import type { Control, Violation } from "../model.js";
import { isSystemObject } from "../rbac-facts.js";

export const rbacWildcards: Control = {
  id: "VANTAGE-K8S-RBAC-WILDCARDS",
  title: "Roles and ClusterRoles should not use wildcards",
  severity: "medium",
  category: "RBAC",
  scope: "rbac",
  rationale: "A \"*\" in verbs, resources or apiGroups grants everything that exists now and every resource type added later.",
  remediation: "List the verbs, resources and API groups explicitly.",
  references: { cisAks: "4.1.3", kubescape: "C-0187" },
  evaluate: ({ snapshot }) => {
    let passed = 0;
    const failed: Violation[] = [];
    for (const role of snapshot.roles) {
      if (isSystemObject(role.meta) || role.meta.name === "cluster-admin" || role.meta.name === "admin" || role.meta.name === "edit") continue; // shipped roles
      const wild = role.rules.filter((r) => r.verbs.includes("*") || r.resources.includes("*") || r.apiGroups.includes("*"));
      if (!wild.length) {
        passed++;
        continue;
      }
      failed.push({
        resource: { kind: role.kind, ...(role.meta.namespace ? { namespace: role.meta.namespace } : {}), name: role.meta.name },
        labels: role.meta.labels,
        detail: `wildcard rules: ${describeRules(wild).join("; ")}`,
        fix: `kubectl edit ${role.kind === "ClusterRole" ? "clusterrole" : `role -n ${role.meta.namespace}`} ${role.meta.name}   # replace "*" with the exact verbs/resources/apiGroups`,
      });
    }
    return { passed, failed };
  },
};
