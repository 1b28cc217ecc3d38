import { container as containerOf, describeContainer, containerFix } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";

export const CE_PRIV_MOUNT: EdgeTechnique = {
  kind: "CE_PRIV_MOUNT",
  description: "Container escape: mount the host's disk from a privileged container and write to it.",
  precondition: "The container runs with securityContext.privileged: true.",
  from: "container", to: "node", attack: true, source: "kubehound",
  fix: "Remove privileged: true from the container",
  derive: (ctx) => ctx.containers.filter((c) => c.privileged).map((c) => edge("CE_PRIV_MOUNT", c.id, c.pod.node.id)),
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    return c ? [`${describeContainer(c)}: securityContext.privileged: true`] : [];
  },
  remedy: (ctx, e) => containerFix(containerOf(ctx, e.from)!, "securityContext.privileged", "set {field} to false"),
};
