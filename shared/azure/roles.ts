// Custom role definitions and role assignments. Names are deterministic GUIDs (subscription +
// purpose [+ scope + principal]) so a re-run PUTs the same resources instead of piling up copies.
import type { ArmConnection } from "./connection.js";
import { armClients } from "./connection.js";
import { ArmError, isNotFound, toArmError } from "./errors.js";
import { deterministicGuid, parseResourceId, parseSubscriptionId, scopeParameter, subscriptionScope } from "./ids.js";
import { DATA_READ_ACTIONS, DATA_READ_ROLE_NAME, OPERATOR_ROLE_ACTIONS, OPERATOR_ROLE_NAME } from "./permissions.js";

export interface RoleDefinitionSpec {
  /** Purpose key for the deterministic GUID, e.g. "operator-role". */
  purpose: string;
  roleName: string;
  description: string;
  actions?: readonly string[];
  dataActions?: readonly string[];
}

/** `/subscriptions/{s}/providers/Microsoft.Authorization/roleDefinitions/{guid}` */
export function roleDefinitionId(subscriptionId: string, guid: string): string {
  return `${subscriptionScope(subscriptionId)}/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
}

/** Creates or updates a custom role at subscription scope; returns its full id. Throws ArmError. */
export async function ensureRoleDefinition(conn: ArmConnection, spec: RoleDefinitionSpec): Promise<string> {
  const subscriptionId = parseSubscriptionId(conn.subscriptionId);
  const scope = subscriptionScope(subscriptionId);
  const guid = deterministicGuid(spec.purpose, scope);
  try {
    const result = await armClients(conn).authorization.roleDefinitions.createOrUpdate(scopeParameter(scope), guid, {
      roleName: spec.roleName,
      description: spec.description,
      roleType: "CustomRole",
      permissions: [
        { actions: [...(spec.actions ?? [])], notActions: [], dataActions: [...(spec.dataActions ?? [])], notDataActions: [] },
      ],
      assignableScopes: [scope],
    });
    return result.id ?? roleDefinitionId(subscriptionId, guid);
  } catch (err) {
    throw toArmError(err);
  }
}

export interface RoleAssignmentResult {
  roleAssignmentId: string;
  /** False when the assignment already existed (a re-run). */
  created: boolean;
}

/**
 * Assigns a role to a service principal at `scope`. A 409 RoleAssignmentExists means an equal
 * assignment is already there: success. Throws ArmError otherwise.
 */
export async function ensureRoleAssignment(
  conn: ArmConnection,
  input: { scope: string; roleDefinitionId: string; principalId: string; purpose: string },
): Promise<RoleAssignmentResult> {
  const scope = parseResourceId(input.scope).id;
  const name = deterministicGuid(input.purpose, scope, input.principalId, input.roleDefinitionId);
  const assignmentId = `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`;
  const { authorization } = armClients(conn);
  try {
    const result = await authorization.roleAssignments.create(scopeParameter(scope), name, {
      roleDefinitionId: input.roleDefinitionId,
      principalId: input.principalId,
      // Skips the directory lookup that fails while a new identity is still replicating.
      principalType: "ServicePrincipal",
      description: "Created by Vantage (container security posture)",
    });
    return { roleAssignmentId: result.id ?? assignmentId, created: true };
  } catch (err) {
    const armError = toArmError(err);
    if (armError.code === "RoleAssignmentExists") return { roleAssignmentId: assignmentId, created: false };
    throw armError;
  }
}

/** Deletes a role assignment by id; 404 (or an empty 204) means it was already gone. Returns whether it existed. */
export async function removeRoleAssignment(conn: ArmConnection, roleAssignmentId: string): Promise<boolean> {
  parseResourceId(roleAssignmentId);
  try {
    const deleted = await armClients(conn).authorization.roleAssignments.deleteById(scopeParameter(roleAssignmentId));
    return Boolean(deleted?.id);
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return false;
    throw armError;
  }
}

/** Deletes a custom role definition; 404 means already gone. Returns whether it existed. */
export async function removeRoleDefinition(conn: ArmConnection, id: string): Promise<boolean> {
  const parsed = parseResourceId(id);
  const scope = parsed.resourceGroup
    ? `${subscriptionScope(parsed.subscriptionId)}/resourceGroups/${parsed.resourceGroup}`
    : subscriptionScope(parsed.subscriptionId);
  if (parsed.type?.toLowerCase() !== "microsoft.authorization/roledefinitions" || !parsed.name) {
    throw toArmError(new ArmError("InvalidResourceId", `${id} is not a role definition id`, 400));
  }
  try {
    const deleted = await armClients(conn).authorization.roleDefinitions.delete(scopeParameter(scope), parsed.name);
    return Boolean(deleted?.id);
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return false;
    throw armError;
  }
}

export interface OperatorRoleInput {
  principalId: string;
  /** Defaults to "Vantage Posture Operator (<subscription>)": custom role names are unique per tenant. */
  roleName?: string;
  /** Reuse an existing definition (e.g. the one infra/main.bicep deploys) instead of creating one. */
  roleDefinitionId?: string;
}

/** The operator's custom role (OPERATOR_ROLE_ACTIONS) assigned at subscription scope. Throws ArmError. */
export async function ensureOperatorRole(
  conn: ArmConnection,
  input: OperatorRoleInput,
): Promise<{ roleDefinitionId: string; roleAssignmentId: string }> {
  const subscriptionId = parseSubscriptionId(conn.subscriptionId);
  const definitionId =
    input.roleDefinitionId ??
    (await ensureRoleDefinition(conn, {
      purpose: "operator-role",
      roleName: input.roleName ?? `${OPERATOR_ROLE_NAME} (${subscriptionId})`,
      description: "Vantage: read AKS clusters and registries, manage its trusted-access bindings and image event subscriptions.",
      actions: OPERATOR_ROLE_ACTIONS,
    }));
  const assignment = await ensureRoleAssignment(conn, {
    scope: subscriptionScope(subscriptionId),
    roleDefinitionId: definitionId,
    principalId: input.principalId,
    purpose: "operator-assignment",
  });
  return { roleDefinitionId: definitionId, roleAssignmentId: assignment.roleAssignmentId };
}

/** The Kubernetes read-only data-plane role (DATA_READ_ACTIONS), once per subscription. Throws ArmError. */
export async function ensureDataReadRole(conn: ArmConnection, input: { roleName?: string } = {}): Promise<string> {
  const subscriptionId = parseSubscriptionId(conn.subscriptionId);
  return ensureRoleDefinition(conn, {
    purpose: "data-read-role",
    roleName: input.roleName ?? `${DATA_READ_ROLE_NAME} (${subscriptionId})`,
    description: "Vantage: read Kubernetes objects for posture, never Secrets.",
    dataActions: DATA_READ_ACTIONS,
  });
}

/**
 * Offboarding: removes the operator assignment, then the role definitions Vantage created
 * (pass only ids Vantage created; a reused definition must not be listed). Missing = done.
 */
export async function removeOperatorRole(
  conn: ArmConnection,
  input: { roleAssignmentId?: string; roleDefinitionIds?: string[] },
): Promise<{ removed: string[] }> {
  const removed: string[] = [];
  if (input.roleAssignmentId && (await removeRoleAssignment(conn, input.roleAssignmentId))) removed.push(input.roleAssignmentId);
  for (const id of input.roleDefinitionIds ?? []) {
    if (await removeRoleDefinition(conn, id)) removed.push(id);
  }
  return { removed };
}
