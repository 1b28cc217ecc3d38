import { describe, expect, it } from "vitest";
import { buildPermissionSets, effectiveRules, isClusterAdminEquivalent, permits, ruleMatches, type ResourceRequest } from "../../shared/graph/rbac.js";
import { clusterRole, clusterRoleBinding, role, roleBinding, rule, saSubject, snapshot } from "./builders.js";

describe("RBAC rule matching (API server semantics)", () => {
  const table: [string, ReturnType<typeof rule>, ResourceRequest, boolean][] = [
    ["exact verb/resource", rule(["get"], ["pods"]), { verb: "get", group: "", resource: "pods" }, true],
    ["other verb", rule(["get"], ["pods"]), { verb: "list", group: "", resource: "pods" }, false],
    ["verb *", rule(["*"], ["pods"]), { verb: "delete", group: "", resource: "pods" }, true],
    ["resource * covers subresources", rule(["create"], ["*"]), { verb: "create", group: "", resource: "pods", subresource: "exec" }, true],
    ["pods does not cover pods/exec", rule(["create"], ["pods"]), { verb: "create", group: "", resource: "pods", subresource: "exec" }, false],
    ["pods/exec exact", rule(["create"], ["pods/exec"]), { verb: "create", group: "", resource: "pods", subresource: "exec" }, true],
    ["*/exec", rule(["create"], ["*/exec"]), { verb: "create", group: "", resource: "pods", subresource: "exec" }, true],
    ["pods/* is not a wildcard", rule(["create"], ["pods/*"]), { verb: "create", group: "", resource: "pods", subresource: "exec" }, false],
    ["serviceaccounts/token", rule(["create"], ["serviceaccounts/token"]), { verb: "create", group: "", resource: "serviceaccounts", subresource: "token" }, true],
    ["core group only", rule(["get"], ["pods"], [""]), { verb: "get", group: "apps", resource: "pods" }, false],
    ["apiGroups *", rule(["get"], ["deployments"], ["*"]), { verb: "get", group: "apps", resource: "deployments" }, true],
    ["resourceNames allow the named object", rule(["get"], ["secrets"], [""], ["db"]), { verb: "get", group: "", resource: "secrets", name: "db" }, true],
    ["resourceNames refuse others", rule(["get"], ["secrets"], [""], ["db"]), { verb: "get", group: "", resource: "secrets", name: "api" }, false],
    ["resourceNames never match list", rule(["list"], ["secrets"], [""], ["db"]), { verb: "list", group: "", resource: "secrets" }, false],
    ["bind verb on clusterroles", rule(["bind"], ["clusterroles"], ["rbac.authorization.k8s.io"]), { verb: "bind", group: "rbac.authorization.k8s.io", resource: "clusterroles", name: "admin" }, true],
  ];
  for (const [name, r, req, want] of table) it(name, () => expect(ruleMatches(r, req)).toBe(want));
});

describe("permission sets", () => {
  it("a RoleBinding to a ClusterRole is scoped to its namespace", () => {
    const s = snapshot({
      roles: [clusterRole("edit", [rule(["*"], ["pods"])])],
      roleBindings: [roleBinding("team", "team-a", { kind: "ClusterRole", name: "edit" }, [saSubject("ci", "team-a")])],
    });
    const [ps] = buildPermissionSets(s, []);
    expect(ps!.id).toBe("permissionset:team-a/edit::team");
    expect(permits(ps!, { verb: "delete", group: "", resource: "pods", namespace: "team-a" })).toBe(true);
    expect(permits(ps!, { verb: "delete", group: "", resource: "pods", namespace: "team-b" })).toBe(false);
  });
  it("aggregated ClusterRoles pull in the rules their selectors pick", () => {
    const agg = { ...clusterRole("monitoring", []), aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "rbac.example.com/aggregate-to-monitoring": "true" } }] } };
    const part = clusterRole("part", [rule(["get"], ["secrets"])], { "rbac.example.com/aggregate-to-monitoring": "true" });
    expect(effectiveRules(agg, [agg, part])).toEqual(part.rules);
  });
  it("a binding to a missing role becomes a warning, not a crash", () => {
    const warnings: string[] = [];
    const sets = buildPermissionSets(snapshot({ roleBindings: [roleBinding("rb", "ns", { kind: "Role", name: "ghost" }, [])] }), warnings);
    expect(sets).toEqual([]);
    expect(warnings.join()).toMatch(/missing Role ghost/);
  });
  it("cluster-admin equivalence: */*/* cluster-wide, not namespaced; impersonate groups counts", () => {
    const s = snapshot({
      roles: [clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"])]), clusterRole("imp", [rule(["impersonate"], ["groups"])]), role("r", "ns", [rule(["*"], ["*"], ["*"])])],
      roleBindings: [clusterRoleBinding("a", "cluster-admin", []), clusterRoleBinding("b", "imp", []), roleBinding("c", "ns", { kind: "Role", name: "r" }, []), roleBinding("d", "ns", { kind: "ClusterRole", name: "cluster-admin" }, [])],
    });
    const sets = buildPermissionSets(s, []);
    expect(sets.filter(isClusterAdminEquivalent).map((p) => p.binding).sort()).toEqual(["a", "b"]);
  });
});

