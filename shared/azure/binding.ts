// Binding = granting the operator read access to one cluster's Kubernetes API. Called once per
// cluster in a fan-out, so per-cluster ARM failures are returned as `failed`, never thrown.
import type { ArmConnection } from "./connection.js";
import { armClients, lroOptions } from "./connection.js";
import { assessBindability } from "./bindability.js";
import { ArmError, isNotFound, toArmError } from "./errors.js";
import { parseResourceId, parseResourceIdOfType } from "./ids.js";
import type { BindStrategy, ClusterFacts } from "./model.js";
import { MANAGED_CLUSTER_TYPE } from "./clusters.js";
import { ensureDataReadRole, ensureRoleAssignment, removeRoleAssignment } from "./roles.js";

/** Name of the trusted-access binding Vantage creates on each cluster (1-24 chars, [A-Za-z0-9-]). */
export const TRUSTED_ACCESS_BINDING_NAME = "vantage-posture";

export interface TrustedAccessConfig {
  /** The resource the binding trusts (its managed identity gets the roles), e.g. a Microsoft.Security pricing. */
  sourceResourceId: string;
  /** Roles owned by the source's resource provider, e.g. Microsoft.Security/pricings/microsoft-defender-operator. */
  roles: string[];
}

export interface BindOptions {
  strategy?: BindStrategy;
  /** The operator identity's principal (object) id. */
  principalId: string;
  /** The data-read role; created on demand when absent (pass it in fan-outs to save calls). */
  dataRoleDefinitionId?: string;
  trustedAccess?: TrustedAccessConfig;
}

export interface BindResult {
  state: "bound" | "unbindable" | "failed";
  strategy: BindStrategy;
  reason?: string;
  remediation?: string;
  errorCode?: string;
  roleAssignmentId?: string;
  trustedAccessBindingId?: string;
}

export async function bindCluster(conn: ArmConnection, cluster: ClusterFacts, options: BindOptions): Promise<BindResult> {
  const strategy = options.strategy ?? "azure-rbac";
  const verdict = assessBindability(cluster, strategy);
  if (!verdict.bindable) {
    return { state: "unbindable", strategy, reason: verdict.reason, remediation: verdict.remediation, errorCode: verdict.code };
  }
  try {
    if (strategy === "trusted-access") {
      if (!options.trustedAccess) {
        return failed(strategy, new ArmError("TrustedAccessNotConfigured", "trusted-access strategy needs sourceResourceId and roles", 0));
      }
      return { state: "bound", strategy, trustedAccessBindingId: await ensureTrustedAccessBinding(conn, cluster, options.trustedAccess) };
    }
    const roleDefinitionId = options.dataRoleDefinitionId ?? (await ensureDataReadRole(conn));
    const { roleAssignmentId } = await ensureRoleAssignment(conn, {
      scope: cluster.id,
      roleDefinitionId,
      principalId: options.principalId,
      purpose: "data-read-assignment",
    });
    return { state: "bound", strategy, roleAssignmentId };
  } catch (err) {
    return failed(strategy, toArmError(err));
  }
}

function failed(strategy: BindStrategy, err: ArmError): BindResult {
  return { state: "failed", strategy, errorCode: err.code, reason: err.message, remediation: remediationFor(err) };
}

/** What the customer can do about the ARM errors that realistically stop a binding. */
function remediationFor(err: ArmError): string {
  switch (err.code) {
    case "AuthorizationFailed":
      return "Grant the onboarding principal permission to create role assignments / trusted-access bindings on this cluster (e.g. Owner or Role Based Access Control Administrator).";
    case "ScopeLocked":
      return "Remove the resource lock on the cluster or its resource group, or exclude the cluster.";
    case "TrustedAccessNotConfigured":
      return "Configure the trusted-access source resource id and roles, or use the azure-rbac strategy.";
    default:
      return err.status >= 500 || err.status === 429 || err.status === 0
        ? "Transient Azure error: Vantage retries on the next run."
        : "See the error code and message; Vantage retries on the next run.";
  }
}

async function ensureTrustedAccessBinding(conn: ArmConnection, cluster: ClusterFacts, config: TrustedAccessConfig): Promise<string> {
  parseResourceId(config.sourceResourceId);
  const poller = armClients(conn).containerService.trustedAccessRoleBindings.createOrUpdate(
    cluster.resourceGroup,
    cluster.name,
    TRUSTED_ACCESS_BINDING_NAME,
    { sourceResourceId: config.sourceResourceId, roles: config.roles },
    lroOptions(conn),
  );
  const binding = await poller.pollUntilDone();
  if (binding.provisioningState && binding.provisioningState !== "Succeeded") {
    throw new ArmError("TrustedAccessBindingFailed", `binding ended in state ${binding.provisioningState}`, 0);
  }
  return binding.id ?? `${cluster.id}/trustedAccessRoleBindings/${TRUSTED_ACCESS_BINDING_NAME}`;
}

export interface UnbindResult {
  state: "unbound" | "failed";
  /** Ids actually deleted (missing ones were already gone). */
  removed: string[];
  errorCode?: string;
  reason?: string;
}

/** Deletes exactly what bindCluster created (ids from its result). Never throws for ARM errors. */
export async function unbindCluster(
  conn: ArmConnection,
  binding: { roleAssignmentId?: string; trustedAccessBindingId?: string },
): Promise<UnbindResult> {
  const removed: string[] = [];
  try {
    if (binding.roleAssignmentId && (await removeRoleAssignment(conn, binding.roleAssignmentId))) {
      removed.push(binding.roleAssignmentId);
    }
    if (binding.trustedAccessBindingId && (await removeTrustedAccessBinding(conn, binding.trustedAccessBindingId))) {
      removed.push(binding.trustedAccessBindingId);
    }
    return { state: "unbound", removed };
  } catch (err) {
    const armError = toArmError(err);
    return { state: "failed", removed, errorCode: armError.code, reason: armError.message };
  }
}

async function removeTrustedAccessBinding(conn: ArmConnection, bindingId: string): Promise<boolean> {
  const id = parseResourceIdOfType(bindingId, `${MANAGED_CLUSTER_TYPE}/trustedAccessRoleBindings`);
  const clusterName = id.segments[0]!.name;
  const { trustedAccessRoleBindings } = armClients(conn).containerService;
  try {
    // A GET first: the delete LRO answers 204 for a missing binding, which would hide "already gone".
    await trustedAccessRoleBindings.get(id.resourceGroup, clusterName, id.name);
    await trustedAccessRoleBindings.delete(id.resourceGroup, clusterName, id.name, lroOptions(conn)).pollUntilDone();
    return true;
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return false;
    throw armError;
  }
}
