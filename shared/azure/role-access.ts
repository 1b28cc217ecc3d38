// What the Azure identities a cluster exposes may do in Azure: their role assignments
// (`$filter=assignedTo('{principalId}')`, every page) and the role definitions those reference,
// evaluated action by action (role-actions.ts). An identity whose assignments cannot be read
// (403, 404, throttling that outlasts the retries, …) comes back "unknown" with the reason; the
// caller carries on. Reads only: Microsoft.Authorization/roleAssignments/read,
// roleDefinitions/read, and Microsoft.ManagedIdentity/userAssignedIdentities/read to turn a
// workload identity's client id into its principal.
import type { ArmConnection } from "./connection.js";
import { armClients } from "./connection.js";
import { toArmError } from "./errors.js";
import { scopeParameter } from "./ids.js";
import type { AzureIdentityAccess, AzureRoleGrant } from "./model.js";
import { capabilitiesAt, type RolePermission } from "./role-actions.js";

/** An identity as the cluster names it: workload identities only by client id. */
export interface ExposedIdentity {
  source: AzureIdentityAccess["source"];
  clientId?: string;
  principalId?: string;
  resourceId?: string;
  name?: string;
}

export interface AccessReadOptions {
  /** Most identities read per call (default 200); the rest come back "unknown". */
  maxIdentities?: number;
  /** Most assignments read per identity (default 2000): beyond it the identity is "unknown". */
  maxAssignments?: number;
}

interface Definition {
  roleName: string;
  permissions: RolePermission[];
}

/** Reads the access of each identity; never throws for one identity's failure. */
export async function readAzureAccess(conn: ArmConnection, identities: ExposedIdentity[], options: AccessReadOptions = {}): Promise<AzureIdentityAccess[]> {
  const maxIdentities = options.maxIdentities ?? 200;
  const definitions = new Map<string, Promise<Definition>>();
  let byClientId: Promise<Map<string, ExposedIdentity>> | undefined;
  const out: AzureIdentityAccess[] = [];
  for (const [i, identity] of identities.entries()) {
    const base = { source: identity.source, clientId: identity.clientId, principalId: identity.principalId, resourceId: identity.resourceId, name: identity.name };
    if (i >= maxIdentities) {
      out.push({ ...base, status: "unknown", reason: `not read: more than ${maxIdentities} identities in one cluster`, grants: [] });
      continue;
    }
    try {
      let resolved = identity;
      if (!resolved.principalId && resolved.clientId) {
        byClientId ??= listUserAssignedIdentities(conn);
        const found = (await byClientId).get(resolved.clientId.toLowerCase());
        if (!found) {
          out.push({ ...base, status: "unknown", reason: `no user-assigned identity with client id ${resolved.clientId} in subscription ${conn.subscriptionId}`, grants: [] });
          continue;
        }
        resolved = { ...resolved, ...found, source: identity.source };
      }
      const grants = await readGrants(conn, resolved.principalId!, definitions, options.maxAssignments ?? 2000);
      out.push({ ...base, principalId: resolved.principalId, resourceId: resolved.resourceId, name: resolved.name ?? identity.name, status: "known", grants });
    } catch (err) {
      const e = toArmError(err);
      out.push({ ...base, status: "unknown", reason: `${e.status || "no response"} ${e.code}: ${e.message}`.slice(0, 300), grants: [] });
    }
  }
  return out;
}

async function listUserAssignedIdentities(conn: ArmConnection): Promise<Map<string, ExposedIdentity>> {
  const map = new Map<string, ExposedIdentity>();
  for await (const id of armClients(conn).msi.userAssignedIdentities.listBySubscription()) {
    if (id.clientId && id.principalId) map.set(id.clientId.toLowerCase(), { source: "workload-identity", clientId: id.clientId, principalId: id.principalId, resourceId: id.id, name: id.name });
  }
  return map;
}

async function readGrants(conn: ArmConnection, principalId: string, definitions: Map<string, Promise<Definition>>, maxAssignments: number): Promise<AzureRoleGrant[]> {
  const { authorization } = armClients(conn);
  const grants: AzureRoleGrant[] = [];
  let n = 0;
  for await (const a of authorization.roleAssignments.listForSubscription({ filter: `assignedTo('${principalId}')` })) {
    if (++n > maxAssignments) throw Object.assign(new Error(`more than ${maxAssignments} role assignments`), { code: "TooManyAssignments" });
    if (!a.roleDefinitionId || !a.scope) continue;
    let def = definitions.get(a.roleDefinitionId.toLowerCase());
    if (!def) {
      // The SDK's path template is "/{roleId}": pass the id without its leading slash (as roles.ts does).
      def = authorization.roleDefinitions.getById(scopeParameter(a.roleDefinitionId)).then((d) => ({ roleName: d.roleName ?? a.roleDefinitionId!, permissions: d.permissions ?? [] }));
      definitions.set(a.roleDefinitionId.toLowerCase(), def);
    }
    const d = await def;
    grants.push({
      assignmentId: a.id ?? "",
      scope: a.scope,
      roleDefinitionId: a.roleDefinitionId,
      roleName: a.condition ? `${d.roleName} (with condition)` : d.roleName,
      capabilities: capabilitiesAt(d.permissions, a.scope),
    });
  }
  return grants;
}
