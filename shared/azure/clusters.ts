// Cluster discovery: list every managed cluster of a subscription (all pages) and reduce each to
// ClusterFacts. `toClusterFacts` is pure so it is testable without ARM.
import type { ManagedCluster } from "@azure/arm-containerservice";
import type { ArmConnection } from "./connection.js";
import { armClients } from "./connection.js";
import { captureResponse, isNotFound, toArmError } from "./errors.js";
import { parseResourceId, parseResourceIdOfType } from "./ids.js";
import type { ClusterFacts, NodePoolFacts } from "./model.js";

export const MANAGED_CLUSTER_TYPE = "Microsoft.ContainerService/managedClusters";

/** Maps the SDK's ManagedCluster (wire names already camel-cased by the SDK) to ClusterFacts. */
export function toClusterFacts(cluster: ManagedCluster): ClusterFacts {
  if (!cluster.id) throw new Error("managed cluster without an id");
  const id = parseResourceId(cluster.id);
  const access = cluster.apiServerAccessProfile;
  const privateCluster = access?.enablePrivateCluster === true;
  const authorizedIpRanges = access?.authorizedIPRanges ?? [];
  const kubelet = cluster.identityProfile?.["kubeletidentity"];
  const clusterIdentity = clusterIdentityOf(cluster);
  const nodePools: NodePoolFacts[] = (cluster.agentPoolProfiles ?? []).map((pool) => ({
    name: pool.name,
    ...defined({ count: pool.count, vmSize: pool.vmSize, osType: pool.osType, mode: pool.mode, powerState: pool.powerState?.code }),
    nodePublicIp: pool.enableNodePublicIP === true,
  }));
  return {
    id: id.id.toLowerCase(),
    name: cluster.name ?? id.name ?? "",
    subscriptionId: id.subscriptionId,
    resourceGroup: id.resourceGroup ?? "",
    ...defined({
      location: cluster.location,
      kubernetesVersion: cluster.currentKubernetesVersion ?? cluster.kubernetesVersion,
      provisioningState: cluster.provisioningState,
      powerState: cluster.powerState?.code,
      fqdn: cluster.fqdn,
      privateFqdn: cluster.privateFqdn,
      networkPlugin: cluster.networkProfile?.networkPlugin,
      outboundType: cluster.networkProfile?.outboundType,
      oidcIssuerUrl: cluster.oidcIssuerProfile?.enabled ? cluster.oidcIssuerProfile.issuerURL : undefined,
      enableRBAC: cluster.enableRbac,
    }),
    privateCluster,
    authorizedIpRanges,
    // Authorized ranges that include 0.0.0.0/0 restrict nothing.
    publicApiServer: !privateCluster && (authorizedIpRanges.length === 0 || authorizedIpRanges.includes("0.0.0.0/0")),
    aadManaged: cluster.aadProfile?.managed === true,
    azureRbac: cluster.aadProfile?.enableAzureRbac === true,
    localAccountsDisabled: cluster.disableLocalAccounts === true,
    nodePools,
    ...(kubelet ? { kubeletIdentity: defined({ clientId: kubelet.clientId, objectId: kubelet.objectId, resourceId: kubelet.resourceId }) } : {}),
    workloadIdentityEnabled: cluster.securityProfile?.workloadIdentity?.enabled === true,
    ...(clusterIdentity ? { clusterIdentity } : {}),
    ...defined({
      networkPolicy: cluster.networkProfile?.networkPolicy,
      upgradeChannel: cluster.autoUpgradeProfile?.upgradeChannel,
      nodeOsUpgradeChannel: cluster.autoUpgradeProfile?.nodeOSUpgradeChannel,
    }),
    kmsEnabled: cluster.securityProfile?.azureKeyVaultKms?.enabled === true,
    defenderEnabled: cluster.securityProfile?.defender?.securityMonitoring?.enabled === true,
    azurePolicyEnabled: addonEnabled(cluster, "azurepolicy"),
  };
}

/** The control plane's identity: system-assigned (principal id) or the one user-assigned identity. */
function clusterIdentityOf(cluster: ManagedCluster): ClusterFacts["clusterIdentity"] {
  const identity = cluster.identity;
  if (!identity) return undefined;
  if (identity.type === "SystemAssigned" && identity.principalId) return { objectId: identity.principalId };
  const [resourceId, user] = Object.entries(identity.userAssignedIdentities ?? {})[0] ?? [];
  if (!resourceId || !user) return undefined;
  return defined({ clientId: user.clientId, objectId: user.principalId, resourceId });
}

/** Every managed cluster in the connection's subscription (follows nextLink). Throws ArmError. */
export async function discoverClusters(conn: ArmConnection): Promise<ClusterFacts[]> {
  const clusters: ClusterFacts[] = [];
  const last = captureResponse();
  try {
    for await (const cluster of armClients(conn).containerService.managedClusters.list({ onResponse: last.onResponse })) {
      clusters.push(toClusterFacts(cluster));
    }
  } catch (err) {
    throw toArmError(err, last.body);
  }
  return clusters;
}

/** One cluster by ARM id; undefined when it (or its resource group) does not exist. Throws ArmError. */
export async function getCluster(conn: ArmConnection, resourceId: string): Promise<ClusterFacts | undefined> {
  const id = parseResourceIdOfType(resourceId, MANAGED_CLUSTER_TYPE);
  try {
    return toClusterFacts(await armClients(conn).containerService.managedClusters.get(id.resourceGroup, id.name));
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return undefined;
    throw armError;
  }
}

/** Add-on profile keys are case-insensitive in practice (azurepolicy / azurePolicy). */
function addonEnabled(cluster: ManagedCluster, name: string): boolean {
  const entry = Object.entries(cluster.addonProfiles ?? {}).find(([k]) => k.toLowerCase() === name);
  return entry?.[1]?.enabled === true;
}

/** Drops undefined members so results stay small and JSON round-trips unchanged. */
function defined<T extends Record<string, unknown>>(obj: T): { [K in keyof T]?: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as { [K in keyof T]?: Exclude<T[K], undefined> };
}
