import { container as containerOf, describeContainer, podFix } from "../explain.js";
import { hasCap } from "../context.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_SYS_PTRACE: EdgeTechnique = {
  kind: "CE_SYS_PTRACE",
  description: "Container escape: ptrace a host process and inject code into it.",
  precondition: "The pod has hostPID: true and the container has both CAP_SYS_PTRACE and CAP_SYS_ADMIN (privileged or added).",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove hostPID: true from the pod and drop SYS_PTRACE/SYS_ADMIN",
  derive: (ctx) =>
    ctx.containers
      .filter((c) => c.pod.info.hostPID && hasCap(c, "SYS_PTRACE") && hasCap(c, "SYS_ADMIN"))
      .map((c) => edge("CE_SYS_PTRACE", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    return c ? [`${describeContainer(c)}: ${c.privileged ? "privileged" : "capabilities.add SYS_PTRACE, SYS_ADMIN"}`, `pod ${c.pod.namespace}/${c.pod.name}: hostPID: true`] : [];
  },
  remedy: (ctx, e) => podFix(containerOf(ctx, e.from)!.pod, "hostPID", "set {field} to false"),
};
