import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { grantIn } from "../rbac.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const POD_CREATE: EdgeTechnique = {
  kind: "POD_CREATE",
  description: "Create a privileged pod pinned to any node (spec.nodeName) and escape into it.",
  precondition: "The permission set allows create on pods (core group) in at least one namespace; nodeName lets the pod land on every node. Admission policies (Pod Security, Azure Policy) are not visible and not assumed.",
  from: "permissionset", to: "node", attack: true, source: "kubehound",
  fix: "Remove create on pods from the role (or enforce the restricted Pod Security level)",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      // create never names an object, so resourceNames-limited rules do not count.
      if (!grantIn(ps, ps.namespace ?? "default", "create", "", "pods").all) continue;
      for (const n of ctx.nodes.values()) out.push(edge("POD_CREATE", ps.id, n.id));
    }
    return out;
  },
  evidence: (ctx, e) => [...grantEvidence(permissionSet(ctx, e.from), "create pods"), `spec.nodeName pins the new pod to node ${e.to.slice(5)}; no admission policy is visible`],
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove create on pods (or enforce the restricted Pod Security level on its namespaces)"),
};
