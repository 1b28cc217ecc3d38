import { container as containerOf, describeContainer, podFix } from "../explain.js";
import { ids } from "../ids.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const IDENTITY_ASSUME: EdgeTechnique = {
  kind: "IDENTITY_ASSUME",
  description: "Act as the Kubernetes identity whose credentials are at hand: a container's mounted service-account token, or a node's kubelet credentials.",
  precondition: "Container: a service-account token is mounted in it (automountServiceAccountToken not false on pod/service account, or an explicit projected token / token Secret volume). Node: the node identity group system:nodes is bound to a role.",
  from: ["container", "node"], to: "identity", attack: true, source: "kubehound",
  fix: "Set automountServiceAccountToken: false where the workload does not call the API",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const c of ctx.containers) {
      const seen = new Set<string>();
      for (const m of c.mounts) {
        if (!m.volume.token) continue;
        const holders = m.volume.info.serviceAccountToken
          ? [c.pod.serviceAccountId]
          : m.volume.secretNames.map((s) => ctx.secrets.get(ids.secret(c.pod.namespace, s))?.serviceAccountId).filter((x): x is string => Boolean(x));
        for (const h of holders) if (!seen.has(h)) {
          seen.add(h);
          out.push(edge("IDENTITY_ASSUME", c.id, h));
        }
      }
    }
    const nodesGroup = ids.group("system:nodes");
    if (ctx.identities.has(nodesGroup)) for (const n of ctx.nodes.values()) out.push(edge("IDENTITY_ASSUME", n.id, nodesGroup));
    return out;
  },
  evidence: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    if (!c) return [`node ${e.from.slice(5)} authenticates as group system:nodes (kubelet credentials on the node)`];
    const m = c.mounts.find((x) => x.volume.token);
    return [`${describeContainer(c)} has the token of ${e.to.replace("identity:serviceaccount:", "service account ")} at ${m?.mountPath ?? "?"}${m?.volume.synthetic ? " (automounted)" : ""}`];
  },
  remedy: (ctx, e) => {
    const c = containerOf(ctx, e.from);
    if (!c) return { text: "Keep workloads that hold node credentials off nodes attackers can reach; node credentials cannot be removed", object: e.from, field: "-" };
    const m = c.mounts.find((x) => x.volume.token);
    return m?.volume.synthetic ? podFix(c.pod, "automountServiceAccountToken", "set {field} to false (the workload does not call the API)") : podFix(c.pod, `volumes[${m?.volume.name ?? "?"}]`, "remove the token volume at {field}");
  },
};
