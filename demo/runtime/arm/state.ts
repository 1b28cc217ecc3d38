// In-memory ARM state: every resource keyed by lower-cased id (ARM ids are case-insensitive), plus
// the running long-running operations. Inspectable from tests through `emulator.state`.
import { createHash } from "node:crypto";
import type { EstateCluster, EstateFile, EstateRegistry } from "./estate.js";

export interface StoredResource {
  id: string;
  name: string;
  type: string;
  location?: string;
  tags?: Record<string, string>;
  sku?: Record<string, unknown>;
  identity?: Record<string, unknown>;
  properties: Record<string, unknown>;
  /** Emulator-only bookkeeping, never serialized. */
  locks?: string[];
}

export interface AsyncOperation {
  id: string;
  status: "InProgress" | "Succeeded" | "Failed";
  pollsLeft: number;
  startTime: string;
  endTime?: string;
  complete: () => void;
}

/** A stable GUID from a seed (identities get the same principal id across restarts). */
export function seededGuid(seed: string): string {
  const h = createHash("sha256").update(seed.toLowerCase()).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** The ARM scope of a management group, lower-cased. */
export function managementGroupScope(name: string): string {
  return `/providers/microsoft.management/managementgroups/${name.toLowerCase()}`;
}

export const CLUSTER_TYPE = "Microsoft.ContainerService/ManagedClusters";
export const REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";

export class ArmState {
  readonly tenantId: string;
  readonly subscriptions = new Map<string, { subscriptionId: string; displayName: string }>();
  /** lower-cased `/subscriptions/{s}/resourcegroups/{rg}` → location */
  readonly resourceGroups = new Map<string, string>();
  readonly principals = new Set<string>();
  /** Management group id (lower-cased) → its parent's id; the tenant root group has none. */
  readonly managementGroups = new Map<string, string | undefined>();
  /** Subscription id (lower-cased) → the management group it sits directly in. */
  readonly subscriptionGroups = new Map<string, string>();
  readonly operations = new Map<string, AsyncOperation>();
  private readonly resources = new Map<string, StoredResource>();

  constructor(estate: EstateFile, fqdnOverrides: Record<string, string> = {}) {
    this.tenantId = estate.tenantId;
    for (const p of estate.principals ?? []) this.principals.add(p.toLowerCase());
    for (const sub of estate.subscriptions) {
      const s = sub.subscriptionId.toLowerCase();
      this.subscriptions.set(s, { subscriptionId: sub.subscriptionId, displayName: sub.displayName });
      for (const rg of sub.resourceGroups ?? []) this.addResourceGroup(s, rg.name, rg.location);
      for (const c of sub.managedClusters ?? []) this.addCluster(sub.subscriptionId, c);
      for (const r of sub.registries ?? []) this.addRegistry(sub.subscriptionId, r);
    }
    for (const [name, fqdn] of Object.entries(fqdnOverrides)) this.setClusterFqdn(name, fqdn);
    const root = estate.tenantId.toLowerCase();
    this.managementGroups.set(root, undefined);
    for (const g of estate.managementGroups ?? []) this.managementGroups.set(g.name.toLowerCase(), (g.parent ?? root).toLowerCase());
    for (const g of estate.managementGroups ?? []) {
      for (const s of g.subscriptions ?? []) this.subscriptionGroups.set(s.toLowerCase(), g.name.toLowerCase());
    }
  }

  /**
   * The scopes above a subscription, lower-cased, nearest first: its management groups up to the
   * tenant root group, then the root scope "/". Their role assignments apply to the subscription.
   */
  scopesAbove(subscriptionId: string): string[] {
    const out: string[] = [];
    let group: string | undefined = this.subscriptionGroups.get(subscriptionId.toLowerCase()) ?? this.tenantId.toLowerCase();
    // A declared parent cycle must not hang the emulator: stop at the first repeat.
    while (group !== undefined && !out.includes(managementGroupScope(group))) {
      out.push(managementGroupScope(group));
      group = this.managementGroups.get(group);
    }
    out.push("/");
    return out;
  }

  addResourceGroup(subscriptionId: string, name: string, location = "westeurope"): void {
    const key = `/subscriptions/${subscriptionId}/resourcegroups/${name}`.toLowerCase();
    if (!this.resourceGroups.has(key)) this.resourceGroups.set(key, location);
  }

  hasResourceGroup(subscriptionId: string, name: string): boolean {
    return this.resourceGroups.has(`/subscriptions/${subscriptionId}/resourcegroups/${name}`.toLowerCase());
  }

  addCluster(subscriptionId: string, c: EstateCluster): StoredResource {
    this.addResourceGroup(subscriptionId, c.resourceGroup, c.location);
    return this.put({
      id: `/subscriptions/${subscriptionId}/resourcegroups/${c.resourceGroup}/providers/Microsoft.ContainerService/managedClusters/${c.name}`,
      name: c.name,
      type: CLUSTER_TYPE,
      location: c.location ?? "westeurope",
      ...(c.tags ? { tags: c.tags } : {}),
      ...(c.sku ? { sku: c.sku } : {}),
      ...(c.identity ? { identity: c.identity } : {}),
      properties: structuredClone(c.properties),
      ...(c.locks ? { locks: c.locks } : {}),
    });
  }

  addRegistry(subscriptionId: string, r: EstateRegistry): StoredResource {
    this.addResourceGroup(subscriptionId, r.resourceGroup, r.location);
    return this.put({
      id: `/subscriptions/${subscriptionId}/resourceGroups/${r.resourceGroup}/providers/Microsoft.ContainerRegistry/registries/${r.name}`,
      name: r.name,
      type: REGISTRY_TYPE,
      location: r.location ?? "westeurope",
      sku: r.sku ?? { name: "Standard", tier: "Standard" },
      properties: { loginServer: `${r.name.toLowerCase()}.azurecr.io`, provisioningState: "Succeeded", ...r.properties },
    });
  }

  /** Points a cluster (by name, any subscription) at another API server address, e.g. the Kubernetes emulator. */
  setClusterFqdn(clusterName: string, fqdn: string): void {
    const matches = this.list(CLUSTER_TYPE).filter((c) => c.name.toLowerCase() === clusterName.toLowerCase());
    if (matches.length === 0) throw new Error(`fqdn override: no cluster named ${clusterName}`);
    for (const c of matches) {
      const p = c.properties;
      if (p["privateFQDN"] !== undefined && p["fqdn"] === undefined) p["privateFQDN"] = fqdn;
      else {
        p["fqdn"] = fqdn;
        if (p["privateFQDN"] !== undefined) p["privateFQDN"] = fqdn;
      }
    }
  }

  put(resource: StoredResource): StoredResource {
    this.resources.set(resource.id.toLowerCase(), resource);
    return resource;
  }

  get(id: string): StoredResource | undefined {
    return this.resources.get(id.toLowerCase().replace(/\/+$/, ""));
  }

  delete(id: string): boolean {
    return this.resources.delete(id.toLowerCase());
  }

  /** Resources of a type (case-insensitive), optionally under an id prefix, in insertion order. */
  list(type?: string, under?: string): StoredResource[] {
    const t = type?.toLowerCase();
    const prefix = under?.toLowerCase();
    return [...this.resources.entries()]
      .filter(([key, r]) => (!t || r.type.toLowerCase() === t) && (!prefix || key.startsWith(prefix + "/")))
      .map(([, r]) => r);
  }

  /** Does a role-assignment scope exist: subscription, resource group or a stored resource. */
  scopeExists(scope: string): boolean {
    const key = scope.toLowerCase().replace(/\/+$/, "");
    const sub = /^\/subscriptions\/([^/]+)$/.exec(key);
    if (sub) return this.subscriptions.has(sub[1]!);
    if (/^\/subscriptions\/[^/]+\/resourcegroups\/[^/]+$/.test(key)) return this.resourceGroups.has(key);
    return this.resources.has(key);
  }

  /** The locks that apply to a scope: those of any stored resource the scope is (or is under). */
  locksOn(scope: string): { lockedScope: string; level: string }[] {
    const key = scope.toLowerCase();
    const found: { lockedScope: string; level: string }[] = [];
    for (const [id, r] of this.resources) {
      if (r.locks && (key === id || key.startsWith(id + "/"))) for (const level of r.locks) found.push({ lockedScope: r.id, level });
    }
    return found;
  }
}
