// The one Snapshot model: what Vantage keeps of a cluster, from the live API or offline manifests.
// Everything security-relevant, nothing secret: Secrets appear as metadata only, env values are
// dropped (only references by name are kept), and last-applied annotations are stripped.

import type { ClusterFacts } from "../azure/model.js";

export const SNAPSHOT_SCHEMA_VERSION = 1 as const;

export interface ObjectMeta {
  name: string;
  /** Absent for cluster-scoped objects. */
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  creationTimestamp?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  ownerReferences: { kind: string; name: string; uid?: string; controller?: boolean }[];
}

export interface LabelSelectorRequirement {
  key: string;
  operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  values?: string[];
}
export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: LabelSelectorRequirement[];
}

export interface Capabilities {
  add: string[];
  drop: string[];
}

export interface SecurityContext {
  privileged?: boolean;
  allowPrivilegeEscalation?: boolean;
  runAsUser?: number;
  runAsGroup?: number;
  runAsNonRoot?: boolean;
  readOnlyRootFilesystem?: boolean;
  capabilities?: Capabilities;
  /** seccompProfile.type (RuntimeDefault | Localhost | Unconfined), with the localhost profile after a colon. */
  seccompProfile?: string;
  /** appArmorProfile.type or the legacy container.apparmor.security.beta.kubernetes.io annotation value. */
  appArmorProfile?: string;
  procMount?: string;
  /** seLinuxOptions as given (type/user/role/level). */
  seLinuxOptions?: { type?: string; user?: string; role?: string; level?: string };
  /** windowsOptions.hostProcess. */
  windowsHostProcess?: boolean;
  /** Pod level only: sysctl names (values are not kept). */
  sysctls?: string[];
  /** Pod level only: supplementalGroups and fsGroup. */
  supplementalGroups?: number[];
  fsGroup?: number;
}

export interface ContainerPort {
  name?: string;
  containerPort: number;
  hostPort?: number;
  protocol: string;
}

export interface VolumeMount {
  name: string;
  mountPath: string;
  readOnly: boolean;
  subPath?: string;
}

/** A reference to a Secret or ConfigMap from env/envFrom: names only, never values. */
export interface EnvSourceRef {
  kind: "Secret" | "ConfigMap";
  name: string;
  key?: string;
}

export type ContainerKind = "container" | "init" | "ephemeral";

export interface ContainerInfo {
  name: string;
  kind: ContainerKind;
  image: string;
  /** `sha256:…` resolved from status.containerStatuses[].imageID when known. */
  imageDigest?: string;
  securityContext: SecurityContext;
  ports: ContainerPort[];
  volumeMounts: VolumeMount[];
  envSources: EnvSourceRef[];
  command?: string[];
  args?: string[];
  /** resources.limits / resources.requests quantities as written (e.g. cpu "500m", memory "256Mi"). */
  resources?: { limits: Record<string, string>; requests: Record<string, string> };
}

export type VolumeType =
  | "hostPath"
  | "secret"
  | "configMap"
  | "projected"
  | "emptyDir"
  | "persistentVolumeClaim"
  | "downwardAPI"
  | "csi"
  | "other";

export interface VolumeInfo {
  name: string;
  type: VolumeType;
  /** The volume source's own field name when `type` is "other" or "csi" (nfs, azureFile, ephemeral, …). */
  source?: string;
  hostPath?: { path: string; type?: string };
  secretName?: string;
  configMapName?: string;
  claimName?: string;
  /** Projected service-account token source, if any. */
  serviceAccountToken?: { path: string; audience?: string; expirationSeconds?: number };
  /** Names of Secrets/ConfigMaps a projected volume pulls in. */
  projectedSecrets?: string[];
  projectedConfigMaps?: string[];
}

export interface PodInfo {
  meta: ObjectMeta;
  nodeName?: string;
  phase?: string;
  serviceAccountName: string;
  automountServiceAccountToken?: boolean;
  hostNetwork: boolean;
  hostPID: boolean;
  hostIPC: boolean;
  shareProcessNamespace: boolean;
  securityContext: SecurityContext;
  containers: ContainerInfo[];
  volumes: VolumeInfo[];
  /** The top-level controller (Deployment, DaemonSet, …) resolved through owner references. */
  workload?: { kind: string; name: string };
  /** True when this pod was expanded from a workload template (offline manifests). */
  fromTemplate?: boolean;
  /** The pod label azure.workload.identity/use is "true": the webhook injects a federated token. */
  usesWorkloadIdentity?: boolean;
}

/** Node name given to pods expanded from templates that name no node (graph id `node:unscheduled`). */
export const UNSCHEDULED_NODE = "unscheduled";

export type WorkloadKind = "Deployment" | "ReplicaSet" | "StatefulSet" | "DaemonSet" | "Job" | "CronJob" | "ReplicationController";

export interface WorkloadInfo {
  meta: ObjectMeta;
  kind: WorkloadKind;
  replicas?: number;
  selector?: LabelSelector;
  serviceAccountName?: string;
  schedule?: string;
}

export interface NodeInfo {
  meta: ObjectMeta;
  addresses: { type: string; address: string }[];
  kubeletVersion?: string;
  osImage?: string;
  containerRuntimeVersion?: string;
  providerID?: string;
  taints: { key: string; value?: string; effect: string }[];
  unschedulable: boolean;
}

export interface NamespaceInfo {
  meta: ObjectMeta;
  phase?: string;
}

export interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
  protocol: string;
}

