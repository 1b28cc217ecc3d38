import { podFix, podOf } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";

export const POD_ATTACH: EdgeTechnique = {
  kind: "POD_ATTACH",
  description: "From a node, reach every pod it runs (container runtime access).",
  precondition: "The pod is scheduled on the node.",
  from: "node", to: "pod", attack: true, source: "kubehound",
  fix: "Isolate sensitive pods on dedicated nodes",
  derive: (ctx) => ctx.pods.map((p) => edge("POD_ATTACH", p.node.id, p.id)),
  evidence: (ctx, e) => {
    const p = podOf(ctx, e.to);
    return p ? [`pod ${p.namespace}/${p.name} runs on node ${p.node.name}`] : [];
  },
  remedy: (ctx, e) => {
    const p = podOf(ctx, e.to)!;
    return podFix(p, "nodeSelector", "schedule the pod on dedicated nodes ({field} / taints)");
  },
};
