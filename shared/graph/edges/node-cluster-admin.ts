import { podFix, podOf } from "../explain.js";
import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const NODE_CLUSTER_ADMIN: EdgeTechnique = {
  kind: "NODE_CLUSTER_ADMIN",
  description: "Root on a node yields cluster admin: a control-plane node holds etcd and admin credentials; any node holds the tokens of the pods it runs, and cluster agents (typically DaemonSets) carry cluster-admin-equivalent tokens.",
  precondition: "The node is labelled node-role.kubernetes.io/control-plane (or master), or runs a pod whose automounted service account is bound (directly or by group) to a cluster-admin-equivalent permission set.",
  from: "node", to: "cluster", attack: true, source: "vantage",
  fix: "Do not automount cluster-admin-equivalent tokens into node agents; scope their RBAC",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    for (const n of ctx.nodes.values()) {
      const pods = ctx.podsByNode.get(n.id) ?? [];
      const admin = pods.find((p) => p.tokenAutomounted && (ctx.permissionSetsBySubject.get(p.serviceAccountId) ?? []).some((ps) => ps.clusterAdmin));
      if (n.controlPlane) out.push(edge("NODE_CLUSTER_ADMIN", n.id, ctx.clusterId, { via: "control-plane" }));
      else if (admin) out.push(edge("NODE_CLUSTER_ADMIN", n.id, ctx.clusterId, { via: admin.id }));
    }
    return out;
  },
  evidence: (ctx, e) => {
    const via = e.properties?.via;
    if (via === "control-plane") return [`node ${e.from.slice(5)} is a control-plane node (etcd and admin credentials)`];
    const p = typeof via === "string" ? podOf(ctx, via) : undefined;
    return p ? [`pod ${p.namespace}/${p.name} on node ${p.node.name} automounts the token of ${p.serviceAccountId.replace("identity:serviceaccount:", "service account ")}, which is cluster-admin equivalent`] : [];
  },
  remedy: (ctx, e) => {
    const via = e.properties?.via;
    const p = typeof via === "string" ? podOf(ctx, via) : undefined;
    if (!p) return { text: "Keep control-plane nodes unreachable from workloads", object: e.from, field: "-" };
    return podFix(p, "automountServiceAccountToken", `set {field} to false, or scope the RBAC of ${p.serviceAccountId.replace("identity:serviceaccount:", "")}`);
  },
};
