// Kubernetes RBAC evaluated the way the API server's RBAC authorizer does (pkg/apis/rbac helpers):
// verbs and apiGroups match exactly or by "*"; resources match exactly ("pods/exec" for a
// subresource), by "*" (everything, subresources included) or by "*/SUB"; a non-empty
// resourceNames list only matches requests that name one of them (so never list/create/watch of
// a collection). A RoleBinding grants its role — Role or ClusterRole — only inside its namespace.
import type { LabelSelector, PolicyRule, RoleBindingInfo, RoleInfo, Snapshot, Subject } from "../kubernetes/model.js";
import { BUILTIN_CLUSTER_ROLES } from "./builtin-roles.js";
import { ids } from "./ids.js";

export interface ResourceRequest {
  verb: string;
  /** API group: "" for core. */
  group: string;
  resource: string;
  subresource?: string;
  /** Object name, for requests on a single object (get/update/patch/delete/exec/bind…). */
  name?: string;
  /** Absent for cluster-scoped resources (nodes, clusterroles, users…). */
  namespace?: string;
}

export function verbMatches(rule: PolicyRule, verb: string): boolean {
  return rule.verbs.includes("*") || rule.verbs.includes(verb);
}

export function groupMatches(rule: PolicyRule, group: string): boolean {
  return rule.apiGroups.includes("*") || rule.apiGroups.includes(group);
}

export function resourceMatches(rule: PolicyRule, resource: string, subresource?: string): boolean {
  const combined = subresource ? `${resource}/${subresource}` : resource;
  for (const r of rule.resources) {
    if (r === "*" || r === combined) return true;
    if (subresource && r === `*/${subresource}`) return true;
  }
  return false;
}

export function nameMatches(rule: PolicyRule, name?: string): boolean {
  return rule.resourceNames.length === 0 || (name !== undefined && rule.resourceNames.includes(name));
}

export function ruleMatches(rule: PolicyRule, req: ResourceRequest): boolean {
  return verbMatches(rule, req.verb) && groupMatches(rule, req.group) && resourceMatches(rule, req.resource, req.subresource) && nameMatches(rule, req.name);
}

/** Which objects a set of rules reaches for one verb/resource: all of them, or only some names. */
export interface Grant {
  all: boolean;
  names: Set<string>;
}

export function grantOf(rules: PolicyRule[], verb: string, group: string, resource: string, subresource?: string): Grant {
  const g: Grant = { all: false, names: new Set() };
  for (const rule of rules) {
    if (!verbMatches(rule, verb) || !groupMatches(rule, group) || !resourceMatches(rule, resource, subresource)) continue;
    if (rule.resourceNames.length === 0) g.all = true;
    else for (const n of rule.resourceNames) g.names.add(n);
  }
  return g;
}

export function grantAllows(g: Grant, name?: string): boolean {
  return g.all || (name !== undefined && g.names.has(name));
}

export function grantIsEmpty(g: Grant): boolean {
  return !g.all && g.names.size === 0;
}

// ---- permission sets: one per (binding, role) ----

export interface PermissionSet {
  id: string;
  role: string;
  roleKind: "Role" | "ClusterRole";
  binding: string;
  bindingKind: "RoleBinding" | "ClusterRoleBinding";
  /** Namespace the grant is limited to; undefined = cluster-wide (ClusterRoleBinding). */
  namespace?: string;
  rules: PolicyRule[];
  subjects: Subject[];
  /** The role is one the API server creates itself (known offline without being declared). */
  builtinRole?: boolean;
}

/** True when `ps` allows `req`, honouring the binding's scope. */
export function permits(ps: PermissionSet, req: ResourceRequest): boolean {
  if (ps.namespace !== undefined && req.namespace !== ps.namespace) return false;
  return ps.rules.some((r) => ruleMatches(r, req));
}

/** Grant restricted to a namespace: empty when the permission set is scoped elsewhere. */
export function grantIn(ps: PermissionSet, namespace: string | undefined, verb: string, group: string, resource: string, sub?: string): Grant {
  if (ps.namespace !== undefined && ps.namespace !== namespace) return { all: false, names: new Set() };
  return grantOf(ps.rules, verb, group, resource, sub);
}

export function selectorMatches(sel: LabelSelector | undefined, labels: Record<string, string>): boolean {
  if (!sel) return false;
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) if (labels[k] !== v) return false;
  for (const e of sel.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, e.key);
    const val = labels[e.key];
    switch (e.operator) {
      case "In": if (!has || !(e.values ?? []).includes(val!)) return false; break;
      case "NotIn": if (has && (e.values ?? []).includes(val!)) return false; break;
      case "Exists": if (!has) return false; break;
      case "DoesNotExist": if (has) return false; break;
      default: return false;
    }
  }
  return true;
}

/**
 * A ClusterRole's effective rules: its own plus, when it has an aggregationRule, those of every
 * ClusterRole its selectors pick (recursively; the controller may not have filled `rules` yet).
 */