export interface ServiceInfo {
  meta: ObjectMeta;
  type: "ClusterIP" | "NodePort" | "LoadBalancer" | "ExternalName";
  clusterIP?: string;
  ports: ServicePort[];
  selector: Record<string, string>;
  externalIPs: string[];
  loadBalancerIngress: { ip?: string; hostname?: string }[];
  loadBalancerSourceRanges: string[];
  /** service.beta.kubernetes.io/azure-load-balancer-internal: "true". */
  internal: boolean;
  externalName?: string;
}

export interface EndpointSliceInfo {
  meta: ObjectMeta;
  serviceName?: string;
  addressType?: string;
  endpoints: {
    addresses: string[];
    ready?: boolean;
    nodeName?: string;
    targetRef?: { kind: string; name: string; namespace?: string };
  }[];
  ports: { name?: string; port?: number; protocol?: string }[];
}

export interface IngressBackendRef {
  serviceName: string;
  servicePort?: number | string;
}

export interface IngressInfo {
  meta: ObjectMeta;
  ingressClassName?: string;
  rules: { host?: string; paths: ({ path?: string; pathType?: string } & IngressBackendRef)[] }[];
  defaultBackend?: IngressBackendRef;
  tls: { hosts: string[]; secretName?: string }[];
  loadBalancerIngress: { ip?: string; hostname?: string }[];
}

export interface NetworkPolicyPeer {
  podSelector?: LabelSelector;
  namespaceSelector?: LabelSelector;
  ipBlock?: { cidr: string; except?: string[] };
}

export interface NetworkPolicyRule {
  peers: NetworkPolicyPeer[];
  ports: { protocol?: string; port?: number | string; endPort?: number }[];
}

export interface NetworkPolicyInfo {
  meta: ObjectMeta;
  podSelector: LabelSelector;
  policyTypes: ("Ingress" | "Egress")[];
  ingress: NetworkPolicyRule[];
  egress: NetworkPolicyRule[];
}

export interface ServiceAccountInfo {
  meta: ObjectMeta;
  automountServiceAccountToken?: boolean;
  /** azure.workload.identity/client-id and tenant-id annotations. */
  workloadIdentity?: { clientId: string; tenantId?: string };
}

export interface PolicyRule {
  verbs: string[];
  apiGroups: string[];
  resources: string[];
  resourceNames: string[];
  nonResourceURLs: string[];
}

export interface RoleInfo {
  meta: ObjectMeta;
  kind: "Role" | "ClusterRole";
  rules: PolicyRule[];
  aggregationRule?: { clusterRoleSelectors: LabelSelector[] };
  /** For aggregated ClusterRoles: the ClusterRoles whose rules were unioned into `rules`. */
  aggregatedFrom?: string[];
}

export interface Subject {
  kind: "ServiceAccount" | "User" | "Group";
  name: string;
  namespace?: string;
}

export interface RoleBindingInfo {
  meta: ObjectMeta;
  kind: "RoleBinding" | "ClusterRoleBinding";
  roleRef: { kind: "Role" | "ClusterRole"; name: string };
  subjects: Subject[];
}

/** Secrets are kept as metadata only. There is deliberately no field that could hold data. */
export interface SecretMeta {
  meta: ObjectMeta;
  type: string;
  /** Key names only (never values), when known from offline manifests. */
  keys?: string[];
}

export interface WebhookConfigInfo {
  meta: ObjectMeta;
  kind: "ValidatingWebhookConfiguration" | "MutatingWebhookConfiguration";
  webhooks: { name: string; failurePolicy?: string; service?: string; url?: string; rules: number }[];
}

export type SnapshotKind =
  | "nodes"
  | "namespaces"
  | "pods"
  | "workloads"
  | "services"
  | "endpointSlices"
  | "ingresses"
  | "networkPolicies"
  | "serviceAccounts"
  | "roles"
  | "roleBindings"
  | "secrets"
  | "webhooks";

/** Cluster facts in a snapshot: ARM facts when known (live), or just a name (offline). */
export type SnapshotCluster = Partial<ClusterFacts> & { name: string };

export interface Snapshot {
  schemaVersion: typeof SNAPSHOT_SCHEMA_VERSION;
  source: "live" | "manifests";
  cluster: SnapshotCluster;
  collectedAt: string;
  /** Kinds that could not be read (403, missing API): the snapshot is partial. */
  partial: boolean;
  notVisible: SnapshotKind[];
  warnings: string[];
  nodes: NodeInfo[];
  namespaces: NamespaceInfo[];
  pods: PodInfo[];
  workloads: WorkloadInfo[];
  services: ServiceInfo[];
  endpointSlices: EndpointSliceInfo[];
  ingresses: IngressInfo[];
  networkPolicies: NetworkPolicyInfo[];
  serviceAccounts: ServiceAccountInfo[];
  roles: RoleInfo[];
  roleBindings: RoleBindingInfo[];
  secrets: SecretMeta[];
  webhooks: WebhookConfigInfo[];
}

export function emptySnapshot(cluster: SnapshotCluster, source: Snapshot["source"], collectedAt: string): Snapshot {
  return {
    schemaVersion: SNAPSHOT_SCHEMA_VERSION,
    source,
    cluster,
    collectedAt,
    partial: false,
    notVisible: [],
    warnings: [],
    nodes: [],
    namespaces: [],
    pods: [],
    workloads: [],
    services: [],
    endpointSlices: [],
    ingresses: [],
    networkPolicies: [],
    serviceAccounts: [],
    roles: [],
    roleBindings: [],
    secrets: [],
    webhooks: [],
  };
}
