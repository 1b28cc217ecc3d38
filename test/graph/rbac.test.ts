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
