import { container as containerOf, describeContainer, containerFix } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CONTAINER_ATTACH: EdgeTechnique = {
  kind: "CONTAINER_ATTACH",
  description: "From a pod, reach each of its containers.",
  precondition: "The container belongs to the pod.",
  from: "pod", to: "container", attack: true, source: "kubehound",
  fix: "Split sensitive containers into their own pod",
  derive: (ctx) => ctx.containers.map((c) => edge("CONTAINER_ATTACH", c.pod.id, c.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.to);
    return c ? [`${describeContainer(c)} belongs to pod ${c.pod.namespace}/${c.pod.name}`] : [];
  },
  remedy: (ctx, e) => containerFix(containerOf(ctx, e.to)!, "name", "split {field} into its own pod"),
};
