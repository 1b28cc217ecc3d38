// Azure RBAC evaluation against the published definitions of built-in roles (permissions copied
// as data from the Azure built-in roles reference): wildcards, notActions and data actions exact.
import { describe, expect, it } from "vitest";
import { allows, capabilitiesAt, operationMatches, type RolePermission } from "../../shared/azure/role-actions.js";

const OWNER: RolePermission[] = [{ actions: ["*"], notActions: [], dataActions: [], notDataActions: [] }];
const CONTRIBUTOR: RolePermission[] = [{
  actions: ["*"],
  notActions: ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete", "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"],
  dataActions: [], notDataActions: [],
}];
const READER: RolePermission[] = [{ actions: ["*/read"], notActions: [], dataActions: [], notDataActions: [] }];
const USER_ACCESS_ADMIN: RolePermission[] = [{ actions: ["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"], notActions: [], dataActions: [], notDataActions: [] }];
const KV_SECRETS_USER: RolePermission[] = [{ actions: [], notActions: [], dataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"], notDataActions: [] }];
const KV_CRYPTO_USER: RolePermission[] = [{ actions: [], notActions: [], dataActions: ["Microsoft.KeyVault/vaults/keys/read", "Microsoft.KeyVault/vaults/keys/update/action", "Microsoft.KeyVault/vaults/keys/backup/action", "Microsoft.KeyVault/vaults/keys/encrypt/action", "Microsoft.KeyVault/vaults/keys/decrypt/action", "Microsoft.KeyVault/vaults/keys/wrap/action", "Microsoft.KeyVault/vaults/keys/unwrap/action", "Microsoft.KeyVault/vaults/keys/sign/action", "Microsoft.KeyVault/vaults/keys/verify/action"], notDataActions: [] }];
const BLOB_READER: RolePermission[] = [{ actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], notActions: [], dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], notDataActions: [] }];
const ACR_PUSH: RolePermission[] = [{ actions: ["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"], notActions: [], dataActions: [], notDataActions: [] }];
const ACR_PULL: RolePermission[] = [{ actions: ["Microsoft.ContainerRegistry/registries/pull/read"], notActions: [], dataActions: [], notDataActions: [] }];
const SUB = "/subscriptions/00000000-0000-0000-0000-000000000001";
const RG = `${SUB}/resourceGroups/rg-app`;
const VAULT = `${RG}/providers/Microsoft.KeyVault/vaults/kv-app`;

describe("operation matching", () => {
  it("`*` matches any run of characters including '/', case-insensitively; everything else literally", () => {
    expect(operationMatches("*", "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(operationMatches("Microsoft.Authorization/*/Write", "microsoft.authorization/roleAssignments/write")).toBe(true);
    expect(operationMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/read")).toBe(false);
    expect(operationMatches("*/read", "Microsoft.Compute/virtualMachines/read")).toBe(true);
    expect(operationMatches("Microsoft.Storage/storageAccounts/read", "Microsoft.Storage/storageAccountsXread")).toBe(false);
    expect(operationMatches("Microsoft.Storage/*", "Microsoft.StorageSync/x/read")).toBe(false);
  });
  it("notActions subtract within their permission block only; data actions are separate from actions", () => {
    expect(allows(CONTRIBUTOR, "Microsoft.Authorization/roleAssignments/write")).toBe(false);
    expect(allows(CONTRIBUTOR, "Microsoft.Authorization/roleAssignments/read")).toBe(true);
    expect(allows([...CONTRIBUTOR, { actions: ["Microsoft.Authorization/roleAssignments/write"] }], "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(allows(OWNER, "Microsoft.KeyVault/vaults/secrets/getSecret/action", true)).toBe(false);
    expect(allows([{ dataActions: ["Microsoft.KeyVault/vaults/secrets/*"], notDataActions: ["Microsoft.KeyVault/vaults/secrets/getSecret/action"] }], "Microsoft.KeyVault/vaults/secrets/getSecret/action", true)).toBe(false);
  });
});

describe("crown-jewel capabilities of built-in roles", () => {
  it.each([
    ["Owner at a subscription", OWNER, SUB, ["assign roles", "write resources", "read storage data", "push images"]],
    ["Contributor at a resource group", CONTRIBUTOR, RG, ["write resources", "read storage data", "push images"]],
    ["User Access Administrator", USER_ACCESS_ADMIN, SUB, ["assign roles"]],
    ["Reader", READER, RG, []],
    ["Key Vault Secrets User on a vault", KV_SECRETS_USER, VAULT, ["read Key Vault secrets"]],
    ["Key Vault Crypto User on a vault", KV_CRYPTO_USER, VAULT, ["use Key Vault keys"]],
    ["Storage Blob Data Reader", BLOB_READER, RG, ["read storage data"]],
    ["AcrPush", ACR_PUSH, RG, ["push images"]],
    ["AcrPull", ACR_PULL, RG, []],
    ["Owner of one vault: no subscription-wide control, nothing of other resource types", OWNER, VAULT, []],
    ["Key Vault Secrets User at a resource group", KV_SECRETS_USER, RG, ["read Key Vault secrets"]],
    ["Key Vault Secrets User on a storage account: not a vault", KV_SECRETS_USER, `${RG}/providers/Microsoft.Storage/storageAccounts/st1`, []],
    ["AcrPush on a registry", ACR_PUSH, `${RG}/providers/Microsoft.ContainerRegistry/registries/acr1`, ["push images"]],
  ] as const)("%s", (_name, perms, scope, expected) => {
    expect(capabilitiesAt([...perms] as RolePermission[], scope)).toEqual(expected);
  });
});
