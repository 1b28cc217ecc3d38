// The ClusterRoles every Kubernetes API server creates at start-up (its RBAC bootstrap policy),
// for offline manifests: a binding to `cluster-admin`, `edit` or `system:kube-controller-manager`
// means what it means on a real cluster even though the manifests never declare those roles.
// `admin`, `edit` and `view` aggregate the `system:aggregate-to-*` roles, exactly as on a cluster.
import type { PolicyRule, RoleInfo } from "../kubernetes/model.js";

const READ = ["get", "list", "watch"];
const WRITE = ["create", "update", "patch", "delete", "deletecollection"];
const READ_WRITE = [...READ, ...WRITE];

const r = (verbs: string[], apiGroups: string[], resources: string[], resourceNames: string[] = []): PolicyRule =>
  ({ verbs, apiGroups, resources, resourceNames, nonResourceURLs: [] });
const urls = (verbs: string[], nonResourceURLs: string[]): PolicyRule => ({ verbs, apiGroups: [], resources: [], resourceNames: [], nonResourceURLs });
const role = (name: string, rules: PolicyRule[], labels: Record<string, string> = {}, aggregateFrom?: string): RoleInfo => ({
  meta: { name, labels: { "kubernetes.io/bootstrapping": "rbac-defaults", ...labels }, annotations: {}, ownerReferences: [] },
  kind: "ClusterRole",
  rules,
  ...(aggregateFrom ? { aggregationRule: { clusterRoleSelectors: [{ matchLabels: { [aggregateFrom]: "true" } }] } } : {}),
});

const AGG = "rbac.authorization.k8s.io/aggregate-to-";

