// Who may read what. In Azure, App Service authentication (Entra ID) puts the caller in the
// `x-ms-client-principal` header (base64 JSON with the token's claims) after validating it; the
// setting VANTAGE_ACCESS maps user/group object ids to the subscriptions they may see. Without the
// setting every authenticated caller sees everything (a single-team deployment; the local host is
// loopback only). Every read — listings, graphs, explorer queries — goes through one scope.
import { parseSubscriptionId } from "../azure/ids.js";
import { AuthError, InputError, NotFoundError } from "../errors.js";

export type Scope = { all: true } | { all: false; subscriptions: ReadonlySet<string> };

export const ALL: Scope = { all: true };

interface PrincipalClaims {
  claims?: { typ?: string; val?: string }[];
}

const OBJECT_ID_CLAIMS = ["http://schemas.microsoft.com/identity/claims/objectidentifier", "oid"];

/** Object ids the caller acts as: its own and its groups', from the validated principal header. */
export function callerIds(headers: { get(name: string): string | null }): string[] {
  const ids = new Set<string>();
  const direct = headers.get("x-ms-client-principal-id");
  if (direct) ids.add(direct.toLowerCase());
  const encoded = headers.get("x-ms-client-principal");
  if (encoded) {
    const malformed = () => new AuthError("x-ms-client-principal is not a base64 JSON principal with a claims list", 401);
    let principal: PrincipalClaims;
    try {
      principal = JSON.parse(Buffer.from(encoded, "base64").toString("utf8")) as PrincipalClaims;
    } catch {
      throw malformed();
    }
    // Any shape other than {claims: [{typ, val}, …]} is refused, not half-read.
    if (!principal || typeof principal !== "object" || Array.isArray(principal)) throw malformed();
    const claims: unknown = principal.claims ?? [];
    if (!Array.isArray(claims)) throw malformed();
    for (const c of claims as unknown[]) {
      if (!c || typeof c !== "object") throw malformed();
      const { typ, val } = c as { typ?: unknown; val?: unknown };
      if ((typ !== undefined && typeof typ !== "string") || (val !== undefined && typeof val !== "string")) throw malformed();
      if (!val) continue;
      if (typ === "groups" || OBJECT_ID_CLAIMS.includes(typ ?? "")) ids.add(val.toLowerCase());
    }
  }
  return [...ids];
}

/** Parses VANTAGE_ACCESS: {"<object id>": ["<subscription id>", …] | "*"}. */
export function parseAccessMap(raw: string | undefined): Map<string, string[] | "*"> | undefined {
  if (!raw?.trim()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new InputError("setting VANTAGE_ACCESS must be JSON: {\"<object id>\": [\"<subscription id>\", …] | \"*\"}");
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) throw new InputError("setting VANTAGE_ACCESS must be a JSON object");
  const map = new Map<string, string[] | "*">();
  for (const [id, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (value === "*") map.set(id.toLowerCase(), "*");
    else if (Array.isArray(value) && value.every((v) => typeof v === "string")) map.set(id.toLowerCase(), value.map((v) => v.toLowerCase()));
    else throw new InputError(`setting VANTAGE_ACCESS: entry ${id} must be "*" or a list of subscription ids`);
  }
  return map;
}

export function scopeFor(headers: { get(name: string): string | null }, access: Map<string, string[] | "*"> | undefined): Scope {
  if (!access) return ALL;
  const ids = callerIds(headers);
  if (ids.length === 0) throw new AuthError("this API needs an authenticated caller (App Service authentication)", 401);
  const subscriptions = new Set<string>();
  for (const id of ids) {
    const grant = access.get(id);
    if (grant === "*") return ALL;
    for (const s of grant ?? []) subscriptions.add(s);
  }
  if (subscriptions.size === 0) throw new AuthError("the caller has no access to any subscription in Vantage", 403);
  return { all: false, subscriptions };
}

export function allows(scope: Scope, subscriptionId: string | undefined): boolean {
  return scope.all || (subscriptionId !== undefined && scope.subscriptions.has(subscriptionId.toLowerCase()));
}

/** A subscription id from a request (path or body), checked; one outside the scope is answered as if it did not exist. */
export function accessibleSubscription(scope: Scope, raw: unknown): string {
  const subscriptionId = parseSubscriptionId(raw);
  if (!allows(scope, subscriptionId)) throw new NotFoundError(`subscription ${subscriptionId} has no onboarding run`);
  return subscriptionId;
}
