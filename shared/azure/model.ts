// Azure-side facts Vantage records. Shapes follow the ARM REST contracts (Microsoft.ContainerService
// managedClusters 2024-02-01, Microsoft.ManagedIdentity 2023-01-31, Microsoft.Authorization 2022-04-01)
// reduced to what posture needs.

export type BindStrategy = "azure-rbac" | "trusted-access";
export type ClusterState = "discovered" | "bound" | "unbindable" | "failed";
export type SubscriptionState = "onboarding" | "onboarded" | "failed" | "offboarded";

/** A user-assigned managed identity (the posture operator) created or reused for a subscription. */
export interface OperatorIdentity {
  resourceId: string;
  clientId: string;
  principalId: string;
  tenantId?: string;
  /** True when Vantage created the identity (offboarding deletes it); false when it was configured. */
  createdByVantage?: boolean;
}

export interface NodePoolFacts {
  name: string;
  count?: number;
  vmSize?: string;
  osType?: string;
  mode?: string;
  /** enableNodePublicIP: nodes get public IPs, so NodePort/hostPort/hostNetwork are internet reachable. */
  nodePublicIp: boolean;
  powerState?: string;
}

export interface AzureIdentityRef {
  clientId?: string;
  objectId?: string;
  resourceId?: string;
}

/** What discovery records about one AKS cluster (from `GET managedClusters`). */
export interface ClusterFacts {
  /** ARM resource id, lower-cased for use as a key. */
  id: string;
  name: string;
  subscriptionId: string;
  resourceGroup: string;
  location?: string;
  kubernetesVersion?: string;
  provisioningState?: string;
  powerState?: string; // "Running" | "Stopped"
  fqdn?: string;
  privateFqdn?: string;
  privateCluster: boolean;
  authorizedIpRanges: string[];
  /** True when the API server is reachable from the internet (public, no authorized ranges). */
  publicApiServer: boolean;
  /** Kubernetes RBAC (ARM's `enableRBAC`), as ARM reports it; absent when ARM omits it. */
  enableRBAC?: boolean;
  aadManaged: boolean;
  azureRbac: boolean;
  localAccountsDisabled: boolean;
  networkPlugin?: string;
  outboundType?: string;
  nodePools: NodePoolFacts[];
  kubeletIdentity?: AzureIdentityRef;
  /** The cluster's own identity (control plane): system-assigned (principal id only) or user-assigned. */
  clusterIdentity?: AzureIdentityRef;
  oidcIssuerUrl?: string;
  workloadIdentityEnabled: boolean;
  /** networkProfile.networkPolicy: azure | calico | cilium | none (absent = no engine). */
  networkPolicy?: string;
  /** securityProfile.azureKeyVaultKms.enabled: etcd secrets encrypted with a customer key. */
  kmsEnabled?: boolean;
  /** securityProfile.defender.securityMonitoring.enabled. */
  defenderEnabled?: boolean;
  /** addonProfiles.azurepolicy.enabled. */
  azurePolicyEnabled?: boolean;
  /** autoUpgradeProfile.upgradeChannel and nodeOSUpgradeChannel. */
  upgradeChannel?: string;
  nodeOsUpgradeChannel?: string;
}

export interface ClusterRecord extends ClusterFacts {
  state: ClusterState;
  strategy?: BindStrategy;
  /** Why a cluster is unbindable or failed, and what the user can do about it. */
  reason?: string;
  remediation?: string;
  errorCode?: string;
  /** Ids of what Vantage created for the binding, so offboarding removes exactly those. */
  roleAssignmentId?: string;
  trustedAccessBindingId?: string;
  lastSnapshotAt?: string;
  lastSnapshotDigest?: string;
}

export interface SubscriptionRecord {
  subscriptionId: string;
  state: SubscriptionState;
  identity?: OperatorIdentity;
  roleDefinitionId?: string;
  roleAssignmentId?: string;
  dataRoleDefinitionId?: string;
  lastRunAt?: string;
  lastRunId?: string;
  error?: string;
}

/** A container registry discovered in an onboarded subscription (only these are ever contacted). */
export interface RegistryFacts {
  id: string;
  name: string;
  subscriptionId: string;
  loginServer: string;
  adminUserEnabled?: boolean;
  /** "Enabled" | "Disabled". */
  publicNetworkAccess?: string;
  anonymousPullEnabled?: boolean;
}

/** One Azure role assignment of an identity, with what its role definition allows there. */
export interface AzureRoleGrant {
  assignmentId: string;
  /** ARM scope of the assignment: /subscriptions/S[/resourceGroups/RG[/providers/…]]. */
  scope: string;
  roleDefinitionId: string;
  /** The role's name (e.g. "Owner"), or its definition id when the definition could not be read. */
  roleName: string;
  /** Crown-jewel capabilities the role's permissions give at that scope (evaluated action by action). */
  capabilities: string[];
}

/** A subscription where an identity's role assignments could not be read, and why. */
export interface UnreadSubscription {
  subscriptionId: string;
  reason: string;
}

/** The Azure access of one identity a cluster exposes (workload identity, kubelet, cluster). */
export interface AzureIdentityAccess {
  source: "workload-identity" | "kubelet" | "cluster";
  clientId?: string;
  principalId?: string;
  resourceId?: string;
  name?: string;
  /**
   * "known": every assignment was read in `subscriptionsRead` (the cluster's own and the other
   * onboarded subscriptions; `unreadSubscriptions` lists where they could not be); "unknown": they
   * were read nowhere (reason says why).
   */
  status: "known" | "unknown";
  reason?: string;
  /** Its assignments at, above (management groups) and below the subscriptions read, each once. */
  grants: AzureRoleGrant[];
  /** Subscriptions (lower-cased ids) whose assignments of this identity were read, the cluster's first. */
  subscriptionsRead?: string[];
  /** Subscriptions where they could not be read: what the identity may do there is unknown. */
  unreadSubscriptions?: UnreadSubscription[];
}
