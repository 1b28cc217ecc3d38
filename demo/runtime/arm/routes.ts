// The ARM operations Vantage uses, per the Azure REST API specs: path, api-version, body shapes,
// error codes and long-running-operation headers. Anything else answers like ARM does for an
// unknown type. Handlers are synchronous over ArmState; the server adds auth, faults and logging.
import { randomUUID } from "node:crypto";
import type { ArmState, AsyncOperation, StoredResource } from "./state.js";
import { CLUSTER_TYPE, REGISTRY_TYPE, seededGuid } from "./state.js";

export class ArmHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface ArmRequest {
  method: string;
  url: URL;
  /** Decoded path without trailing slash. */
  path: string;
  body: unknown;
  /** https://127.0.0.1:PORT */
  endpoint: string;
}

export interface ArmResponse {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface RouteOptions {
  pageSize: number;
  /** Status polls answering InProgress before an operation completes. */
  lroPolls: number;
  lroRetryAfterSeconds: number;
}

interface Route {
  operationId: string;
  method: string;
  pattern: RegExp;
  apiVersions: readonly string[];
  handle: (req: ArmRequest, m: RegExpExecArray, state: ArmState, opts: RouteOptions) => ArmResponse;
}

export const API_VERSIONS = {
  managedIdentity: ["2023-01-31"],
  authorization: ["2022-04-01"],
  containerService: ["2024-02-01"],
  containerRegistry: ["2023-07-01"],
  eventGrid: ["2022-06-15"],
} as const;

const SUB = String.raw`^/subscriptions/([^/]+)`;
const RG = String.raw`${SUB}/resourceGroups/([^/]+)`;
const NAME = String.raw`([^/]+)`;
const re = (source: string) => new RegExp(source + "$", "i");

const notFound = (type: string, name: string, rg?: string) =>
  new ArmHttpError(
    404,
    "ResourceNotFound",
    `The Resource '${type}/${name}' under resource group '${rg ?? "(none)"}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`,
  );

function requireResourceGroup(state: ArmState, sub: string, rg: string): void {
  if (!state.hasResourceGroup(sub, rg)) throw new ArmHttpError(404, "ResourceGroupNotFound", `Resource group '${rg}' could not be found.`);
}

function checkLocks(state: ArmState, scope: string, method: string): void {
  const blocking = state.locksOn(scope).filter((l) => l.level === "ReadOnly" || (l.level === "CanNotDelete" && method === "DELETE"));
  if (blocking.length > 0) {
    throw new ArmHttpError(
      409,
      "ScopeLocked",
      `The scope '${scope}' cannot perform ${method === "DELETE" ? "delete" : "write"} operation because following scope(s) are locked: '${blocking.map((l) => l.lockedScope).join("', '")}'. Please remove the lock and try again.`,
    );
  }
}

function props(body: unknown): Record<string, unknown> {
  const p = (body as { properties?: unknown } | undefined)?.properties;
  if (!p || typeof p !== "object") throw new ArmHttpError(400, "InvalidRequestContent", "The request content is missing 'properties'.");
  return p as Record<string, unknown>;
}

/** ARM wire form of a stored resource (bookkeeping stripped). */
export function wire(r: StoredResource): Record<string, unknown> {
  const { locks: _locks, ...rest } = r;
  return structuredClone(rest);
}

function page(req: ArmRequest, items: StoredResource[], pageSize: number): ArmResponse {
  const skip = Number(req.url.searchParams.get("$skipToken") ?? "0") || 0;
  const value = items.slice(skip, skip + pageSize).map(wire);
  const body: Record<string, unknown> = { value };
  if (skip + pageSize < items.length) {
    const next = new URL(req.endpoint + req.url.pathname);
    next.searchParams.set("api-version", req.url.searchParams.get("api-version") ?? "");
    next.searchParams.set("$skipToken", String(skip + pageSize));
    body["nextLink"] = next.toString();
  }
  return { status: 200, body };
}

/** Starts an Azure-AsyncOperation; `complete` runs when the last InProgress poll has been served. */
function startOperation(
  req: ArmRequest,
  state: ArmState,
  opts: RouteOptions,
  sub: string,
  provider: string,
  location: string,
  apiVersion: string,
  complete: () => void,
): Record<string, string> {
  const id = randomUUID();
  const op: AsyncOperation = { id, status: "InProgress", pollsLeft: opts.lroPolls, startTime: new Date().toISOString(), complete };
  state.operations.set(id, op);
  const base = `${req.endpoint}/subscriptions/${sub}/providers/${provider}/locations/${location}`;
  return {
    "Azure-AsyncOperation": `${base}/operations/${id}?api-version=${apiVersion}`,
    Location: `${base}/operationresults/${id}?api-version=${apiVersion}`,
    "Retry-After": String(opts.lroRetryAfterSeconds),
  };
}

function advance(op: AsyncOperation): void {
  if (op.status !== "InProgress") return;
  if (op.pollsLeft > 0) {
    op.pollsLeft -= 1;
    return;
  }
  op.complete();
  op.status = "Succeeded";
  op.endTime = new Date().toISOString();
}

// ---- Microsoft.ManagedIdentity -------------------------------------------------------------------

const IDENTITY = re(`${RG}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${NAME}`);

function identityId(m: RegExpExecArray): string {
  return `/subscriptions/${m[1]}/resourcegroups/${m[2]}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${m[3]}`;
}

// ---- Microsoft.Authorization ---------------------------------------------------------------------

const ROLE_DEFINITION = re(String.raw`^(/subscriptions/[^/]+(?:/resourceGroups/[^/]+)?)/providers/Microsoft.Authorization/roleDefinitions/${NAME}`);
const ROLE_ASSIGNMENT = re(String.raw`^(/subscriptions/.+?)/providers/Microsoft.Authorization/roleAssignments/${NAME}`);
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ROLE_DEFINITION_TYPE = "Microsoft.Authorization/roleDefinitions";
const ROLE_ASSIGNMENT_TYPE = "Microsoft.Authorization/roleAssignments";

function requireSubscriptionScope(state: ArmState, scope: string): void {
  if (!state.scopeExists(scope)) {
    const rg = /\/resourceGroups\/([^/]+)$/i.exec(scope);
    if (rg) throw new ArmHttpError(404, "ResourceGroupNotFound", `Resource group '${rg[1]}' could not be found.`);
    throw new ArmHttpError(404, "ResourceNotFound", `The scope '${scope}' does not exist.`);
  }
}

// ---- Microsoft.ContainerService ------------------------------------------------------------------

const CLUSTER = `${RG}/providers/Microsoft.ContainerService/managedClusters/${NAME}`;
const TRUSTED_BINDING = re(`${CLUSTER}/trustedAccessRoleBindings/${NAME}`);
const TRUSTED_BINDING_TYPE = "Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings";

function findCluster(state: ArmState, m: RegExpExecArray): StoredResource {
  const id = `/subscriptions/${m[1]}/resourcegroups/${m[2]}/providers/Microsoft.ContainerService/managedClusters/${m[3]}`;
  const cluster = state.get(id);
  if (!cluster) {
    requireResourceGroup(state, m[1]!, m[2]!);
    throw notFound("Microsoft.ContainerService/managedClusters", m[3]!, m[2]);
  }
  return cluster;
}

// ---- Microsoft.EventGrid -------------------------------------------------------------------------

const EVENT_SUBSCRIPTION = re(String.raw`^(/subscriptions/.+?)/providers/Microsoft.EventGrid/eventSubscriptions/${NAME}`);
const EVENT_SUBSCRIPTION_TYPE = "Microsoft.EventGrid/eventSubscriptions";

export const ROUTES: Route[] = [
  {
    operationId: "UserAssignedIdentities_CreateOrUpdate",
    method: "PUT",
    pattern: IDENTITY,
    apiVersions: API_VERSIONS.managedIdentity,
    handle(req, m, state) {
      requireResourceGroup(state, m[1]!, m[2]!);
      const body = (req.body ?? {}) as { location?: string; tags?: Record<string, string> };
      if (!body.location) throw new ArmHttpError(400, "LocationRequired", "The location property is required for this definition.");
      const id = identityId(m);
      const existing = state.get(id);
      const resource = state.put({
        id,
        name: m[3]!,
        type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        location: body.location,
        ...(body.tags ? { tags: body.tags } : {}),
        properties: existing?.properties ?? {
          tenantId: state.tenantId,
          principalId: seededGuid(`principal:${id}`),
          clientId: seededGuid(`client:${id}`),
        },
      });
      state.principals.add(String(resource.properties["principalId"]).toLowerCase());
      return { status: existing ? 200 : 201, body: wire(resource) };
    },
  },
  {
    operationId: "UserAssignedIdentities_Get",
    method: "GET",
    pattern: IDENTITY,
    apiVersions: API_VERSIONS.managedIdentity,
    handle(_req, m, state) {
      const found = state.get(identityId(m));
      if (!found) {
        requireResourceGroup(state, m[1]!, m[2]!);
        throw notFound("Microsoft.ManagedIdentity/userAssignedIdentities", m[3]!, m[2]);
      }
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "UserAssignedIdentities_Delete",
    method: "DELETE",
    pattern: IDENTITY,
    apiVersions: API_VERSIONS.managedIdentity,
    handle(_req, m, state) {
      return { status: state.delete(identityId(m)) ? 200 : 204 };
    },
  },
  {
    operationId: "RoleDefinitions_CreateOrUpdate",
    method: "PUT",
    pattern: ROLE_DEFINITION,
    apiVersions: API_VERSIONS.authorization,
    handle(req, m, state) {
      const [, scope, name] = m as unknown as [string, string, string];
      requireSubscriptionScope(state, scope);
      if (!GUID.test(name)) throw new ArmHttpError(400, "InvalidRoleDefinitionId", `The role definition ID '${name}' is not valid. It must be a GUID.`);
      const p = props(req.body);
      const roleName = p["roleName"];
      if (typeof roleName !== "string" || !roleName) throw new ArmHttpError(400, "RoleDefinitionNameNullOrEmpty", "The role definition name cannot be null or empty.");
      const assignableScopes = (p["assignableScopes"] as string[] | undefined) ?? [];
      if (!assignableScopes.some((s) => s.toLowerCase() === scope.toLowerCase())) {
        throw new ArmHttpError(400, "InvalidAssignableScopes", `The assignable scopes must include the scope '${scope}'.`);
      }
      const permissions = p["permissions"] as { actions?: string[]; dataActions?: string[] }[] | undefined;
      if (!permissions?.length || permissions.every((x) => !x.actions?.length && !x.dataActions?.length)) {
        throw new ArmHttpError(400, "InvalidPermissions", "A role definition needs at least one action or data action.");
      }
      const id = `/subscriptions/${scope.split("/")[2]}/providers/${ROLE_DEFINITION_TYPE}/${name}`;
      // Custom role names are unique per tenant.
      const clash = state
        .list(ROLE_DEFINITION_TYPE)
        .find((r) => r.name.toLowerCase() !== name.toLowerCase() && String(r.properties["roleName"]).toLowerCase() === roleName.toLowerCase());
      if (clash) throw new ArmHttpError(409, "RoleDefinitionWithSameNameExists", `A custom role with the same name already exists in this directory. Use a different name.`);
      const existing = state.get(id);
      const now = new Date().toISOString();
      const resource = state.put({
        id,
        name,
        type: ROLE_DEFINITION_TYPE,
        properties: {
          roleName,
          type: "CustomRole",
          description: p["description"] ?? "",
          permissions,
          assignableScopes,
          createdOn: existing?.properties["createdOn"] ?? now,
          updatedOn: now,
        },
      });
      // The 2022-04-01 spec answers 201 for both create and update.
      return { status: 201, body: wire(resource) };
    },
  },
  {
    operationId: "RoleDefinitions_Get",
    method: "GET",
    pattern: ROLE_DEFINITION,
    apiVersions: API_VERSIONS.authorization,
    handle(_req, m, state) {
      const found = state.get(`/subscriptions/${m[1]!.split("/")[2]}/providers/${ROLE_DEFINITION_TYPE}/${m[2]}`);
      if (!found) throw new ArmHttpError(404, "RoleDefinitionDoesNotExist", "The specified role definition with ID '" + m[2] + "' does not exist.");
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "RoleDefinitions_Delete",
    method: "DELETE",
    pattern: ROLE_DEFINITION,
    apiVersions: API_VERSIONS.authorization,
    handle(_req, m, state) {
      const id = `/subscriptions/${m[1]!.split("/")[2]}/providers/${ROLE_DEFINITION_TYPE}/${m[2]}`;
      const found = state.get(id);
      if (!found) return { status: 204 };
      if (state.list(ROLE_ASSIGNMENT_TYPE).some((a) => String(a.properties["roleDefinitionId"]).toLowerCase() === id.toLowerCase())) {
        throw new ArmHttpError(409, "RoleDefinitionHasAssignments", "There are existing role assignments referencing role (code: RoleDefinitionHasAssignments).");
      }
      state.delete(id);
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "RoleAssignments_Create",
    method: "PUT",
    pattern: ROLE_ASSIGNMENT,
    apiVersions: API_VERSIONS.authorization,
    handle(req, m, state) {
      const [, scope, name] = m as unknown as [string, string, string];
      if (!GUID.test(name)) throw new ArmHttpError(400, "InvalidRoleAssignmentId", `The role assignment ID '${name}' is not valid. The role assignment ID must be a GUID.`);
      requireSubscriptionScope(state, scope);
      const p = props(req.body);
      const roleDefinitionId = String(p["roleDefinitionId"] ?? "");
      const principalId = String(p["principalId"] ?? "");
      if (!state.get(roleDefinitionId)) {
        throw new ArmHttpError(400, "RoleDefinitionDoesNotExist", `The specified role definition with ID '${roleDefinitionId.split("/").pop()}' does not exist.`);
      }
      if (!GUID.test(principalId)) throw new ArmHttpError(400, "InvalidPrincipalId", "A valid principal ID must be provided for role assignment.");
      if (!state.principals.has(principalId.toLowerCase())) {
        throw new ArmHttpError(400, "PrincipalNotFound", `Principal ${principalId.replace(/-/g, "")} does not exist in the directory ${state.tenantId}.`);
      }
      checkLocks(state, scope, "PUT");
      const id = `${scope}/providers/${ROLE_ASSIGNMENT_TYPE}/${name}`;
      const same = state
        .list(ROLE_ASSIGNMENT_TYPE)
        .find(
          (a) =>
            String(a.properties["scope"]).toLowerCase() === scope.toLowerCase() &&
            String(a.properties["roleDefinitionId"]).toLowerCase() === roleDefinitionId.toLowerCase() &&
            String(a.properties["principalId"]).toLowerCase() === principalId.toLowerCase(),
        );
      if (same) throw new ArmHttpError(409, "RoleAssignmentExists", "The role assignment already exists.");
      if (state.get(id)) throw new ArmHttpError(400, "RoleAssignmentUpdateNotPermitted", "Tenant ID, application ID, principal ID, and scope are not allowed to be updated.");
      const now = new Date().toISOString();
      const resource = state.put({
        id,
        name,
        type: ROLE_ASSIGNMENT_TYPE,
        properties: {
          roleDefinitionId,
          principalId,
          principalType: p["principalType"] ?? "User",
          scope,
          ...(p["description"] ? { description: p["description"] } : {}),
          createdOn: now,
          updatedOn: now,
        },
      });
      return { status: 201, body: wire(resource) };
    },
  },
  {
    operationId: "RoleAssignments_Get",
    method: "GET",
    pattern: ROLE_ASSIGNMENT,
    apiVersions: API_VERSIONS.authorization,
    handle(_req, m, state) {
      const found = state.get(`${m[1]}/providers/${ROLE_ASSIGNMENT_TYPE}/${m[2]}`);
      if (!found) throw new ArmHttpError(404, "RoleAssignmentNotFound", `The role assignment '${m[2]}' is not found.`);
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "RoleAssignments_Delete",
    method: "DELETE",
    pattern: ROLE_ASSIGNMENT,
    apiVersions: API_VERSIONS.authorization,
    handle(_req, m, state) {
      const id = `${m[1]}/providers/${ROLE_ASSIGNMENT_TYPE}/${m[2]}`;
      const found = state.get(id);
      if (!found) return { status: 204 }; // ARM: deleting a missing assignment is a no-op 204
      checkLocks(state, m[1]!, "DELETE");
      state.delete(id);
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "ManagedClusters_List",
    method: "GET",
    pattern: re(`${SUB}/providers/Microsoft.ContainerService/managedClusters`),
    apiVersions: API_VERSIONS.containerService,
    handle(req, m, state, opts) {
      return page(req, state.list(CLUSTER_TYPE, `/subscriptions/${m[1]}`), opts.pageSize);
    },
  },
  {
    operationId: "ManagedClusters_Get",
    method: "GET",
    pattern: re(CLUSTER),
    apiVersions: API_VERSIONS.containerService,
    handle(_req, m, state) {
      return { status: 200, body: wire(findCluster(state, m)) };
    },
  },
  {
    operationId: "TrustedAccessRoleBindings_List",
    method: "GET",
    pattern: re(`${CLUSTER}/trustedAccessRoleBindings`),
    apiVersions: API_VERSIONS.containerService,
    handle(req, m, state, opts) {
      const cluster = findCluster(state, m);
      return page(req, state.list(TRUSTED_BINDING_TYPE, cluster.id), opts.pageSize);
    },
  },
  {
    operationId: "TrustedAccessRoleBindings_CreateOrUpdate",
    method: "PUT",
    pattern: TRUSTED_BINDING,
    apiVersions: API_VERSIONS.containerService,
    handle(req, m, state, opts) {
      const cluster = findCluster(state, m);
      const name = m[4]!;
      if (!/^[A-Za-z0-9-]{1,24}$/.test(name)) throw new ArmHttpError(400, "InvalidParameter", `The trusted access role binding name '${name}' is invalid.`);
      const p = props(req.body);
      const source = String(p["sourceResourceId"] ?? "");
      const roles = p["roles"];
      const sourceType = /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(source)?.[1];
      if (!sourceType) throw new ArmHttpError(400, "InvalidParameter", `sourceResourceId '${source}' is not a valid resource id.`);
      if (!Array.isArray(roles) || roles.length === 0) throw new ArmHttpError(400, "InvalidParameter", "roles must be a non-empty array.");
      // Trusted-access roles are named <source resource type>/<role>: the source's RP owns them.
      const foreign = roles.find((r) => typeof r !== "string" || !r.toLowerCase().startsWith(sourceType.toLowerCase() + "/"));
      if (foreign !== undefined) throw new ArmHttpError(400, "InvalidTrustedAccessRole", `Role '${String(foreign)}' is not defined for source resource type '${sourceType}'.`);
      checkLocks(state, cluster.id, "PUT");
      const id = `${cluster.id}/trustedAccessRoleBindings/${name}`;
      const existing = state.get(id);
      const resource = state.put({
        id,
        name,
        type: TRUSTED_BINDING_TYPE,
        properties: { sourceResourceId: source, roles, provisioningState: "Updating" },
      });
      const headers = startOperation(req, state, opts, m[1]!, "Microsoft.ContainerService", cluster.location ?? "westeurope", req.url.searchParams.get("api-version")!, () => {
        resource.properties["provisioningState"] = "Succeeded";
      });
      return { status: existing ? 200 : 201, body: wire(resource), headers };
    },
  },
  {
    operationId: "TrustedAccessRoleBindings_Get",
    method: "GET",
    pattern: TRUSTED_BINDING,
    apiVersions: API_VERSIONS.containerService,
    handle(_req, m, state) {
      const cluster = findCluster(state, m);
      const found = state.get(`${cluster.id}/trustedAccessRoleBindings/${m[4]}`);
      if (!found) throw notFound(TRUSTED_BINDING_TYPE, `${m[3]}/${m[4]}`, m[2]);
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "TrustedAccessRoleBindings_Delete",
    method: "DELETE",
    pattern: TRUSTED_BINDING,
    apiVersions: API_VERSIONS.containerService,
    handle(req, m, state, opts) {
      const cluster = findCluster(state, m);
      const id = `${cluster.id}/trustedAccessRoleBindings/${m[4]}`;
      const found = state.get(id);
      if (!found) return { status: 204 };
      checkLocks(state, cluster.id, "DELETE");
      found.properties["provisioningState"] = "Deleting";
      const headers = startOperation(req, state, opts, m[1]!, "Microsoft.ContainerService", cluster.location ?? "westeurope", req.url.searchParams.get("api-version")!, () => {
        state.delete(id);
      });
      return { status: 202, headers };
    },
  },
  {
    operationId: "Registries_List",
    method: "GET",
    pattern: re(`${SUB}/providers/Microsoft.ContainerRegistry/registries`),
    apiVersions: API_VERSIONS.containerRegistry,
    handle(req, m, state, opts) {
      return page(req, state.list(REGISTRY_TYPE, `/subscriptions/${m[1]}`), opts.pageSize);
    },
  },
  {
    operationId: "Registries_Get",
    method: "GET",
    pattern: re(`${RG}/providers/Microsoft.ContainerRegistry/registries/${NAME}`),
    apiVersions: API_VERSIONS.containerRegistry,
    handle(_req, m, state) {
      const found = state.get(`/subscriptions/${m[1]}/resourceGroups/${m[2]}/providers/Microsoft.ContainerRegistry/registries/${m[3]}`);
      if (!found) {
        requireResourceGroup(state, m[1]!, m[2]!);
        throw notFound(REGISTRY_TYPE, m[3]!, m[2]);
      }
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "EventSubscriptions_CreateOrUpdate",
    method: "PUT",
    pattern: EVENT_SUBSCRIPTION,
    apiVersions: API_VERSIONS.eventGrid,
    handle(req, m, state, opts) {
      const [, scope, name] = m as unknown as [string, string, string];
      const source = state.get(scope);
      if (!source) throw new ArmHttpError(404, "ResourceNotFound", `The scope '${scope}' does not exist.`);
      const p = props(req.body);
      const destination = p["destination"] as { endpointType?: string; properties?: { endpointUrl?: string } } | undefined;
      if (destination?.endpointType !== "WebHook") throw new ArmHttpError(400, "InvalidRequest", "Only WebHook destinations are supported by this emulator.");
      let endpoint: URL;
      try {
        endpoint = new URL(String(destination.properties?.endpointUrl));
      } catch {
        throw new ArmHttpError(400, "InvalidRequest", "The attempt to validate the provided endpoint failed: endpointUrl is not an absolute URL.");
      }
      checkLocks(state, scope, "PUT");
      const id = `${source.id}/providers/${EVENT_SUBSCRIPTION_TYPE}/${name}`;
      const existing = state.get(id);
      const resource = state.put({
        id,
        name,
        type: EVENT_SUBSCRIPTION_TYPE,
        properties: {
          topic: source.id,
          provisioningState: "Creating",
          // ARM never returns the full endpoint URL (it may hold secrets), only its base.
          destination: { endpointType: "WebHook", properties: { endpointBaseUrl: `${endpoint.origin}${endpoint.pathname}` } },
          filter: p["filter"] ?? {},
          eventDeliverySchema: p["eventDeliverySchema"] ?? "EventGridSchema",
          retryPolicy: p["retryPolicy"] ?? { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
        },
      });
      const headers = startOperation(req, state, opts, scope.split("/")[2]!, "Microsoft.EventGrid", source.location ?? "westeurope", req.url.searchParams.get("api-version")!, () => {
        resource.properties["provisioningState"] = "Succeeded";
      });
      return { status: existing ? 200 : 201, body: wire(resource), headers };
    },
  },
  {
    operationId: "EventSubscriptions_Get",
    method: "GET",
    pattern: EVENT_SUBSCRIPTION,
    apiVersions: API_VERSIONS.eventGrid,
    handle(_req, m, state) {
      const found = state.get(`${m[1]}/providers/${EVENT_SUBSCRIPTION_TYPE}/${m[2]}`);
      if (!found) throw new ArmHttpError(404, "ResourceNotFound", `The event subscription '${m[2]}' was not found.`);
      return { status: 200, body: wire(found) };
    },
  },
  {
    operationId: "EventSubscriptions_Delete",
    method: "DELETE",
    pattern: EVENT_SUBSCRIPTION,
    apiVersions: API_VERSIONS.eventGrid,
    handle(req, m, state, opts) {
      const id = `${m[1]}/providers/${EVENT_SUBSCRIPTION_TYPE}/${m[2]}`;
      const found = state.get(id);
      if (!found) return { status: 204 };
      checkLocks(state, m[1]!, "DELETE");
      found.properties["provisioningState"] = "Deleting";
      const headers = startOperation(req, state, opts, m[1]!.split("/")[2]!, "Microsoft.EventGrid", "westeurope", req.url.searchParams.get("api-version")!, () => {
        state.delete(id);
      });
      return { status: 202, headers };
    },
  },
  {
    operationId: "AsyncOperation_Get",
    method: "GET",
    pattern: re(`${SUB}/providers/([^/]+)/locations/([^/]+)/operations/${NAME}`),
    apiVersions: [...API_VERSIONS.containerService, ...API_VERSIONS.eventGrid],
    handle(_req, m, state) {
      const op = state.operations.get(m[4]!);
      if (!op) throw new ArmHttpError(404, "OperationNotFound", `Operation '${m[4]}' was not found.`);
      advance(op);
      return {
        status: 200,
        body: { id: _req.path, name: op.id, status: op.status, startTime: op.startTime, ...(op.endTime ? { endTime: op.endTime } : {}) },
        ...(op.status === "InProgress" ? { headers: { "Retry-After": "0" } } : {}),
      };
    },
  },
  {
    operationId: "AsyncOperationResult_Get",
    method: "GET",
    pattern: re(`${SUB}/providers/([^/]+)/locations/([^/]+)/operationresults/${NAME}`),
    apiVersions: [...API_VERSIONS.containerService, ...API_VERSIONS.eventGrid],
    handle(_req, m, state) {
      const op = state.operations.get(m[4]!);
      if (!op) throw new ArmHttpError(404, "OperationNotFound", `Operation '${m[4]}' was not found.`);
      advance(op);
      return op.status === "InProgress" ? { status: 202, headers: { Location: _req.url.toString(), "Retry-After": "0" } } : { status: 204 };
    },
  },
];

export function matchRoute(method: string, path: string): { route: Route; match: RegExpExecArray } | { methodNotAllowed: true } | undefined {
  let pathMatched = false;
  for (const route of ROUTES) {
    const match = route.pattern.exec(path);
    if (!match) continue;
    if (route.method === method) return { route, match };
    pathMatched = true;
  }
  return pathMatched ? { methodNotAllowed: true } : undefined;
}
