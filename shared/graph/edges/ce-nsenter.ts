import { container as containerOf, describeContainer, podFix } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_NSENTER: EdgeTechnique = {
  kind: "CE_NSENTER",
  description: "Container escape: nsenter into the namespaces of the host's PID 1.",
  precondition: "The container is privileged and its pod shares the host PID namespace (hostPID: true).",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove hostPID: true from the pod (or privileged from the container)",
  derive: (ctx) => ctx.containers.filter((c) => c.privileged && c.pod.info.hostPID).map((c) => edge("CE_NSENTER", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    return c ? [`${describeContainer(c)}: securityContext.privileged: true`, `pod ${c.pod.namespace}/${c.pod.name}: hostPID: true`] : [];
  },
  remedy: (ctx, e) => podFix(containerOf(ctx, e.from)!.pod, "hostPID", "set {field} to false"),
};
