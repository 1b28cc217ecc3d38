import { container as containerOf, describeContainer, containerFix } from "../explain.js";
import { hasCap } from "../context.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_MODULE_LOAD: EdgeTechnique = {
  kind: "CE_MODULE_LOAD",
  description: "Container escape: load a kernel module from the container.",
  precondition: "The container is privileged or adds CAP_SYS_MODULE (or ALL).",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove privileged and the SYS_MODULE capability from the container",
  derive: (ctx) => ctx.containers.filter((c) => hasCap(c, "SYS_MODULE")).map((c) => edge("CE_MODULE_LOAD", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    return c ? [`${describeContainer(c)}: ${c.privileged ? "securityContext.privileged: true" : "capabilities.add SYS_MODULE"}`] : [];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from)!;
    return c.privileged ? containerFix(c, "securityContext.privileged", "set {field} to false") : containerFix(c, "securityContext.capabilities.add", "remove SYS_MODULE from {field}");
  },
};