export function effectiveRules(role: RoleInfo, clusterRoles: RoleInfo[], seen = new Set<string>()): PolicyRule[] {
  if (role.kind !== "ClusterRole" || !role.aggregationRule) return role.rules;
  seen.add(role.meta.name);
  const out = [...role.rules];
  const selectors = role.aggregationRule.clusterRoleSelectors ?? [];
  for (const other of clusterRoles) {
    if (seen.has(other.meta.name)) continue;
    if (!selectors.some((s) => selectorMatches(s, other.meta.labels ?? {}))) continue;
    seen.add(other.meta.name);
    out.push(...effectiveRules(other, clusterRoles, seen));
  }
  return out;
}

export function buildPermissionSets(snapshot: Snapshot, warnings: string[]): PermissionSet[] {
  // Offline manifests never declare the API server's own ClusterRoles; a live cluster lists them.
  const declared = new Set(snapshot.roles.filter((r) => r.kind === "ClusterRole").map((r) => r.meta.name));
  const builtins = snapshot.source === "live" ? [] : BUILTIN_CLUSTER_ROLES.filter((r) => !declared.has(r.meta.name));
  const roles = [...snapshot.roles, ...builtins];
  const builtinSet = new Set<RoleInfo>(builtins);
  const clusterRoles = roles.filter((r) => r.kind === "ClusterRole");
  const byKey = new Map<string, RoleInfo>();
  for (const r of roles) byKey.set(r.kind === "ClusterRole" ? `ClusterRole/${r.meta.name}` : `Role/${r.meta.namespace}/${r.meta.name}`, r);
  const rulesCache = new Map<RoleInfo, PolicyRule[]>();
  const rolesVisible = !snapshot.notVisible.includes("roles");
  const out: PermissionSet[] = [];
  for (const b of snapshot.roleBindings) {
    const scope = bindingScope(b);
    if (b.kind === "ClusterRoleBinding" && b.roleRef.kind === "Role") {
      warnings.push(`ClusterRoleBinding ${b.meta.name} references a Role (${b.roleRef.name}); ignored`);
      continue;
    }
    const key = b.roleRef.kind === "ClusterRole" ? `ClusterRole/${b.roleRef.name}` : `Role/${b.meta.namespace}/${b.roleRef.name}`;
    const role = byKey.get(key);
    if (!role) {
      if (rolesVisible) warnings.push(`${b.kind} ${scope ? `${scope}/` : ""}${b.meta.name} references missing ${b.roleRef.kind} ${b.roleRef.name}`);
      continue;
    }
    let rules = rulesCache.get(role);
    if (!rules) rulesCache.set(role, (rules = effectiveRules(role, clusterRoles)));
    out.push({
      id: ids.permissionSet(b.roleRef.name, b.meta.name, scope),
      role: b.roleRef.name,
      roleKind: b.roleRef.kind,
      binding: b.meta.name,
      bindingKind: b.kind,
      namespace: scope,
      rules,
      subjects: b.subjects ?? [],
      ...(builtinSet.has(role) ? { builtinRole: true } : {}),
    });
  }
  return out;
}

function bindingScope(b: RoleBindingInfo): string | undefined {
  return b.kind === "RoleBinding" ? (b.meta.namespace ?? "default") : undefined;
}

/**
 * Cluster-admin equivalent: a cluster-wide grant of every verb on every resource, or one that can
 * trivially become it — bind/escalate ClusterRoles while creating ClusterRoleBindings, or
 * impersonate any group (system:masters).
 */
export function isClusterAdminEquivalent(ps: PermissionSet): boolean {
  if (ps.namespace !== undefined) return false;
  if (ps.rules.some((r) => r.verbs.includes("*") && r.apiGroups.includes("*") && r.resources.includes("*") && r.resourceNames.length === 0)) return true;
  const rbac = "rbac.authorization.k8s.io";
  const canCreateCrb = grantOf(ps.rules, "create", rbac, "clusterrolebindings").all;
  const canBindAny = grantOf(ps.rules, "bind", rbac, "clusterroles").all || grantOf(ps.rules, "escalate", rbac, "clusterroles").all;
  if (canCreateCrb && canBindAny) return true;
  return grantOf(ps.rules, "impersonate", "", "groups").all;
}

/** Compact, JSON-scalar rendering of rules for node properties: "get,list  secrets  [core]". */
export function describeRules(rules: PolicyRule[]): string[] {
  return rules.map((r) => {
    const groups = r.apiGroups.map((g) => (g === "" ? "core" : g)).join(",");
    const names = r.resourceNames.length ? ` names=${r.resourceNames.join(",")}` : "";
    const urls = r.nonResourceURLs.length ? ` urls=${r.nonResourceURLs.join(",")}` : "";
    return `${r.verbs.join(",")} ${r.resources.join(",") || "-"} [${groups}]${names}${urls}`;
  });
}