export const BUILTIN_CLUSTER_ROLES: readonly RoleInfo[] = [
  role("cluster-admin", [r(["*"], ["*"], ["*"]), urls(["*"], ["*"])]),
  role("admin", [], {}, `${AGG}admin`),
  role("edit", [], { [`${AGG}admin`]: "true" }, `${AGG}edit`),
  role("view", [], { [`${AGG}edit`]: "true" }, `${AGG}view`),
  role("system:aggregate-to-admin", [
    r(["create"], ["authorization.k8s.io"], ["localsubjectaccessreviews"]),
    r(READ_WRITE, ["rbac.authorization.k8s.io"], ["roles", "rolebindings"]),
  ], { [`${AGG}admin`]: "true" }),
  role("system:aggregate-to-edit", [
    r(READ, [""], ["pods/attach", "pods/proxy", "pods/exec", "pods/portforward", "secrets", "services/proxy"]),
    r(["impersonate"], [""], ["serviceaccounts"]),
    r(WRITE, [""], ["pods", "pods/attach", "pods/proxy", "pods/exec", "pods/portforward"]),
    r(["create"], [""], ["pods/eviction"]),
    r(WRITE, [""], ["replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/proxy", "persistentvolumeclaims", "configmaps", "secrets", "events"]),
    r(["create"], [""], ["serviceaccounts/token"]),
    r(WRITE, ["apps"], ["statefulsets", "statefulsets/scale", "daemonsets", "deployments", "deployments/scale", "deployments/rollback", "replicasets", "replicasets/scale"]),
    r(WRITE, ["autoscaling"], ["horizontalpodautoscalers"]),
    r(WRITE, ["batch"], ["jobs", "cronjobs"]),
    r(WRITE, ["policy"], ["poddisruptionbudgets"]),
    r(WRITE, ["networking.k8s.io"], ["networkpolicies", "ingresses"]),
    r(READ_WRITE, ["coordination.k8s.io"], ["leases"]),
  ], { [`${AGG}edit`]: "true" }),
  role("system:aggregate-to-view", [
    r(READ, [""], ["pods", "replicationcontrollers", "replicationcontrollers/scale", "serviceaccounts", "services", "services/status", "endpoints", "persistentvolumeclaims", "persistentvolumeclaims/status", "configmaps"]),
    r(READ, [""], ["limitranges", "resourcequotas", "bindings", "events", "pods/status", "resourcequotas/status", "namespaces/status", "replicationcontrollers/status", "pods/log"]),
    r(READ, [""], ["namespaces"]),
    r(READ, ["discovery.k8s.io"], ["endpointslices"]),
    r(READ, ["apps"], ["controllerrevisions", "statefulsets", "statefulsets/status", "statefulsets/scale", "daemonsets", "daemonsets/status", "deployments", "deployments/status", "deployments/scale", "replicasets", "replicasets/status", "replicasets/scale"]),
    r(READ, ["autoscaling"], ["horizontalpodautoscalers", "horizontalpodautoscalers/status"]),
    r(READ, ["batch"], ["jobs", "cronjobs", "cronjobs/status", "jobs/status"]),
    r(READ, ["policy"], ["poddisruptionbudgets", "poddisruptionbudgets/status"]),
    r(READ, ["networking.k8s.io"], ["networkpolicies", "ingresses", "ingresses/status"]),
  ], { [`${AGG}view`]: "true" }),
  role("system:basic-user", [r(["create"], ["authorization.k8s.io"], ["selfsubjectaccessreviews", "selfsubjectrulesreviews"])]),
  role("system:discovery", [urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/", "/openapi", "/openapi/*", "/api", "/api/*", "/apis", "/apis/*"])]),
  role("system:public-info-viewer", [urls(["get"], ["/livez", "/readyz", "/healthz", "/version", "/version/"])]),
  role("system:monitoring", [urls(["get"], ["/healthz", "/healthz/*", "/livez", "/livez/*", "/readyz", "/readyz/*", "/metrics", "/metrics/slis"])]),
  role("system:auth-delegator", [r(["create"], ["authentication.k8s.io"], ["tokenreviews"]), r(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"])]),
  role("system:heapster", [r(READ, [""], ["events", "pods", "nodes", "namespaces"]), r(READ, ["extensions"], ["deployments"])]),
  role("system:kube-dns", [r(["list", "watch"], [""], ["endpoints", "services"])]),
  role("system:node-proxier", [r(["list", "watch"], [""], ["services", "endpoints"]), r(["get", "list", "watch"], [""], ["nodes"]), r(["list", "watch"], ["discovery.k8s.io"], ["endpointslices"])]),
  role("system:node-bootstrapper", [r(["create", "get", "list", "watch"], ["certificates.k8s.io"], ["certificatesigningrequests"])]),
  role("system:kubelet-api-admin", [r(READ, [""], ["nodes"]), r(["proxy"], [""], ["nodes"]), r(["*"], [""], ["nodes/proxy", "nodes/metrics", "nodes/stats", "nodes/log"])]),
  role("system:persistent-volume-provisioner", [r(["get", "list", "watch", "create", "delete"], [""], ["persistentvolumes"]), r(["get", "list", "watch", "update"], [""], ["persistentvolumeclaims"]), r(READ, ["storage.k8s.io"], ["storageclasses"])]),
  role("system:kube-scheduler", [
    r(["create"], ["coordination.k8s.io"], ["leases"]),
    r(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-scheduler"]),
    r(READ, [""], ["nodes", "namespaces", "services", "persistentvolumeclaims", "persistentvolumes", "replicationcontrollers"]),
    r(["get", "list", "watch", "delete"], [""], ["pods"]),
    r(["create"], [""], ["bindings", "pods/binding"]),
    r(["patch", "update"], [""], ["pods/status"]),
  ]),
  role("system:kube-controller-manager", [
    r(["create"], ["coordination.k8s.io"], ["leases"]),
    r(["get", "update"], ["coordination.k8s.io"], ["leases"], ["kube-controller-manager"]),
    r(["create"], [""], ["secrets", "serviceaccounts"]),
    r(["delete"], [""], ["secrets"]),
    r(["get"], [""], ["namespaces", "secrets", "serviceaccounts", "configmaps"]),
    r(["update"], [""], ["secrets", "serviceaccounts"]),
    r(["create"], ["authentication.k8s.io"], ["tokenreviews"]),
    r(["create"], ["authorization.k8s.io"], ["subjectaccessreviews"]),
    r(["list", "watch"], ["*"], ["*"]),
    r(["create"], [""], ["serviceaccounts/token"]),
  ]),
];
