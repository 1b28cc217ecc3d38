// What the Azure identities a cluster exposes may do in Azure: their role assignments
// (`$filter=assignedTo('{principalId}')`, every page) in the cluster's own subscription and in every
// other onboarded subscription Vantage can read, and the role definitions those reference,
// evaluated action by action (role-actions.ts).
//
// A list at one subscription returns the principal's assignments at, above (management groups, the
// root) and below it, so an inherited assignment comes back from every subscription: assignments are
// de-duplicated by id. A role definition's name is a GUID unique in the tenant (built-in ones are the
// same everywhere), so each definition is read once, through the subscription that referenced it
// first — a subscription-level read the operator role allows — whichever form its id came in.
//
// Failures are per subscription: a 403, 404 or throttling that outlasts the retries there lists
// that subscription in `unreadSubscriptions` (with the reason) and the identity stays "known" for
// the others; only an identity read nowhere is "unknown". Reads only:
// Microsoft.Authorization/roleAssignments/read, roleDefinitions/read, and
// Microsoft.ManagedIdentity/userAssignedIdentities/read to turn a workload identity's client id
// into its principal.
import type { ArmConnection } from "./connection.js";
import { armClients } from "./connection.js";
import { toArmError } from "./errors.js";
import { scopeParameter } from "./ids.js";
import type { AzureIdentityAccess, AzureRoleGrant, UnreadSubscription } from "./model.js";
import { capabilitiesAt, type RolePermission } from "./role-actions.js";

/** An identity as the cluster names it: workload identities only by client id. */
export interface ExposedIdentity {
  source: AzureIdentityAccess["source"];
  clientId?: string;
  principalId?: string;
  resourceId?: string;
  name?: string;
}

/** Where to read: the cluster's subscription first, then every other onboarded one. */
export interface AccessTargets {
  /** The ARM connection for a subscription. */
  arm(subscriptionId: string): ArmConnection;
  /** The cluster's own subscription: read first, and searched first for a workload identity's client id. */
  home: string;
  /** The onboarded subscriptions Vantage can read (the home one may be among them; duplicates are ignored). */
  subscriptions: readonly string[];
}

export interface AccessReadOptions {
  /** Most identities read per call (default 200); the rest come back "unknown". */
  maxIdentities?: number;
  /** Most assignments per identity in one subscription, and in all together (default 2000). */
  maxAssignments?: number;
  /**
   * Most assignment lists (identity × subscription) per call (default 2000), spent identity by
   * identity, the home subscription first; subscriptions beyond it are unread with the reason.
   */
  maxReads?: number;
  /** Most user-assigned identities listed per subscription when resolving client ids (default 50,000). */
  maxIdentitiesListed?: number;
  /** Subscriptions read at once for one identity (default 4). */
  concurrency?: number;
}

export const ACCESS_READ_DEFAULTS = { maxIdentities: 200, maxAssignments: 2000, maxReads: 2000, maxIdentitiesListed: 50_000, concurrency: 4 } as const;

interface Definition {
  roleName: string;
  permissions: RolePermission[];
}

type Found = { identity: ExposedIdentity } | { reason: string };

/**
 * Reads the access of each identity; never throws for one identity's or one subscription's failure.
 * A bare connection reads only its own subscription.
 */
export async function readAzureAccess(target: ArmConnection | AccessTargets, identities: ExposedIdentity[], options: AccessReadOptions = {}): Promise<AzureIdentityAccess[]> {
  const o = { ...ACCESS_READ_DEFAULTS, ...options };
  const t: AccessTargets = "endpoint" in target ? { arm: () => target, home: target.subscriptionId, subscriptions: [] } : target;
  const subscriptions = [...new Set([t.home, ...t.subscriptions].map((s) => s.toLowerCase()))];
  const definitions = new Map<string, Promise<Definition>>();
  const resolve = clientIdResolver(t, subscriptions, o.maxIdentitiesListed);
  let readsLeft = o.maxReads;
  const out: AzureIdentityAccess[] = [];
  for (const [i, identity] of identities.entries()) {
    const base = { source: identity.source, clientId: identity.clientId, principalId: identity.principalId, resourceId: identity.resourceId, name: identity.name };
    if (i >= o.maxIdentities) {
      out.push({ ...base, status: "unknown", reason: `not read: more than ${o.maxIdentities} identities in one cluster`, grants: [] });
      continue;
    }
    let resolved = identity;
    if (!resolved.principalId && resolved.clientId) {
      const found = await resolve(resolved.clientId);
      if ("reason" in found) {
        out.push({ ...base, status: "unknown", reason: found.reason, grants: [] });
        continue;
      }
      resolved = { ...resolved, ...found.identity, source: identity.source };
    }
    const principalId = resolved.principalId;
    if (!principalId) {
      out.push({ ...base, status: "unknown", reason: "no principal id or client id to read role assignments for", grants: [] });
      continue;
    }
    const named = { ...base, principalId, resourceId: resolved.resourceId, name: resolved.name ?? identity.name };
    const budget = subscriptions.slice(0, Math.max(0, readsLeft));
    readsLeft -= budget.length;
    const results = await mapLimit(budget, o.concurrency, (sub) => readGrants(t, sub, principalId, definitions, o.maxAssignments).then(
      (grants) => ({ sub, grants }),
      (err: unknown) => ({ sub, reason: describe(err) }),
    ));
    const unread: UnreadSubscription[] = [];
    const read: string[] = [];
    const grants = new Map<string, AzureRoleGrant>();
    for (const r of results) {
      if ("reason" in r) {
        unread.push({ subscriptionId: r.sub, reason: r.reason });
        continue;
      }
      read.push(r.sub);
      // An assignment inherited from a management group (or the root) comes back from every subscription.
      for (const g of r.grants) {
        const key = g.assignmentId.toLowerCase() || `${g.scope}\u0000${g.roleDefinitionId}`.toLowerCase();
        if (!grants.has(key)) grants.set(key, g);
      }
    }
    for (const sub of subscriptions.slice(budget.length)) unread.push({ subscriptionId: sub, reason: `not read: more than ${o.maxReads} identity × subscription reads in one cluster` });
    const extra = { subscriptionsRead: read, ...(unread.length ? { unreadSubscriptions: unread } : {}) };
    if (read.length === 0) {
      out.push({ ...named, status: "unknown", reason: unread[0]?.reason ?? "no subscription to read", grants: [], ...extra });
    } else if (grants.size > o.maxAssignments) {
      out.push({ ...named, status: "unknown", reason: `more than ${o.maxAssignments} role assignments`, grants: [], ...extra });
    } else {
      out.push({ ...named, status: "known", grants: [...grants.values()], ...extra });
    }
  }
  return out;
}

