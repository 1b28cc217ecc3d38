// The estate an ARM emulator serves: subscriptions, resource groups, clusters and registries in
// ARM wire shape (the `properties` objects are what GET returns), so fixtures read like real ARM.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "../../../shared/package-root.js";

export interface EstateCluster {
  resourceGroup: string;
  name: string;
  location?: string;
  /** managedClusters properties in wire shape (2024-02-01): fqdn, privateFQDN, aadProfile, … */
  properties: Record<string, unknown>;
  identity?: Record<string, unknown>;
  sku?: Record<string, unknown>;
  tags?: Record<string, string>;
  /** Management locks on the cluster: writes under it answer 409 ScopeLocked. */
  locks?: ("ReadOnly" | "CanNotDelete")[];
}

export interface EstateRegistry {
  resourceGroup: string;
  name: string;
  location?: string;
  sku?: { name: string; tier?: string };
  properties?: Record<string, unknown>;
}

/** Identities and role assignments a subscription declares (served by authorization-reads.ts). */
export interface EstateAuthorization {
  identities?: { resourceGroup: string; name: string; clientId: string; principalId: string; location?: string }[];
  /** `role` is a built-in role name; `scope` a subscription, resource group or resource id. */
  roleAssignments?: { scope: string; role: string; principalId: string }[];
}

export interface EstateSubscription extends EstateAuthorization {
  subscriptionId: string;
  displayName: string;
  /** Extra resource groups (those holding clusters/registries exist implicitly). */
  resourceGroups?: { name: string; location?: string }[];
  managedClusters?: EstateCluster[];
  registries?: EstateRegistry[];
}

/**
 * A management group: subscriptions placed in it (and in its descendants) inherit its role
 * assignments. Subscriptions in no declared group sit directly under the tenant root group, whose
 * id is the tenant id.
 */
export interface EstateManagementGroup {
  /** The group id: /providers/Microsoft.Management/managementGroups/{name}. */
  name: string;
  /** Parent group id (default: the tenant root group). */
  parent?: string;
  /** Subscriptions directly in this group. */
  subscriptions?: string[];
  /** Role assignments at the group's scope (`role` a built-in role name). */
  roleAssignments?: { role: string; principalId: string }[];
}

export interface EstateFile {
  tenantId: string;
  subscriptions: EstateSubscription[];
  managementGroups?: EstateManagementGroup[];
  /** Principal (object) ids that exist in the tenant besides identities created at runtime. */
  principals?: string[];
}


export function demoEstatePath(): string {
  return join(packageRoot(), "demo", "arm", "estate.json");
}

export function loadEstate(path = demoEstatePath()): EstateFile {
  const estate = JSON.parse(readFileSync(path, "utf8")) as EstateFile;
  if (!estate || !Array.isArray(estate.subscriptions)) throw new Error(`${path}: not an estate file (no subscriptions array)`);
  return estate;
}

/** A subscription with `count` identical bindable clusters, for scale tests and the benchmark. */
export function syntheticEstate(count: number, subscriptionId = "33333333-3333-4333-8333-333333333333"): EstateFile {
  const managedClusters: EstateCluster[] = Array.from({ length: count }, (_, i) => ({
    resourceGroup: `rg-fleet-${Math.floor(i / 100)}`,
    name: `aks-fleet-${String(i).padStart(4, "0")}`,
    location: "westeurope",
    properties: {
      provisioningState: "Succeeded",
      powerState: { code: "Running" },
      kubernetesVersion: "1.29.2",
      fqdn: `aks-fleet-${i}-dns.hcp.westeurope.azmk8s.io`,
      aadProfile: { managed: true, enableAzureRBAC: true },
      agentPoolProfiles: [{ name: "system", count: 3, vmSize: "Standard_D4s_v5", osType: "Linux", mode: "System" }],
      networkProfile: { networkPlugin: "azure", outboundType: "loadBalancer" },
    },
  }));
  return {
    tenantId: "72f988bf-0000-4000-8000-000000000001",
    subscriptions: [{ subscriptionId, displayName: "Fleet", resourceGroups: [{ name: "rg-vantage" }], managedClusters }],
  };
}
