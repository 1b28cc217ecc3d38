// Context builder: the Azure identities a cluster exposes (workload-identity managed identities,
// the kubelet identity, the cluster identity), joined with their Azure role assignments when
// those were read, and the Azure scopes the assignments reach.
import type { AzureIdentityAccess } from "../../azure/model.js";
import type { AzureScopeView, CloudIdentityView, GraphContext } from "../context.js";
import { ids } from "../ids.js";

export function addCloudIdentities(ctx: GraphContext, access: AzureIdentityAccess[]): void {
  const add = (v: Omit<CloudIdentityView, "azure" | "grants">): CloudIdentityView => {
    const prev = ctx.cloudIdentities.get(v.id);
    if (prev) return prev;
    const view: CloudIdentityView = { ...v, azure: "not-read", grants: [] };
    ctx.cloudIdentities.set(v.id, view);
    return view;
  };
  for (const sa of ctx.identities.values()) {
    const wi = sa.info?.workloadIdentity;
    if (!wi?.clientId) continue;
    add({ id: ids.cloudIdentity(wi.clientId), clientId: wi.clientId, source: "workload-identity", tenantId: wi.tenantId });
  }
  const cluster = ctx.snapshot.cluster;
  const kubelet = cluster?.kubeletIdentity;
  if (kubelet?.clientId) {
    ctx.kubeletIdentityId = add({
      id: ids.cloudIdentity(kubelet.clientId), clientId: kubelet.clientId, source: "kubelet", principalId: kubelet.objectId,
      resourceId: kubelet.resourceId, name: nameOf(kubelet.resourceId),
    }).id;
  }
  const cid = cluster?.clusterIdentity;
  if (cid && (cid.clientId || cid.objectId)) {
    add({
      id: ids.cloudIdentity(cid.clientId ?? cid.objectId!), clientId: cid.clientId, source: "cluster", principalId: cid.objectId,
      resourceId: cid.resourceId, name: nameOf(cid.resourceId) ?? `${ctx.clusterName} (system-assigned)`,
    });
  }
  for (const a of access) {
    const view = ctx.cloudIdentities.get(ids.cloudIdentity(a.clientId ?? a.principalId ?? ""));
    if (!view) continue;
    view.principalId ??= a.principalId;
    view.resourceId ??= a.resourceId;
    view.name ??= a.name ?? nameOf(a.resourceId);
    view.azure = a.status;
    view.azureReason = a.reason;
    view.grants = a.grants;
    // Access may come from a file (`vantage paths --azure`): keep only well-formed entries.
    view.azureRead = Array.isArray(a.subscriptionsRead) ? a.subscriptionsRead.filter((x) => typeof x === "string") : undefined;
    const unread = Array.isArray(a.unreadSubscriptions) ? a.unreadSubscriptions.filter((u) => typeof u?.subscriptionId === "string" && typeof u.reason === "string") : [];
    view.azureUnread = unread.length ? unread : undefined;
    for (const g of a.grants) {
      const scope = scopeView(ctx, g.scope);
      for (const c of g.capabilities) scope.capabilities.add(c);
    }
  }
}

function scopeView(ctx: GraphContext, scope: string): AzureScopeView {
  const id = ids.azureScope(scope);
  let v = ctx.azureScopes.get(id);
  if (!v) {
    const d = describeScope(scope);
    // A resource group or resource in another subscription than the cluster's says which: names repeat across subscriptions.
    const home = ctx.snapshot.cluster?.subscriptionId?.toLowerCase();
    const sub = /^\/subscriptions\/([^/]+)\//i.exec(scope)?.[1];
    if (home && sub && sub.toLowerCase() !== home) d.name = `${d.name} (subscription ${sub})`;
    ctx.azureScopes.set(id, (v = { id, scope, ...d, capabilities: new Set() }));
  }
  return v;
}

/** Scope kind and a name a person recognises: the management group, the subscription id, the resource group, the resource. */
export function describeScope(scope: string): { type: AzureScopeView["type"]; name: string } {
  const parts = scope.split("/").filter(Boolean);
  // "/" (the root) and /providers/Microsoft.Management/managementGroups/{id}: inherited by every subscription below.
  if (parts.length === 0) return { type: "managementGroup", name: "/ (root)" };
  if (parts[0]!.toLowerCase() === "providers") return { type: "managementGroup", name: parts[parts.length - 1]! };
  if (parts.length <= 2) return { type: "subscription", name: parts[1] ?? scope };
  if (parts.length <= 4) return { type: "resourceGroup", name: parts[3] ?? scope };
  return { type: "resource", name: parts[parts.length - 1]! };
}

function nameOf(resourceId?: string): string | undefined {
  return resourceId ? resourceId.split("/").filter(Boolean).pop() : undefined;
}
