import { container as containerOf, podFix, nodeView, vulnEvidence } from "../explain.js";
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
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.to);
    const n = nodeView(ctx, e.from);
    const rce = c?.vulns ? [...c.vulns.vulns.values()].filter((v) => v.rce).slice(0, 5) : [];
    return [`pod ${c?.pod.namespace}/${c?.pod.name}: hostNetwork: true`, `node ${n?.name}: ${n?.externalEvidence.join("; ")}`, ...rce.map((v) => vulnEvidence(v, c!.imageRef))];
  },
  remedy: (ctx, e) => podFix(containerOf(ctx, e.to)!.pod, "hostNetwork", "set {field} to false (or move the pod to a pool without public node IPs)"),
};