describe("cluster-admin equivalence through RBAC escalation", () => {
  const RBAC = "rbac.authorization.k8s.io";
  const createCrb = rule(["create"], ["clusterrolebindings"], [RBAC]);
  const bindCr = rule(["bind"], ["clusterroles"], [RBAC]);
  const escalateCr = rule(["escalate"], ["clusterroles"], [RBAC]);
  const equivalent = (rules: ReturnType<typeof rule>[], namespaced = false) => {
    const s = snapshot({
      roles: [clusterRole("r", rules)],
      roleBindings: [namespaced ? roleBinding("b", "ns", { kind: "ClusterRole", name: "r" }, []) : clusterRoleBinding("b", "r", [])],
    });
    const [ps] = buildPermissionSets(s, []);
    return isClusterAdminEquivalent(ps!);
  };
  // [name, rules, namespaced?, cluster-admin-equivalent?]
  const cases: [string, ReturnType<typeof rule>[], boolean, boolean][] = [
    ["create clusterrolebindings + bind any clusterrole", [createCrb, bindCr], false, true],
    ["create clusterrolebindings + escalate any clusterrole", [createCrb, escalateCr], false, true],
    ["both in one rule", [rule(["create", "bind"], ["clusterrolebindings", "clusterroles"], [RBAC])], false, true],
    ["create clusterrolebindings alone", [createCrb], false, false],
    ["bind clusterroles alone", [bindCr], false, false],
    ["escalate clusterroles alone", [escalateCr], false, false],
    ["bind limited to named clusterroles", [createCrb, rule(["bind"], ["clusterroles"], [RBAC], ["view"])], false, false],
    ["create limited to named clusterrolebindings", [rule(["create"], ["clusterrolebindings"], [RBAC], ["x"]), bindCr], false, false],
    ["bind on namespaced roles, not clusterroles", [createCrb, rule(["bind", "escalate"], ["roles"], [RBAC])], false, false],
    ["rights in the core group, not rbac.authorization.k8s.io", [rule(["create"], ["clusterrolebindings"]), rule(["bind"], ["clusterroles"])], false, false],
    ["granted only inside a namespace", [createCrb, bindCr], true, false],
    // The wildcard rule of cluster-admin itself, and rules that only look like it.
    ["every verb on every resource of every group", [rule(["*"], ["*"], ["*"])], false, true],
    ["the wildcard rule limited to named objects", [rule(["*"], ["*"], ["*"], ["x"])], false, false],
    ["every verb on every resource of the apps group", [rule(["*"], ["*"], ["apps"])], false, false],
    ["every verb on pods of every group", [rule(["*"], ["pods"], ["*"])], false, false],
    ["read-only verbs on everything", [rule(["get", "list", "watch"], ["*"], ["*"])], false, false],
    ["the wildcard rule inside a namespace", [rule(["*"], ["*"], ["*"])], true, false],
    // Impersonating any group includes system:masters.
    ["impersonate any group", [rule(["impersonate"], ["groups"], [""])], false, true],
    ["impersonate users only", [rule(["impersonate"], ["users"], [""])], false, false],
    ["impersonate named groups only", [rule(["impersonate"], ["groups"], [""], ["dev"])], false, false],
  ];
  for (const [name, rules, namespaced, want] of cases) it(name, () => expect(equivalent(rules, namespaced)).toBe(want));
});
