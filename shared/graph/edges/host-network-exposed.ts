import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const HOST_NETWORK_EXPOSED: EdgeTechnique = {
  kind: "HOST_NETWORK_EXPOSED",
  description: "Initial access: a host-network pod's listeners are bound on the node's public address (and it can sniff/MITM the node's traffic).",
  precondition: "The pod has hostNetwork: true and runs on a node with a public IP (ExternalIP address, or an AKS pool with enableNodePublicIP). NetworkPolicies do not apply to host-network pods.",
  from: "node", to: "container", attack: true, initialAccess: true, source: "vantage",
  fix: "Remove hostNetwork: true from the pod (or move it to a pool without public node IPs)",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const p of ctx.pods) {
      if (!p.info.hostNetwork || !p.node.external) continue;
      for (const c of p.containers) if (c.info.kind !== "init") out.push(edge("HOST_NETWORK_EXPOSED", p.node.id, c.id));
    }
    return out;
  },
};
