import { permissionSet } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const PERMISSION_DISCOVER: EdgeTechnique = {
  kind: "PERMISSION_DISCOVER",
  description: "An identity holds the permissions of every binding naming it (service accounts also through system:serviceaccounts[:NS] and system:authenticated).",
  precondition: "A RoleBinding or ClusterRoleBinding lists the identity (or one of its implicit groups) as a subject and its role exists.",
  from: "identity", to: "permissionset", attack: true, source: "kubehound",
  fix: "Remove the identity from the binding's subjects",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    // A service account may meet one binding twice (by name and through a group): one edge.
    for (const [subject, sets] of ctx.permissionSetsBySubject) for (const ps of new Set(sets)) out.push(edge("PERMISSION_DISCOVER", subject, ps.id));
    return out;
  },
  evidence: (ctx, e) => {
    const ps = permissionSet(ctx, e.to);
    const direct = ps?.subjectIds.includes(e.from);
    return ps ? [`${ps.bindingKind} ${ps.namespace ? `${ps.namespace}/` : ""}${ps.binding} grants ${ps.roleKind} ${ps.role}${ps.builtinRole ? " (built-in)" : ""} to ${direct ? e.from.replace("identity:", "") : `a group ${e.from.replace("identity:", "")} belongs to`}`] : [];
  },
  remedy: (ctx, e) => {
    const ps = permissionSet(ctx, e.to);
    return { text: `${ps?.bindingKind ?? "Binding"} ${ps?.binding ?? e.to}: remove ${e.from.replace("identity:", "")} (or its group) from subjects`, object: e.to, field: "subjects" };
  },
};
