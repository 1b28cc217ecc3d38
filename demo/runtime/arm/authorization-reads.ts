// Read routes of Microsoft.Authorization and Microsoft.ManagedIdentity that the Azure blast-radius
// reads use, per the REST specs (authorization 2022-04-01, managed identity 2023-01-31):
// RoleAssignments_ListForSubscription with nextLink paging and the documented filters — no filter:
// every assignment at, above or below the subscription; `atScope()`: at the subscription or above
// (its management groups, the root); `assignedTo('{id}')` and `principalId eq '{id}'`: that
// principal's assignments at, above or below — RoleDefinitions_Get that also answers the built-in
// roles (they exist in every subscription without being stored), and
// UserAssignedIdentities_ListBySubscription. The estate declares identities, role assignments and
// management groups (`seedAuthorization`, `seedManagementGroups`).
import type { ArmRequest, ArmResponse, RouteOptions } from "./routes.js";
import { ArmHttpError, wire } from "./routes.js";
import type { EstateAuthorization, EstateManagementGroup } from "./estate.js";
import type { ArmState, StoredResource } from "./state.js";
import { seededGuid } from "./state.js";

interface ReadRoute {
  operationId: string;
  method: string;
  pattern: RegExp;
  apiVersions: readonly string[];
  handle: (req: ArmRequest, m: RegExpExecArray, state: ArmState, opts: RouteOptions) => ArmResponse;
}

const ROLE_DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions";
const ROLE_ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments";
const IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities";

interface BuiltinRole {
  guid: string;
  roleName: string;
  permissions: { actions: string[]; notActions: string[]; dataActions: string[]; notDataActions: string[] }[];
}

const p = (actions: string[], notActions: string[] = [], dataActions: string[] = [], notDataActions: string[] = []) => [{ actions, notActions, dataActions, notDataActions }];

