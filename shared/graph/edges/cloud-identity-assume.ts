import { cloudIdentity } from "../explain.js";
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
  evidence: (ctx, e) => {
    const ci = cloudIdentity(ctx, e.to);
    const who = ci ? `${ci.name ?? "managed identity"} (client id ${ci.clientId ?? "?"}${ci.resourceId ? `, ${ci.resourceId}` : ""})` : e.to;
    const perms = ci?.azure === "unknown" ? [`Azure permissions unknown: ${ci.azureReason ?? "role assignments could not be read"}`] : [];
    for (const u of ci?.azure === "known" ? (ci.azureUnread ?? []) : []) perms.push(`Azure permissions unknown in subscription ${u.subscriptionId}: ${u.reason}`);
    if (e.from.startsWith("node:")) return [`root on node ${e.from.slice(5)} reads the kubelet identity ${who} from IMDS`, ...perms];
    return [`${e.from.replace("identity:serviceaccount:", "service account ")} is annotated azure.workload.identity/client-id: ${ci?.clientId ?? "?"}`, `its token federates to ${who}`, ...perms];
  },
  remedy: (ctx, e) => {
    const ci = cloudIdentity(ctx, e.to);
    if (e.from.startsWith("node:")) return { text: `Kubelet identity ${ci?.name ?? e.to}: remove its Azure role assignments beyond AcrPull on the cluster's registries`, object: e.to, field: "roleAssignments" };
    return { text: `ServiceAccount ${e.from.replace("identity:serviceaccount:", "")}: remove the azure.workload.identity/client-id annotation (or narrow ${ci?.name ?? "the identity"}'s Azure role assignments)`, object: e.from, field: "metadata.annotations[azure.workload.identity/client-id]" };
  },
};
