// RBAC controls read the graph's exact RBAC evaluation (aggregated ClusterRoles, resourceNames,
// binding scope) through one permission set per binding. Bindings and roles Kubernetes ships
// (the system: prefix, or labelled kubernetes.io/bootstrapping=rbac-defaults) are not judged:
// they are required for the cluster to work and CIS says not to modify them.
import type { ObjectMeta, PolicyRule, Snapshot } from "../kubernetes/model.js";
import { buildPermissionSets, describeRules, groupMatches, resourceMatches, verbMatches, type PermissionSet } from "../graph/rbac.js";
import type { Assessment, Violation } from "./model.js";

export function isSystemObject(meta: Pick<ObjectMeta, "name" | "labels">): boolean {
  return meta.name.startsWith("system:") || meta.labels?.["kubernetes.io/bootstrapping"] === "rbac-defaults";
}

interface JudgedSet {
  ps: PermissionSet;
  labels: Record<string, string>;
}

const cache = new WeakMap<Snapshot, JudgedSet[]>();

/** Permission sets of the bindings a user created (memoized per snapshot). */
export function userPermissionSets(snapshot: Snapshot): JudgedSet[] {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const bindings = new Map(snapshot.roleBindings.map((b) => [`${b.kind}/${b.kind === "RoleBinding" ? (b.meta.namespace ?? "default") : ""}/${b.meta.name}`, b]));
  const out: JudgedSet[] = [];
  for (const ps of buildPermissionSets(snapshot, [])) {
    const b = bindings.get(`${ps.bindingKind}/${ps.namespace ?? ""}/${ps.binding}`);
    if (!b || isSystemObject(b.meta) || ps.role.startsWith("system:")) continue;
    out.push({ ps, labels: b.meta.labels });
  }
  cache.set(snapshot, out);
  return out;
}

/** A verb on a resource (subresource) of an API group, as a rule test. */
export interface Ability {
  verbs: string[];
  group: string;
  resource: string;
  subresource?: string;
}

export function rulesGranting(rules: PolicyRule[], abilities: Ability[]): PolicyRule[] {
  return rules.filter((r) => abilities.some((a) => a.verbs.some((v) => verbMatches(r, v)) && groupMatches(r, a.group) && resourceMatches(r, a.resource, a.subresource)));
}

function subjectsOf(ps: PermissionSet): string {
  return ps.subjects.map((s) => `${s.kind} ${s.namespace ? `${s.namespace}/` : ""}${s.name}`).join(", ") || "no subjects";
}

/** Fails every user binding whose role grants one of `abilities`. */
export function judgeBindings(snapshot: Snapshot, abilities: Ability[], what: string): Assessment {
  let passed = 0;
  const failed: Violation[] = [];
  for (const { ps, labels } of userPermissionSets(snapshot)) {
    const rules = rulesGranting(ps.rules, abilities);
    if (!rules.length) {
      passed++;
      continue;
    }
    const roleCmd = ps.roleKind === "ClusterRole" ? `clusterrole ${ps.role}` : `role ${ps.role} -n ${ps.namespace}`;
    const bindingCmd = ps.bindingKind === "ClusterRoleBinding" ? `clusterrolebinding ${ps.binding}` : `rolebinding ${ps.binding} -n ${ps.namespace}`;
    failed.push({
      resource: { kind: ps.bindingKind, ...(ps.namespace ? { namespace: ps.namespace } : {}), name: ps.binding },
      labels,
      detail: `${ps.roleKind} ${ps.role} grants ${what} to ${subjectsOf(ps)}: ${describeRules(rules).join("; ")}`,
      fix: `kubectl edit ${roleCmd}   # remove: ${describeRules(rules).join(" | ")}\n# or, if the subjects do not need it: kubectl delete ${bindingCmd}`,
    });
  }
  return { passed, failed };
}
