import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { podsGranted } from "./helpers.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const POD_EXEC: EdgeTechnique = {
  kind: "POD_EXEC",
  description: "Run commands in a pod's containers through the pods/exec subresource.",
  precondition: "The permission set allows create (SPDY) or get (WebSocket) on pods/exec for the pod's namespace and name (resourceNames honoured).",
  from: "permissionset", to: "pod", attack: true, source: "kubehound",
  fix: "Remove pods/exec from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      const pods = new Set([...podsGranted(ctx, ps, "create", "pods", "exec"), ...podsGranted(ctx, ps, "get", "pods", "exec")]);
      for (const p of pods) out.push(edge("POD_EXEC", ps.id, p.id));
    }
    return out;
  },
  evidence: (ctx, e) => [...grantEvidence(permissionSet(ctx, e.from), "create pods/exec"), `target pod ${e.to.slice(4)}`],
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove pods/exec"),
};
