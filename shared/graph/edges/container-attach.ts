import { edge, type EdgeTechnique } from "./types.js";

export const CONTAINER_ATTACH: EdgeTechnique = {
  kind: "CONTAINER_ATTACH",
  description: "From a pod, reach each of its containers.",
  precondition: "The container belongs to the pod.",
  from: "pod", to: "container", attack: true, source: "kubehound",
  fix: "Split sensitive containers into their own pod",
  derive: (ctx) => ctx.containers.map((c) => edge("CONTAINER_ATTACH", c.pod.id, c.id)),
};
