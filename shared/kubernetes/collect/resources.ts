// What live collection lists. Versions in preference order; optional kinds are skipped quietly when
// the server does not serve them (EndpointSlices before 1.21, CronJobs only in batch/v1beta1 before
// 1.21). ConfigMaps are deliberately absent; Secrets are read as metadata only.
import type { SnapshotKind } from "../model.js";

export interface CollectedResource {
  kind: string;
  group: string;
  versions: string[];
  plural: string;
  into: SnapshotKind;
  optional?: boolean;
  metadataOnly?: boolean;
}

export const COLLECTED_RESOURCES: CollectedResource[] = [
  { kind: "Node", group: "", versions: ["v1"], plural: "nodes", into: "nodes" },
  { kind: "Namespace", group: "", versions: ["v1"], plural: "namespaces", into: "namespaces" },
  { kind: "Pod", group: "", versions: ["v1"], plural: "pods", into: "pods" },
  { kind: "Service", group: "", versions: ["v1"], plural: "services", into: "services" },
  { kind: "ServiceAccount", group: "", versions: ["v1"], plural: "serviceaccounts", into: "serviceAccounts" },
  { kind: "Secret", group: "", versions: ["v1"], plural: "secrets", into: "secrets", metadataOnly: true },
  { kind: "Deployment", group: "apps", versions: ["v1"], plural: "deployments", into: "workloads" },
  { kind: "ReplicaSet", group: "apps", versions: ["v1"], plural: "replicasets", into: "workloads" },
  { kind: "StatefulSet", group: "apps", versions: ["v1"], plural: "statefulsets", into: "workloads" },
  { kind: "DaemonSet", group: "apps", versions: ["v1"], plural: "daemonsets", into: "workloads" },
  { kind: "Job", group: "batch", versions: ["v1"], plural: "jobs", into: "workloads" },
  { kind: "CronJob", group: "batch", versions: ["v1", "v1beta1"], plural: "cronjobs", into: "workloads", optional: true },
  { kind: "Ingress", group: "networking.k8s.io", versions: ["v1"], plural: "ingresses", into: "ingresses" },
  { kind: "NetworkPolicy", group: "networking.k8s.io", versions: ["v1"], plural: "networkpolicies", into: "networkPolicies" },
  { kind: "EndpointSlice", group: "discovery.k8s.io", versions: ["v1"], plural: "endpointslices", into: "endpointSlices", optional: true },
  { kind: "Role", group: "rbac.authorization.k8s.io", versions: ["v1"], plural: "roles", into: "roles" },
  { kind: "ClusterRole", group: "rbac.authorization.k8s.io", versions: ["v1"], plural: "clusterroles", into: "roles" },
  { kind: "RoleBinding", group: "rbac.authorization.k8s.io", versions: ["v1"], plural: "rolebindings", into: "roleBindings" },
  { kind: "ClusterRoleBinding", group: "rbac.authorization.k8s.io", versions: ["v1"], plural: "clusterrolebindings", into: "roleBindings" },
  { kind: "ValidatingWebhookConfiguration", group: "admissionregistration.k8s.io", versions: ["v1"], plural: "validatingwebhookconfigurations", into: "webhooks" },
  { kind: "MutatingWebhookConfiguration", group: "admissionregistration.k8s.io", versions: ["v1"], plural: "mutatingwebhookconfigurations", into: "webhooks" },
];

/** Asks for PartialObjectMetadataList only — no fallback media type — so a server that cannot
 * honour it answers 406 instead of sending Secret values. */
export const METADATA_ONLY_ACCEPT = "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1";

export function listPath(group: string, version: string, plural: string): string {
  return group ? `/apis/${group}/${version}/${plural}` : `/api/${version}/${plural}`;
}
