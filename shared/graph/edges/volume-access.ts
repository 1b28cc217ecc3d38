import { podFix, volume as volumeOf } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";

export const VOLUME_ACCESS: EdgeTechnique = {
  kind: "VOLUME_ACCESS",
  description: "From a node, read the volumes of every pod it runs (they live under /var/lib/kubelet/pods).",
  precondition: "The volume belongs to a pod scheduled on the node.",
  from: "node", to: "volume", attack: true, source: "kubehound",
  fix: "Isolate sensitive pods on dedicated nodes",
  derive: (ctx) => ctx.volumes.map((v) => edge("VOLUME_ACCESS", v.pod.node.id, v.id)),
  evidence: (ctx, e) => {
    const v = volumeOf(ctx, e.to);
    return v ? [`volume ${v.name} of pod ${v.pod.namespace}/${v.pod.name} lives under /var/lib/kubelet/pods on node ${v.pod.node.name}`] : [];
  },
  remedy: (ctx, e) => podFix(volumeOf(ctx, e.to)!.pod, "nodeSelector", "schedule the pod on dedicated nodes ({field} / taints)"),
};
