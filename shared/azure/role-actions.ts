// Azure RBAC permission evaluation, exactly as ARM's authorization does it for one role
// definition: an operation is allowed when some permission block lists it in actions (or
// dataActions) and the same block does not exclude it in notActions (notDataActions). Operation
// strings compare case-insensitively and `*` matches any run of characters, `/` included.
// Pure: no I/O.

export interface RolePermission {
  actions?: string[];
  notActions?: string[];
  dataActions?: string[];
  notDataActions?: string[];
}

const patterns = new Map<string, RegExp>();

/** Does a permission pattern (e.g. "Microsoft.Authorization/*\/Write") match an operation? */
export function operationMatches(pattern: string, operation: string): boolean {
  let re = patterns.get(pattern);
  if (!re) {
    const body = pattern.split("*").map((part) => part.replace(/[.+?^${}()|[\]\\/]/g, "\\$&")).join(".*");
    re = new RegExp(`^${body}$`, "i");
    if (patterns.size < 10_000) patterns.set(pattern, re);
  }
  return re.test(operation);
}

/** True when the role's permissions allow `operation` (a control-plane action, or a data action with `data`). */
export function allows(permissions: RolePermission[], operation: string, data = false): boolean {
  return permissions.some((p) => {
    const grant = (data ? p.dataActions : p.actions) ?? [];
    const deny = (data ? p.notDataActions : p.notActions) ?? [];
    return grant.some((g) => operationMatches(g, operation)) && !deny.some((d) => operationMatches(d, operation));
  });
}

export interface Capability {
  name: string;
  /** Holds when the role allows any of these operations. */
  anyOf: { operation: string; data?: boolean }[];
  /** Only at subscription or resource-group scope (control of the scope itself). */
  scopeWide?: boolean;
  /** At a single resource, only when it is (or is inside) a resource of this type. */
  resourceType?: string;
}

/**
 * The crown jewels of an Azure estate, each a set of concrete operations: whoever may perform one
 * of them at a scope holds the capability there. Owner, User Access Administrator and Role Based
 * Access Control Administrator assign roles; Owner and Contributor write resources; Key Vault and
 * storage data roles read secrets, keys and data; AcrPush pushes images.
 */
export const CROWN_JEWELS: readonly Capability[] = [
  { name: "assign roles", anyOf: [{ operation: "Microsoft.Authorization/roleAssignments/write" }], scopeWide: true },
  { name: "write resources", anyOf: [{ operation: "Microsoft.Resources/deployments/write" }, { operation: "Microsoft.Compute/virtualMachines/write" }], scopeWide: true },
  {
    name: "read Key Vault secrets",
    anyOf: [{ operation: "Microsoft.KeyVault/vaults/secrets/getSecret/action", data: true }],
    resourceType: "Microsoft.KeyVault/vaults",
  },
  {
    name: "use Key Vault keys",
    anyOf: ["decrypt", "sign", "unwrap"].map((op) => ({ operation: `Microsoft.KeyVault/vaults/keys/${op}/action`, data: true })),
    resourceType: "Microsoft.KeyVault/vaults",
  },
  {
    name: "read storage data",
    anyOf: [
      { operation: "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read", data: true },
      { operation: "Microsoft.Storage/storageAccounts/fileServices/fileshares/files/read", data: true },
      { operation: "Microsoft.Storage/storageAccounts/queueServices/queues/messages/read", data: true },
      { operation: "Microsoft.Storage/storageAccounts/tableServices/tables/entities/read", data: true },
      { operation: "Microsoft.Storage/storageAccounts/listKeys/action" },
    ],
    resourceType: "Microsoft.Storage/storageAccounts",
  },
  { name: "push images", anyOf: [{ operation: "Microsoft.ContainerRegistry/registries/push/write" }], resourceType: "Microsoft.ContainerRegistry/registries" },
];

/** Scope kind of an ARM scope string. */
export function scopeType(scope: string): "subscription" | "resourceGroup" | "resource" | "managementGroup" | "other" {
  const parts = scope.split("/").filter(Boolean).map((p) => p.toLowerCase());
  if (parts[0] === "providers" && parts[1] === "microsoft.management") return "managementGroup";
  if (parts[0] !== "subscriptions") return "other";
  if (parts.length === 2) return "subscription";
  if (parts[2] === "resourcegroups" && parts.length === 4) return "resourceGroup";
  return "resource";
}

/** The crown-jewel capabilities a role definition gives at a scope. */
export function capabilitiesAt(permissions: RolePermission[], scope: string): string[] {
  const wide = ["subscription", "resourceGroup", "managementGroup"].includes(scopeType(scope));
  const type = wide ? undefined : resourceTypeOf(scope);
  return CROWN_JEWELS.filter((c) => (wide ? true : !c.scopeWide && (!c.resourceType || type?.startsWith(c.resourceType.toLowerCase()))))
    .filter((c) => c.anyOf.some((o) => allows(permissions, o.operation, o.data)))
    .map((c) => c.name);
}

/** "microsoft.keyvault/vaults" for …/providers/Microsoft.KeyVault/vaults/kv (nested types joined). */
function resourceTypeOf(scope: string): string | undefined {
  const parts = scope.split("/").filter(Boolean);
  const at = parts.map((p) => p.toLowerCase()).lastIndexOf("providers");
  if (at < 0 || at + 2 >= parts.length) return undefined;
  const rest = parts.slice(at + 2);
  const types = rest.filter((_, i) => i % 2 === 0);
  return [parts[at + 1], ...types].join("/").toLowerCase();
}
