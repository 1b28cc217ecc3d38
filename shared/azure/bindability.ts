// Whether Vantage can bind to a cluster with a strategy, and if not, why and what the owner can do.
// Pure: decided from ClusterFacts alone, before any ARM write.
import type { BindStrategy, ClusterFacts } from "./model.js";

export type Bindability =
  | { bindable: true }
  | { bindable: false; reason: string; remediation: string; code: UnbindableCode };

export type UnbindableCode = "ClusterStopped" | "ClusterDeleting" | "LocalAccountsOnly" | "AzureRbacDisabled" | "KubernetesRbacDisabled";

export function assessBindability(cluster: ClusterFacts, strategy: BindStrategy = "azure-rbac"): Bindability {
  const az = `--resource-group ${cluster.resourceGroup} --name ${cluster.name}`;
  if (cluster.provisioningState?.toLowerCase() === "deleting") {
    return {
      bindable: false,
      code: "ClusterDeleting",
      reason: "The cluster is being deleted.",
      remediation: "Nothing to do: the cluster will disappear from the next discovery.",
    };
  }
  if (cluster.powerState?.toLowerCase() === "stopped") {
    // A stopped cluster has no API server to read, whatever the strategy.
    return {
      bindable: false,
      code: "ClusterStopped",
      reason: "The cluster is stopped, so its Kubernetes API cannot be read.",
      remediation: `Start it (az aks start ${az}); Vantage binds it on the next run.`,
    };
  }
  if (strategy === "trusted-access") return { bindable: true };
  if (cluster.enableRBAC === false) {
    // Without Kubernetes RBAC no authorization decision consults Azure RBAC: a role assignment would
    // grant nothing, and every authenticated identity can do everything.
    return {
      bindable: false,
      code: "KubernetesRbacDisabled",
      reason: "Kubernetes RBAC is disabled (enableRBAC: false), so Azure RBAC cannot grant Vantage read access, and any authenticated identity has full access to the cluster.",
      remediation: `Kubernetes RBAC cannot be enabled on an existing cluster: recreate it with RBAC (the default), with Microsoft Entra ID and Azure RBAC (az aks create … --enable-aad --enable-azure-rbac), or onboard with the trusted-access strategy.`,
    };
  }
  if (!cluster.aadManaged) {
    return {
      bindable: false,
      code: "LocalAccountsOnly",
      reason: "The cluster uses local Kubernetes accounts only (no Microsoft Entra ID integration), so Azure RBAC cannot grant Vantage read access.",
      remediation: `Enable Microsoft Entra ID with Azure RBAC (az aks update ${az} --enable-aad --enable-azure-rbac), or onboard with the trusted-access strategy.`,
    };
  }
  if (!cluster.azureRbac) {
    return {
      bindable: false,
      code: "AzureRbacDisabled",
      reason: "Azure RBAC for Kubernetes authorization is disabled, so an Azure role assignment grants nothing inside the cluster.",
      remediation: `Enable it (az aks update ${az} --enable-azure-rbac), or onboard with the trusted-access strategy.`,
    };
  }
  return { bindable: true };
}
