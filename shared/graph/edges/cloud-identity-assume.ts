import { edge, type EdgeTechnique } from "./types.js";
import type { GraphEdge } from "../model.js";

export const CLOUD_IDENTITY_ASSUME: EdgeTechnique = {
  kind: "CLOUD_IDENTITY_ASSUME",
  description: "Exchange Kubernetes credentials for an Azure (Entra ID) managed identity token.",
  precondition: "Service account: annotated azure.workload.identity/client-id, on a cluster whose workload identity is not known to be disabled (its token federates to that client id). Node: the cluster's kubelet identity is known; root on a node reads it from IMDS.",
  from: ["identity", "node"], to: "cloudidentity", attack: true, source: "vantage",
  fix: "Narrow the managed identity's Azure role assignments (or remove the workload-identity annotation)",
  derive: (ctx) => {
    const out: GraphEdge[] = [];
    if (ctx.snapshot.cluster?.workloadIdentityEnabled !== false) {
      for (const id of ctx.identities.values()) {
        const client = id.info?.workloadIdentity?.clientId;
        if (client) out.push(edge("CLOUD_IDENTITY_ASSUME", id.id, `cloudidentity:${client}`));
      }
    }
    if (ctx.kubeletIdentityId) for (const n of ctx.nodes.values()) if (!n.synthetic || n.name === "unscheduled") out.push(edge("CLOUD_IDENTITY_ASSUME", n.id, ctx.kubeletIdentityId));
    return out;
  },
};
