import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { grantAllows, grantIn, grantIsEmpty } from "../rbac.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";
import type { PermissionSetView } from "../context.js";

const RBAC = "rbac.authorization.k8s.io";

/** Can `a` create a binding that grants `b`'s role in `b`'s scope (RBAC escalation checks included)? */
export function canBind(a: PermissionSetView, b: PermissionSetView): boolean {
  const bindingResource = b.namespace === undefined ? "clusterrolebindings" : "rolebindings";
  const ns = b.namespace;
  const createOrModify = ["create", "update", "patch"].some((v) => !grantIsEmpty(grantIn(a, ns, v, RBAC, bindingResource)));
  if (!createOrModify) return false;
  const roleResource = b.roleKind === "ClusterRole" ? "clusterroles" : "roles";
  // bind on the referenced role (checked in the binding's namespace), or escalate on it.
  const bind = grantIn(a, ns, "bind", RBAC, roleResource);
  const escalate = grantIn(a, ns, "escalate", RBAC, roleResource);
  return grantAllows(bind, b.role) || grantAllows(escalate, b.role);
}

export const ROLE_BIND: EdgeTechnique = {
  kind: "ROLE_BIND",
  description: "Create or modify a (Cluster)RoleBinding that grants an existing role to the attacker.",
  precondition: "The permission set allows create/update/patch on rolebindings in the target's namespace (clusterrolebindings for a cluster-wide target) and bind or escalate on the target's Role/ClusterRole (resourceNames honoured; checked in the target binding's namespace).",
  from: "permissionset", to: "permissionset", attack: true, source: "kubehound",
  fix: "Remove bind/escalate and write access to role bindings from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    const candidates = ctx.permissionSets.filter((a) =>
      a.rules.some((r) => (r.verbs.includes("bind") || r.verbs.includes("escalate") || r.verbs.includes("*")) && (r.apiGroups.includes(RBAC) || r.apiGroups.includes("*"))),
    );
    for (const a of candidates) for (const b of ctx.permissionSets) if (a !== b && canBind(a, b)) out.push(edge("ROLE_BIND", a.id, b.id));
    return out;
  },
  evidence: (ctx, e) => {
    const b = permissionSet(ctx, e.to);
    return [...grantEvidence(permissionSet(ctx, e.from), `create ${b?.namespace === undefined ? "clusterrolebindings" : "rolebindings"}`), ...grantEvidence(permissionSet(ctx, e.from), `bind ${b?.roleKind === "ClusterRole" ? "clusterroles" : "roles"}`).slice(0, 1), `can bind ${b?.roleKind ?? "role"} ${b?.role ?? e.to}`];
  },
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove bind/escalate and write access to role bindings"),
};
