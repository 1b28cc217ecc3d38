// Context builder: RBAC permission sets (one per binding) with their subject identities, and the
// groups every service account and node belongs to implicitly.
import type { GraphContext, PermissionSetView } from "../context.js";
import { ids } from "../ids.js";
import { buildPermissionSets, isClusterAdminEquivalent } from "../rbac.js";
import { addIdentity, saIdentity } from "./identities.js";
import { push } from "./util.js";

/** The group every kubelet authenticates in (its user is system:node:NAME). */
export const NODES_GROUP = "system:nodes";

export function addPermissionSets(ctx: GraphContext): void {
  for (const ps of buildPermissionSets(ctx.snapshot, ctx.warnings)) {
    const subjectIds: string[] = [];
    for (const s of ps.subjects) {
      let id: string;
      if (s.kind === "ServiceAccount") id = saIdentity(ctx, s.namespace ?? ps.namespace ?? "default", s.name, `${ps.bindingKind} ${ps.binding}`).id;
      else if (s.kind === "User") id = addIdentity(ctx, { id: ids.user(s.name), type: "user", name: s.name, synthetic: false }).id;
      else id = addIdentity(ctx, { id: ids.group(s.name), type: "group", name: s.name, synthetic: false }).id;
      subjectIds.push(id);
    }
    const view: PermissionSetView = { ...ps, clusterAdmin: isClusterAdminEquivalent(ps), subjectIds };
    ctx.permissionSets.push(view);
    for (const id of subjectIds) push(ctx.permissionSetsBySubject, id, view);
  }
  // Service accounts are implicitly in system:serviceaccounts[:NS] and system:authenticated.
  for (const sa of ctx.identities.values()) {
    if (sa.type !== "serviceaccount") continue;
    for (const g of ["system:serviceaccounts", `system:serviceaccounts:${sa.namespace}`, "system:authenticated"]) {
      for (const ps of ctx.permissionSetsBySubject.get(ids.group(g)) ?? []) push(ctx.permissionSetsBySubject, sa.id, ps);
    }
  }
  // Every kubelet authenticates as a member of system:nodes: root on a node is that identity
  // whether or not a binding names the group.
  if ([...ctx.nodes.values()].some((n) => !n.synthetic || n.name === "unscheduled")) {
    const nodes = addIdentity(ctx, { id: ids.group(NODES_GROUP), type: "group", name: NODES_GROUP, synthetic: false });
    for (const ps of ctx.permissionSetsBySubject.get(ids.group("system:authenticated")) ?? []) push(ctx.permissionSetsBySubject, nodes.id, ps);
  }
}
