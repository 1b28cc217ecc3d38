// Context builder: Kubernetes nodes (exposure, control-plane role) and the synthetic nodes pods
// reference but the snapshot does not show.
import { UNSCHEDULED_NODE, type PodInfo } from "../../kubernetes/model.js";
import type { GraphContext, NodeView } from "../context.js";
import { nodeExposure } from "../exposure.js";
import { ids } from "../ids.js";

export function addNodes(ctx: GraphContext): void {
  for (const n of ctx.snapshot.nodes) {
    const exp = nodeExposure(n, ctx.snapshot.cluster);
    const labels = n.meta.labels ?? {};
    ctx.nodes.set(n.meta.name, {
      id: ids.node(n.meta.name), name: n.meta.name, info: n, external: exp.external, externalEvidence: exp.evidence,
      controlPlane: "node-role.kubernetes.io/control-plane" in labels || "node-role.kubernetes.io/master" in labels, synthetic: false,
    });
  }
}

/** The node a pod runs on; a synthetic one (with a warning when nodes are visible) if unknown. */
export function nodeFor(ctx: GraphContext, pod: PodInfo): NodeView {
  const name = pod.nodeName || UNSCHEDULED_NODE;
  let node = ctx.nodes.get(name);
  if (!node) {
    const s = ctx.snapshot;
    const nodesVisible = !s.notVisible.includes("nodes") && (s.source === "live" || s.nodes.length > 0);
    if (name !== UNSCHEDULED_NODE && nodesVisible) ctx.warnings.push(`pod ${pod.meta.namespace}/${pod.meta.name} is on unknown node ${name}`);
    node = { id: ids.node(name), name, external: false, externalEvidence: [], controlPlane: false, synthetic: true };
    ctx.nodes.set(name, node);
  }
  return node;
}
