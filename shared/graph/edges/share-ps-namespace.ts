import { container as containerOf, podFix } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const SHARE_PS_NAMESPACE: EdgeTechnique = {
  kind: "SHARE_PS_NAMESPACE",
  description: "Reach a sibling container's processes and filesystem (/proc/PID/root) in a pod sharing one process namespace.",
  precondition: "The pod sets shareProcessNamespace: true; edges join every pair of its containers.",
  from: "container", to: "container", attack: true, source: "kubehound",
  fix: "Remove shareProcessNamespace: true from the pod",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const p of ctx.pods) {
      if (!p.info.shareProcessNamespace) continue;
      for (const a of p.containers) for (const b of p.containers) if (a !== b) out.push(edge("SHARE_PS_NAMESPACE", a.id, b.id));
    }
    return out;
  },
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    return c ? [`pod ${c.pod.namespace}/${c.pod.name}: shareProcessNamespace: true`] : [];
  },
  remedy: (ctx, e) => podFix(containerOf(ctx, e.from)!.pod, "shareProcessNamespace", "set {field} to false"),
};