/** The error as one line: "403 AuthorizationFailed: …". */
function describe(err: unknown): string {
  const e = toArmError(err);
  return `${e.status || "no response"} ${e.code}: ${e.message}`.slice(0, 300);
}

/**
 * Finds a workload identity's user-assigned identity by client id: the home subscription first,
 * then the others in order, each subscription's identities listed at most once per call.
 */
function clientIdResolver(t: AccessTargets, subscriptions: string[], maxListed: number): (clientId: string) => Promise<Found> {
  const lists = new Map<string, Promise<Map<string, ExposedIdentity>>>();
  return async (clientId) => {
    const failures: string[] = [];
    for (const sub of subscriptions) {
      let list = lists.get(sub);
      if (!list) lists.set(sub, (list = listUserAssignedIdentities(t, sub, maxListed)));
      try {
        const identity = (await list).get(clientId.toLowerCase());
        if (identity) return { identity };
      } catch (err) {
        failures.push(`${sub} (${describe(err)})`);
      }
    }
    const searched = subscriptions.length === 1 ? `subscription ${subscriptions[0]}` : `subscriptions ${subscriptions.join(", ")}`;
    const unlisted = failures.length ? `; identities could not be listed in ${failures.join("; ")}` : "";
    return { reason: `no user-assigned identity with client id ${clientId} in ${searched}${unlisted}`.slice(0, 600) };
  };
}

async function listUserAssignedIdentities(t: AccessTargets, sub: string, maxListed: number): Promise<Map<string, ExposedIdentity>> {
  const map = new Map<string, ExposedIdentity>();
  let n = 0;
  for await (const id of armClients(t.arm(sub)).msi.userAssignedIdentities.listBySubscription()) {
    if (++n > maxListed) throw Object.assign(new Error(`more than ${maxListed} user-assigned identities`), { code: "TooManyIdentities" });
    if (id.clientId && id.principalId) map.set(id.clientId.toLowerCase(), { source: "workload-identity", clientId: id.clientId, principalId: id.principalId, resourceId: id.id, name: id.name });
  }
  return map;
}

/** A role definition's GUID from any form of its id (subscription, management group or tenant level). */
export function roleDefinitionGuid(id: string): string | undefined {
  return /\/providers\/Microsoft\.Authorization\/roleDefinitions\/([0-9a-f-]{36})$/i.exec(id.trim())?.[1]?.toLowerCase();
}

async function readGrants(t: AccessTargets, sub: string, principalId: string, definitions: Map<string, Promise<Definition>>, maxAssignments: number): Promise<AzureRoleGrant[]> {
  const { authorization } = armClients(t.arm(sub));
  const grants: AzureRoleGrant[] = [];
  let n = 0;
  for await (const a of authorization.roleAssignments.listForSubscription({ filter: `assignedTo('${principalId}')` })) {
    if (++n > maxAssignments) throw Object.assign(new Error(`more than ${maxAssignments} role assignments`), { code: "TooManyAssignments" });
    if (!a.roleDefinitionId || !a.scope) continue;
    const guid = roleDefinitionGuid(a.roleDefinitionId);
    const key = guid ?? a.roleDefinitionId.toLowerCase();
    let def = definitions.get(key);
    if (!def) {
      // The SDK's path template is "/{roleId}": the id without its leading slash (as roles.ts does).
      const path = scopeParameter(guid ? `/subscriptions/${sub}/providers/Microsoft.Authorization/roleDefinitions/${guid}` : a.roleDefinitionId);
      def = authorization.roleDefinitions.getById(path).then((d) => ({ roleName: d.roleName ?? a.roleDefinitionId!, permissions: d.permissions ?? [] }));
      definitions.set(key, def);
      // A failed read is not remembered: another subscription may be allowed to read the definition.
      def.catch(() => definitions.delete(key));
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

/** Runs `fn` over the items, at most `limit` at once; results in the items' order. */
async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return out;
}
