// Azure onboarding domain: each step is a plain async function an orchestration activity can call.
export * from "./model.js";
export { ArmError, toArmError } from "./errors.js";
export { parseSubscriptionId, parseResourceId, parseResourceIdOfType, deterministicGuid, uuidV5, type ResourceId } from "./ids.js";
export { API_VERSIONS, PUBLIC_ARM_ENDPOINT, armClients, type ArmConnection, type ArmRetryOptions } from "./connection.js";
export { OPERATOR_ROLE_ACTIONS, DATA_READ_ACTIONS, OPERATOR_ROLE_NAME, DATA_READ_ROLE_NAME } from "./permissions.js";
export { ensureOperatorIdentity, removeOperatorIdentity, type OperatorIdentitySpec } from "./identity.js";
export {
  ensureOperatorRole,
  ensureDataReadRole,
  ensureRoleDefinition,
  ensureRoleAssignment,
  removeOperatorRole,
  removeRoleAssignment,
  removeRoleDefinition,
  roleDefinitionId,
} from "./roles.js";
export { discoverClusters, getCluster, toClusterFacts } from "./clusters.js";
export { assessBindability, type Bindability, type UnbindableCode } from "./bindability.js";
export { bindCluster, unbindCluster, TRUSTED_ACCESS_BINDING_NAME, type BindOptions, type BindResult, type TrustedAccessConfig, type UnbindResult } from "./binding.js";
export {
  discoverRegistries,
  ensureRegistryEventSubscription,
  removeRegistryEventSubscription,
  toRegistryFacts,
  REGISTRY_EVENT_TYPES,
} from "./registries.js";
export { readAzureAccess, ACCESS_READ_DEFAULTS, type ExposedIdentity, type AccessReadOptions, type AccessTargets } from "./role-access.js";
export { allows, capabilitiesAt, operationMatches, CROWN_JEWELS, type RolePermission } from "./role-actions.js";
