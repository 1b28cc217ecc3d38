// The control catalog: every control, one module each under ./controls (data-only CIS §3 items
// share one module). Reports order controls by severity, then id.
import type { Control } from "./model.js";
import { acrAdminUser } from "./controls/acr-admin-user.js";
import { acrPublicNetwork } from "./controls/acr-public-network.js";
import { addedCapabilitiesControl } from "./controls/added-capabilities.js";
import { aksApiServerAccess } from "./controls/aks-api-server-access.js";
import { aksAuditLogs } from "./controls/aks-audit-logs.js";
import { aksAutoUpgrade } from "./controls/aks-auto-upgrade.js";
import { aksCniVersion } from "./controls/aks-cni-version.js";
import { aksAzurePolicy } from "./controls/aks-azure-policy.js";
import { aksAzureRbac } from "./controls/aks-azure-rbac.js";
import { aksDefender } from "./controls/aks-defender.js";
import { aksEntraId } from "./controls/aks-entra-id.js";
import { aksKms } from "./controls/aks-kms.js";
import { aksLocalAccounts } from "./controls/aks-local-accounts.js";
import { aksNetworkPolicy } from "./controls/aks-network-policy.js";
import { aksNodePublicIp } from "./controls/aks-node-public-ip.js";
import { aksPrivateCluster } from "./controls/aks-private-cluster.js";
import { aksRbacEnabled } from "./controls/aks-rbac-enabled.js";
import { aksSupportedVersion } from "./controls/aks-supported-version.js";
import { allowPrivilegeEscalation } from "./controls/allow-privilege-escalation.js";
import { appArmor } from "./controls/apparmor.js";
import { capSysAdmin } from "./controls/cap-sys-admin.js";
import { capabilitiesBaseline } from "./controls/capabilities-baseline.js";
import { capabilitiesRestricted } from "./controls/capabilities-restricted.js";
import { cisNodeFiles } from "./controls/cis-node-files.js";
import { dangerousCapabilitiesControl } from "./controls/dangerous-capabilities.js";
import { defaultNamespace } from "./controls/default-namespace.js";
import { defaultServiceAccount } from "./controls/default-service-account.js";
import { externalSecrets } from "./controls/external-secrets.js";
import { hostIPC } from "./controls/host-ipc.js";
import { hostNetwork } from "./controls/host-network.js";
import { hostPath } from "./controls/host-path.js";
import { hostPID } from "./controls/host-pid.js";
import { hostPort } from "./controls/host-port.js";
import { hostProcess } from "./controls/host-process.js";
import { ingressTls } from "./controls/ingress-tls.js";
import { namespaceNetworkPolicy } from "./controls/namespace-network-policy.js";
import { namespaceBoundaries } from "./controls/namespaces-boundaries.js";
import { privileged } from "./controls/privileged.js";
import { procMount } from "./controls/proc-mount.js";
import { pssRunAsNonRoot } from "./controls/pss-run-as-non-root.js";
import { pssRunAsUser } from "./controls/pss-run-as-user.js";
import { rbacClusterAdmin } from "./controls/rbac-cluster-admin.js";
import { rbacCsrApproval } from "./controls/rbac-csr-approval.js";
import { rbacEscalation } from "./controls/rbac-escalation.js";
import { rbacNodesProxy } from "./controls/rbac-nodes-proxy.js";
import { rbacPodCreate } from "./controls/rbac-pod-create.js";
import { rbacSecretsAccess } from "./controls/rbac-secrets-access.js";
import { rbacSystemMasters } from "./controls/rbac-system-masters.js";
import { rbacTokenCreate } from "./controls/rbac-token-create.js";
import { rbacWebhookConfig } from "./controls/rbac-webhook-config.js";
import { rbacWildcards } from "./controls/rbac-wildcards.js";
import { readOnlyRootFilesystem } from "./controls/read-only-root-filesystem.js";
import { resourceLimits } from "./controls/resource-limits.js";
import { runAsRoot } from "./controls/run-as-root.js";
import { runtimeSocket } from "./controls/runtime-socket.js";
import { seccompRequired } from "./controls/seccomp-required.js";
import { seccompUnconfined } from "./controls/seccomp-unconfined.js";
import { secretsInEnv } from "./controls/secrets-in-env.js";
import { securityContext } from "./controls/security-context.js";
import { seLinux } from "./controls/selinux.js";
import { sensitiveHostPath } from "./controls/sensitive-host-path.js";
import { servicePorts } from "./controls/service-ports.js";
import { sysctls } from "./controls/sysctls.js";
import { tokenAutomount } from "./controls/token-automount.js";
import { trustedRegistries } from "./controls/trusted-registries.js";
import { volumeTypes } from "./controls/volume-types.js";

export const CATALOG: readonly Control[] = [
  acrAdminUser,
  acrPublicNetwork,
  addedCapabilitiesControl,
  aksApiServerAccess,
  aksAuditLogs,
  aksAutoUpgrade,
  aksCniVersion,
  aksAzurePolicy,
  aksAzureRbac,
  aksDefender,
  aksEntraId,
  aksKms,
  aksLocalAccounts,
  aksNetworkPolicy,
  aksNodePublicIp,
  aksPrivateCluster,
  aksRbacEnabled,
  aksSupportedVersion,
  allowPrivilegeEscalation,
  appArmor,
  capSysAdmin,
  capabilitiesBaseline,
  capabilitiesRestricted,
  ...cisNodeFiles,
  dangerousCapabilitiesControl,
  defaultNamespace,
  defaultServiceAccount,
  externalSecrets,
  hostIPC,
  hostNetwork,
  hostPath,
  hostPID,
  hostPort,
  hostProcess,
  ingressTls,
  namespaceNetworkPolicy,
  namespaceBoundaries,
  privileged,
  procMount,
  pssRunAsNonRoot,
  pssRunAsUser,
  rbacClusterAdmin,
  rbacCsrApproval,
  rbacEscalation,
  rbacNodesProxy,
  rbacPodCreate,
  rbacSecretsAccess,
  rbacSystemMasters,
  rbacTokenCreate,
  rbacWebhookConfig,
  rbacWildcards,
  readOnlyRootFilesystem,
  resourceLimits,
  runAsRoot,
  runtimeSocket,
  seccompRequired,
  seccompUnconfined,
  secretsInEnv,
  securityContext,
  seLinux,
  sensitiveHostPath,
  servicePorts,
  sysctls,
  tokenAutomount,
  trustedRegistries,
  volumeTypes,
];
