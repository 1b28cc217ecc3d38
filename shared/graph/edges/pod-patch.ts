import { permissionSet, grantEvidence, bindingFix } from "../explain.js";
import { podsGranted } from "./helpers.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const POD_PATCH: EdgeTechnique = {
  kind: "POD_PATCH",
  description: "Patch a running pod (e.g. swap a container image) to run attacker code with the pod's identity and mounts.",
  precondition: "The permission set allows patch or update on pods for the pod's namespace and name.",
  from: "permissionset", to: "pod", attack: true, source: "kubehound",
  fix: "Remove patch/update on pods from the role",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const ps of ctx.permissionSets) {
      const pods = new Set([...podsGranted(ctx, ps, "patch", "pods"), ...podsGranted(ctx, ps, "update", "pods")]);
      for (const p of pods) out.push(edge("POD_PATCH", ps.id, p.id));
    }
    return out;
  },
  evidence: (ctx, e) => [...grantEvidence(permissionSet(ctx, e.from), "patch pods"), `target pod ${e.to.slice(4)}`],
  remedy: (ctx, e) => bindingFix(permissionSet(ctx, e.from), e, "remove patch/update on pods"),
};