/** Built-in roles (ids and permissions as Azure publishes them) that the demo estate assigns. */
export const BUILTIN_ROLES: readonly BuiltinRole[] = [
  { guid: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635", roleName: "Owner", permissions: p(["*"]) },
  {
    guid: "b24988ac-6180-42a0-ab88-20f7382dd24c", roleName: "Contributor",
    permissions: p(["*"], ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action", "Microsoft.Blueprint/blueprintAssignments/write", "Microsoft.Blueprint/blueprintAssignments/delete", "Microsoft.Compute/galleries/share/action", "Microsoft.Purview/consents/write", "Microsoft.Purview/consents/delete", "Microsoft.Resources/deploymentStacks/manageDenySetting/action", "Microsoft.Subscription/cancel/action", "Microsoft.Subscription/enable/action"]),
  },
  { guid: "acdd72a7-3385-48ef-bd42-f606fba81ae7", roleName: "Reader", permissions: p(["*/read"]) },
  { guid: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", roleName: "User Access Administrator", permissions: p(["*/read", "Microsoft.Authorization/*", "Microsoft.Support/*"]) },
  { guid: "f58310d9-a9f6-439a-9e8d-f62e7b41a168", roleName: "Role Based Access Control Administrator", permissions: p(["Microsoft.Authorization/roleAssignments/write", "Microsoft.Authorization/roleAssignments/delete", "*/read", "Microsoft.Support/*"]) },
  { guid: "7f951dda-4ed3-4680-a7ca-43fe172d538d", roleName: "AcrPull", permissions: p(["Microsoft.ContainerRegistry/registries/pull/read"]) },
  { guid: "8311e382-0749-4cb8-b61a-304f252e45ec", roleName: "AcrPush", permissions: p(["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/push/write"]) },
  { guid: "4633458b-17de-408a-b874-0445c86b69e6", roleName: "Key Vault Secrets User", permissions: p([], [], ["Microsoft.KeyVault/vaults/secrets/getSecret/action", "Microsoft.KeyVault/vaults/secrets/readMetadata/action"]) },
  { guid: "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", roleName: "Storage Blob Data Reader", permissions: p(["Microsoft.Storage/storageAccounts/blobServices/containers/read", "Microsoft.Storage/storageAccounts/blobServices/generateUserDelegationKey/action"], [], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"]) },
];

const BUILTIN_BY_GUID = new Map(BUILTIN_ROLES.map((r) => [r.guid, r]));
const BUILTIN_BY_NAME = new Map(BUILTIN_ROLES.map((r) => [r.roleName.toLowerCase(), r]));

export function seedAuthorization(state: ArmState, subscriptionId: string, estate: EstateAuthorization): void {
  for (const i of estate.identities ?? []) {
    state.addResourceGroup(subscriptionId, i.resourceGroup, i.location);
    state.put({
      id: `/subscriptions/${subscriptionId}/resourcegroups/${i.resourceGroup}/providers/${IDENTITY_TYPE}/${i.name}`,
      name: i.name, type: IDENTITY_TYPE, location: i.location ?? "westeurope",
      properties: { tenantId: state.tenantId, principalId: i.principalId, clientId: i.clientId },
    });
    state.principals.add(i.principalId.toLowerCase());
  }
  for (const a of estate.roleAssignments ?? []) {
    // A subscription may declare an assignment at a scope in another one: the definition id names the scope's.
    const scopeSubscription = /^\/subscriptions\/([^/]+)/i.exec(a.scope)?.[1] ?? subscriptionId;
    putAssignment(state, a.scope, a.role, a.principalId, `/subscriptions/${scopeSubscription}`);
  }
}

/** Assignments at management groups; their definition ids are tenant-level (no subscription). */
export function seedManagementGroups(state: ArmState, groups: EstateManagementGroup[] = []): void {
  for (const g of groups) {
    for (const a of g.roleAssignments ?? []) putAssignment(state, `/providers/Microsoft.Management/managementGroups/${g.name}`, a.role, a.principalId, "");
  }
}

function putAssignment(state: ArmState, scope: string, roleName: string, principalId: string, definitionPrefix: string): void {
  const role = BUILTIN_BY_NAME.get(roleName.toLowerCase());
  if (!role) throw new Error(`estate role assignment: unknown built-in role "${roleName}"`);
  const name = seededGuid(`assignment:${scope}:${role.guid}:${principalId}`);
  state.put({
    id: `${scope}/providers/${ROLE_ASSIGNMENT_TYPE}/${name}`,
    name, type: ROLE_ASSIGNMENT_TYPE,
    properties: {
      scope, principalId, principalType: "ServicePrincipal",
      roleDefinitionId: `${definitionPrefix}/providers/${ROLE_DEFINITION_TYPE}/${role.guid}`,
      createdOn: "2025-01-01T00:00:00Z", updatedOn: "2025-01-01T00:00:00Z",
    },
  });
}

function page(req: ArmRequest, items: StoredResource[] | Record<string, unknown>[], pageSize: number): ArmResponse {
  const skip = Number(req.url.searchParams.get("$skipToken") ?? "0") || 0;
  const value = items.slice(skip, skip + pageSize).map((x) => ("type" in x && "properties" in x ? wire(x as StoredResource) : x));
  const body: Record<string, unknown> = { value };
  if (skip + pageSize < items.length) {
    const next = new URL(req.endpoint + req.url.pathname);
    for (const [k, v] of req.url.searchParams) if (k !== "$skipToken") next.searchParams.set(k, v);
    next.searchParams.set("$skipToken", String(skip + pageSize));
    body["nextLink"] = next.toString();
  }
  return { status: 200, body };
}

interface ListFilter {
  /** Only this principal's assignments (lower-cased object id); undefined: every principal's. */
  principal?: string;
  /** Include assignments below the scope (resource groups, resources): every filter but atScope(). */
  below: boolean;
}

/** The documented filters of a role-assignment list; any other is a 400, as ARM answers. */
function listFilter(filter: string | null): ListFilter {
  if (!filter) return { below: true };
  const f = filter.trim();
  const assigned = /^assignedTo\('([0-9a-f-]{36})'\)$/i.exec(f);
  if (assigned) return { principal: assigned[1]!.toLowerCase(), below: true };
  const eq = /^principalId\s+eq\s+'?([0-9a-f-]{36})'?$/i.exec(f);
  if (eq) return { principal: eq[1]!.toLowerCase(), below: true };
  if (/^atScope\(\)$/i.test(f)) return { below: false };
  throw new ArmHttpError(400, "UnsupportedQuery", `The filter '${filter}' is not supported. Supported filters are atScope(), assignedTo('{objectId}') and principalId eq '{objectId}'.`);
}

/** Does an assignment at `scope` show in a list at subscription `sub`: at it, above it, or (when asked) below it? */
function appliesTo(state: ArmState, scope: string, sub: string, below: boolean): boolean {
  const s = scope.toLowerCase().replace(/\/+$/, "") || "/";
  const own = `/subscriptions/${sub}`;
  if (s === own) return true;
  if (s.startsWith(`${own}/`)) return below;
  return state.scopesAbove(sub).includes(s);
}

const GUID_RE = String.raw`([0-9a-fA-F-]{36})`;

export const AUTHORIZATION_READ_ROUTES: ReadRoute[] = [
  {
    operationId: "RoleAssignments_ListForSubscription",
    method: "GET",
    pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.Authorization\/roleAssignments$/i,
    apiVersions: ["2022-04-01"],
    handle(req, m, state, opts) {
      const sub = m[1]!.toLowerCase();
      if (!state.subscriptions.has(sub)) throw new ArmHttpError(404, "SubscriptionNotFound", `The subscription '${m[1]}' could not be found.`);
      const filter = listFilter(req.url.searchParams.get("$filter"));
      const items = state.list(ROLE_ASSIGNMENT_TYPE)
        .filter((a) => appliesTo(state, String(a.properties["scope"]), sub, filter.below))
        .filter((a) => !filter.principal || String(a.properties["principalId"]).toLowerCase() === filter.principal);
      return page(req, items, opts.pageSize);
    },
  },
  {
    // Shadows the stored-definition Get so the built-in roles answer in every subscription.
    operationId: "RoleDefinitions_Get",
    method: "GET",
    pattern: new RegExp(String.raw`^(/subscriptions/[^/]+(?:/resourceGroups/[^/]+)?)?/providers/Microsoft\.Authorization/roleDefinitions/${GUID_RE}$`, "i"),
    apiVersions: ["2022-04-01"],
    handle(_req, m, state) {
      const sub = m[1]?.split("/")[2];
      const stored = sub ? state.get(`/subscriptions/${sub}/providers/${ROLE_DEFINITION_TYPE}/${m[2]}`) : undefined;
      if (stored) return { status: 200, body: wire(stored) };
      const builtin = BUILTIN_BY_GUID.get(m[2]!.toLowerCase());
      if (!builtin) throw new ArmHttpError(404, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${m[2]}' does not exist.`);
      return {
        status: 200,
        body: {
          id: `${sub ? `/subscriptions/${sub}` : ""}/providers/${ROLE_DEFINITION_TYPE}/${builtin.guid}`,
          name: builtin.guid, type: ROLE_DEFINITION_TYPE,
          properties: { roleName: builtin.roleName, type: "BuiltInRole", description: `${builtin.roleName} (built-in)`, assignableScopes: ["/"], permissions: builtin.permissions },
        },
      };
    },
  },
  {
    operationId: "UserAssignedIdentities_ListBySubscription",
    method: "GET",
    pattern: /^\/subscriptions\/([^/]+)\/providers\/Microsoft\.ManagedIdentity\/userAssignedIdentities$/i,
    apiVersions: ["2023-01-31"],
    handle(req, m, state, opts) {
      if (!state.subscriptions.has(m[1]!.toLowerCase())) throw new ArmHttpError(404, "SubscriptionNotFound", `The subscription '${m[1]}' could not be found.`);
      return page(req, state.list(IDENTITY_TYPE, `/subscriptions/${m[1]}`), opts.pageSize);
    },
  },
];

/** The read routes above, tried before the emulator's own table. */
export function matchReadRoute(method: string, path: string): { route: ReadRoute; match: RegExpExecArray } | undefined {
  for (const route of AUTHORIZATION_READ_ROUTES) {
    const match = method === route.method ? route.pattern.exec(path) : null;
    if (match) return { route, match };
  }
  return undefined;
}
