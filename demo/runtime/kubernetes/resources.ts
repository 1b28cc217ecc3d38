// The API resources the emulator serves, with the discovery facts a real API server publishes.
export interface EmulatedResource {
  group: string; // "" for the core group
  version: string;
  plural: string;
  kind: string;
  namespaced: boolean;
  shortNames?: string[];
}

export const RESOURCES: EmulatedResource[] = [
  { group: "", version: "v1", plural: "namespaces", kind: "Namespace", namespaced: false, shortNames: ["ns"] },
  { group: "", version: "v1", plural: "nodes", kind: "Node", namespaced: false, shortNames: ["no"] },
  { group: "", version: "v1", plural: "pods", kind: "Pod", namespaced: true, shortNames: ["po"] },
  { group: "", version: "v1", plural: "services", kind: "Service", namespaced: true, shortNames: ["svc"] },
  { group: "", version: "v1", plural: "serviceaccounts", kind: "ServiceAccount", namespaced: true, shortNames: ["sa"] },
  { group: "", version: "v1", plural: "secrets", kind: "Secret", namespaced: true },
  { group: "", version: "v1", plural: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"] },
  { group: "apps", version: "v1", plural: "deployments", kind: "Deployment", namespaced: true, shortNames: ["deploy"] },
  { group: "apps", version: "v1", plural: "replicasets", kind: "ReplicaSet", namespaced: true, shortNames: ["rs"] },
  { group: "apps", version: "v1", plural: "statefulsets", kind: "StatefulSet", namespaced: true, shortNames: ["sts"] },
  { group: "apps", version: "v1", plural: "daemonsets", kind: "DaemonSet", namespaced: true, shortNames: ["ds"] },
  { group: "batch", version: "v1", plural: "jobs", kind: "Job", namespaced: true },
  { group: "batch", version: "v1", plural: "cronjobs", kind: "CronJob", namespaced: true, shortNames: ["cj"] },
  { group: "batch", version: "v1beta1", plural: "cronjobs", kind: "CronJob", namespaced: true, shortNames: ["cj"] },
  { group: "networking.k8s.io", version: "v1", plural: "ingresses", kind: "Ingress", namespaced: true, shortNames: ["ing"] },
  { group: "networking.k8s.io", version: "v1", plural: "networkpolicies", kind: "NetworkPolicy", namespaced: true, shortNames: ["netpol"] },
  { group: "networking.k8s.io", version: "v1", plural: "ingressclasses", kind: "IngressClass", namespaced: false },
  { group: "discovery.k8s.io", version: "v1", plural: "endpointslices", kind: "EndpointSlice", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "roles", kind: "Role", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "rolebindings", kind: "RoleBinding", namespaced: true },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterroles", kind: "ClusterRole", namespaced: false },
  { group: "rbac.authorization.k8s.io", version: "v1", plural: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false },
  { group: "admissionregistration.k8s.io", version: "v1", plural: "validatingwebhookconfigurations", kind: "ValidatingWebhookConfiguration", namespaced: false },
  { group: "admissionregistration.k8s.io", version: "v1", plural: "mutatingwebhookconfigurations", kind: "MutatingWebhookConfiguration", namespaced: false },
];

/** `batch/v1beta1` CronJobs are only served when asked for (clusters older than 1.21). */
export const DEFAULT_DISABLED_APIS = ["batch/v1beta1"];

export function groupVersion(r: { group: string; version: string }): string {
  return r.group ? `${r.group}/${r.version}` : r.version;
}

/** Objects are stored by group + kind, whatever version they were written in. */
export function storeKey(group: string, kind: string): string {
  return `${group}/${kind}`;
}

export function groupOfApiVersion(apiVersion: string): string {
  const slash = apiVersion.indexOf("/");
  const group = slash < 0 ? "" : apiVersion.slice(0, slash);
  return group === "extensions" ? "networking.k8s.io" : group;
}

/** `"batch/v1beta1"` disables a group version; `"discovery.k8s.io/v1/endpointslices"` one resource. */
export function isServed(r: EmulatedResource, disabled: string[]): boolean {
  const gv = r.group ? `${r.group}/${r.version}` : `core/${r.version}`;
  const alt = r.group ? gv : r.version;
  return !disabled.some((d) => d === gv || d === alt || d === `${gv}/${r.plural}` || d === `${alt}/${r.plural}`);
}
