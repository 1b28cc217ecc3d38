// The exact permissions Vantage holds. infra/main.bicep declares the same lists (a test compares the
// Bicep text with these constants), so a change here is a change there.

/**
 * Management-plane actions of the operator identity, at subscription scope. Least privilege: read
 * clusters and registries, manage only trusted-access bindings and Event Grid subscriptions (the
 * two kinds of resources Vantage creates with this identity), and pull images it has to scan.
 */
export const OPERATOR_ROLE_ACTIONS = [
  "Microsoft.ContainerService/managedClusters/read",
  "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/read",
  "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/write",
  "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings/delete",
  "Microsoft.ContainerRegistry/registries/read",
  "Microsoft.ContainerRegistry/registries/pull/read",
  "Microsoft.EventGrid/eventSubscriptions/write",
  "Microsoft.EventGrid/eventSubscriptions/delete",
  // Azure blast radius of the identities a cluster exposes: their role assignments, the roles'
  // definitions, and the user-assigned identities (a workload identity is known by client id only).
  "Microsoft.Authorization/roleAssignments/read",
  "Microsoft.Authorization/roleDefinitions/read",
  "Microsoft.ManagedIdentity/userAssignedIdentities/read",
] as const;

const K8S = "Microsoft.ContainerService/managedClusters";

/**
 * Kubernetes read data-actions (Azure RBAC for Kubernetes authorization), enumerated one by one:
 * a wildcard such as `managedClusters/*\/read` would include Secrets (and ConfigMaps, which often
 * hold credentials too). Exactly the kinds the snapshot collector lists, Secrets excepted — a test
 * keeps the two equal.
 */
export const DATA_READ_ACTIONS = [
  `${K8S}/namespaces/read`,
  `${K8S}/nodes/read`,
  `${K8S}/pods/read`,
  `${K8S}/services/read`,
  `${K8S}/serviceaccounts/read`,
  `${K8S}/apps/deployments/read`,
  `${K8S}/apps/replicasets/read`,
  `${K8S}/apps/statefulsets/read`,
  `${K8S}/apps/daemonsets/read`,
  `${K8S}/batch/jobs/read`,
  `${K8S}/batch/cronjobs/read`,
  `${K8S}/discovery.k8s.io/endpointslices/read`,
  `${K8S}/networking.k8s.io/ingresses/read`,
  `${K8S}/networking.k8s.io/networkpolicies/read`,
  `${K8S}/rbac.authorization.k8s.io/roles/read`,
  `${K8S}/rbac.authorization.k8s.io/rolebindings/read`,
  `${K8S}/rbac.authorization.k8s.io/clusterroles/read`,
  `${K8S}/rbac.authorization.k8s.io/clusterrolebindings/read`,
  `${K8S}/admissionregistration.k8s.io/mutatingwebhookconfigurations/read`,
  `${K8S}/admissionregistration.k8s.io/validatingwebhookconfigurations/read`,
] as const;

export const OPERATOR_ROLE_NAME = "Vantage Posture Operator";
export const DATA_READ_ROLE_NAME = "Vantage Kubernetes Reader";
