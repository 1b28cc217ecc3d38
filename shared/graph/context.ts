// The derived, indexed view of a Snapshot that the structural builder, the insights and every
// attack-edge module read. Built once; modules stay pure functions of it.
// `buildContext` (./builders/index.ts) fills it, one builder per section of the snapshot.
import type { AzureIdentityAccess, AzureRoleGrant, UnreadSubscription } from "../azure/model.js";
import type {
  ContainerInfo, IngressInfo, NodeInfo, PodInfo, ServiceAccountInfo, ServiceInfo, Snapshot, VolumeInfo,
} from "../kubernetes/model.js";
import type { ImageVulns } from "./images.js";
import type { PermissionSet } from "./rbac.js";
import type { PodIsolation, ServiceExposure } from "./exposure.js";

export interface NodeView {
  id: string;
  name: string;
  info?: NodeInfo;
  external: boolean;
  externalEvidence: string[];
  controlPlane: boolean;
  /** Not in the snapshot: referenced by a pod (or the offline "unscheduled" node). */
  synthetic: boolean;
}

export interface MountView {
  volume: VolumeView;
  container: ContainerView;
  readOnly: boolean;
  mountPath: string;
  /** Host path the container actually sees (hostPath + subPath), for hostPath volumes. */
  hostPath?: string;
}

export interface VolumeView {
  id: string;
  name: string;
  pod: PodView;
  info: VolumeInfo;
  hostPath?: string;
  /** Holds a service-account token (projected token source or a token Secret). */
  token: boolean;
  secretNames: string[];
  synthetic: boolean;
  mounts: MountView[];
}

export interface ContainerView {
  id: string;
  name: string;
  pod: PodView;
  info: ContainerInfo;
  privileged: boolean;
  /** Added capabilities, upper-case without CAP_ ("ALL" when privileged or add: [ALL]). */
  caps: Set<string>;
  runsAsRoot: boolean;
  mounts: MountView[];
  imageRef: string;
  imageId: string;
  vulns?: ImageVulns;
  tokenMounted: boolean;
}

export interface PodView {
  id: string;
  name: string;
  namespace: string;
  info: PodInfo;
  node: NodeView;
  serviceAccountId: string;
  serviceAccount?: ServiceAccountInfo;
  tokenAutomounted: boolean;
  containers: ContainerView[];
  volumes: VolumeView[];
  isolation: PodIsolation;
  /** Internet-reachable endpoints that route to this pod. */
  exposedBy: string[];
}

export interface EndpointTarget {
  container: ContainerView;
  /** Reachable from the internet (endpoint public and the pod not isolated by NetworkPolicy). */
  internet: boolean;
}

export interface EndpointView {
  id: string;
  namespace: string;
  owner: string;
  ownerKind: "service" | "pod";
  ownerId: string;
  port: number;
  portName: string;
  protocol: string;
  exposed: boolean;
  exposure: string[];
  evidence: string[];
  targets: EndpointTarget[];
}

export interface IdentityView {
  id: string;
  type: "serviceaccount" | "user" | "group";
  name: string;
  namespace?: string;
  info?: ServiceAccountInfo;
  synthetic: boolean;
}

export interface PermissionSetView extends PermissionSet {
  clusterAdmin: boolean;
  subjectIds: string[];
}

export interface SecretView {
  id: string;
  namespace: string;
  name: string;
  type?: string;
  declared: boolean;
  keys?: string[];
  /** For kubernetes.io/service-account-token secrets: the service account it holds a token of. */
  serviceAccountId?: string;
}

export interface ServiceView {
  id: string;
  info: ServiceInfo;
  exposure: ServiceExposure;
  pods: PodView[];
  endpoints: EndpointView[];
}

export interface IngressView {
  id: string;
  info: IngressInfo;
  exposure: ServiceExposure;
  services: ServiceView[];
}

export interface CloudIdentityView {
  id: string;
  /** Absent for a system-assigned cluster identity (ARM reports only its principal id). */
  clientId?: string;
  source: "workload-identity" | "kubelet" | "cluster";
  tenantId?: string;
  principalId?: string;
  /** Managed identity name and ARM resource id, when known. */
  name?: string;
  resourceId?: string;
  /** Its Azure role assignments: read ("known"), unreadable ("unknown", with the reason), or not asked for. */
  azure: "known" | "unknown" | "not-read";
  azureReason?: string;
  grants: AzureRoleGrant[];
  /** Subscriptions whose assignments were read, and those that could not be (permissions there unknown). */
  azureRead?: string[];
  azureUnread?: UnreadSubscription[];
}

export interface AzureScopeView {
  id: string;
  /** ARM scope: /subscriptions/S[/resourceGroups/RG[/providers/…]], a management group, or "/". */
  scope: string;
  type: "managementGroup" | "subscription" | "resourceGroup" | "resource";
  name: string;
  /** Crown-jewel capabilities some identity of the cluster holds here. */
  capabilities: Set<string>;
}

export interface GraphContext {
  snapshot: Snapshot;
  clusterName: string;
  clusterId: string;
  nodes: Map<string, NodeView>;
  pods: PodView[];
  podsByNode: Map<string, PodView[]>;
  podsByNamespace: Map<string, PodView[]>;
  containers: ContainerView[];
  volumes: VolumeView[];
  services: ServiceView[];
  ingresses: IngressView[];
  endpoints: EndpointView[];
  identities: Map<string, IdentityView>;
  serviceAccountsByNamespace: Map<string, IdentityView[]>;
  permissionSets: PermissionSetView[];
  /** Permission sets per subject identity id (direct subjects and, for SAs, their implicit groups). */
  permissionSetsBySubject: Map<string, PermissionSetView[]>;
  secrets: Map<string, SecretView>;
  secretsByNamespace: Map<string, SecretView[]>;
  cloudIdentities: Map<string, CloudIdentityView>;
  kubeletIdentityId?: string;
  azureScopes: Map<string, AzureScopeView>;
  warnings: string[];
}

/** Facts from outside the snapshot that the graph joins in (all optional; pure data). */
export interface ContextInputs {
  /** Azure role assignments of the cluster's identities. */
  azure?: AzureIdentityAccess[];
}

export function hasCap(c: ContainerView, cap: string): boolean {
  return c.privileged || c.caps.has("ALL") || c.caps.has(cap);
}

// Path facts have one definition, shared with the posture controls.
export { normalizePath, pathCovers as covers } from "../kubernetes/pod-security.js";
