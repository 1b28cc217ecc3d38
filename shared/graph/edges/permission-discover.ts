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
};
