// ARM id parsing and deterministic names. Ids arrive from users, estate files and events, so they
// are validated here once and everything downstream can trust their shape.
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// ARM names: no slashes, no control characters, no leading/trailing whitespace.
const SEGMENT = /^[^/\s?#][^/?#]*$/;

/** A subscription id (a GUID), lower-cased. */
export function parseSubscriptionId(value: unknown): string {
  if (typeof value !== "string" || !GUID.test(value.trim())) {
    throw new InputError(`subscription id ${JSON.stringify(value)} is not a GUID`, "InvalidSubscriptionId");
  }
  return value.trim().toLowerCase();
}

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/** The subscription of an ARM resource id ("/subscriptions/<guid>/…"), lower-cased; undefined without one. */
export function subscriptionOf(resourceId: string): string | undefined {
  const segment = /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1];
  return segment !== undefined && GUID.test(segment) ? segment.toLowerCase() : undefined;
}

export interface ResourceId {
  /** The id as given (original casing, no trailing slash). */
  id: string;
  subscriptionId: string;
  resourceGroup?: string;
  /** Provider namespace of the innermost provider segment, e.g. Microsoft.ContainerService. */
  provider?: string;
  /** Full type, e.g. Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings. */
  type?: string;
  /** Name of the last resource segment. */
  name?: string;
  /** Name/type pairs after the provider, outermost first. */
  segments: { type: string; name: string }[];
}

/**
 * Parses `/subscriptions/{s}[/resourceGroups/{rg}][/providers/{ns}/{type}/{name}[/{type}/{name}]…]`.
 * Extension resources (`…/providers/{ns}/{type}/{name}/providers/{ns2}/…`) keep the innermost provider.
 */
export function parseResourceId(value: unknown): ResourceId {
  const bad = (why: string) =>
    new InputError(`resource id ${JSON.stringify(value)} is malformed: ${why}`, "InvalidResourceId");
  if (typeof value !== "string" || value.trim() === "") throw bad("empty");
  const id = value.trim().replace(/\/+$/, "");
  if (!id.startsWith("/")) throw bad("must start with /subscriptions/");
  const parts = id.slice(1).split("/");
  if (parts.some((p) => !SEGMENT.test(p))) throw bad("empty or invalid segment");
  if (parts[0]!.toLowerCase() !== "subscriptions" || parts.length < 2) throw bad("must start with /subscriptions/");
  const subscriptionId = parseSubscriptionId(parts[1]);
  let i = 2;
  let resourceGroup: string | undefined;
  if (parts[i]?.toLowerCase() === "resourcegroups") {
    if (parts[i + 1] === undefined) throw bad("resourceGroups without a name");
    resourceGroup = parts[i + 1];
    i += 2;
  }
  let provider: string | undefined;
  let segments: { type: string; name: string }[] = [];
  while (i < parts.length) {
    if (parts[i]!.toLowerCase() !== "providers") throw bad(`unexpected segment ${JSON.stringify(parts[i])}`);
    provider = parts[i + 1];
    if (provider === undefined || !provider.includes(".")) throw bad("providers without a namespace");
    i += 2;
    segments = [];
    while (i < parts.length && parts[i]!.toLowerCase() !== "providers") {
      const type = parts[i]!;
      const name = parts[i + 1];
      if (name === undefined) throw bad(`type ${type} without a name`);
      segments.push({ type, name });
      i += 2;
    }
    if (segments.length === 0) throw bad(`provider ${provider} without a resource`);
  }
  const last = segments.at(-1);
  return {
    id,
    subscriptionId,
    resourceGroup,
    provider,
    type: provider ? [provider, ...segments.map((s) => s.type)].join("/") : undefined,
    name: last?.name,
    segments,
  };
}

/** Parses an id and checks its type (case-insensitive), e.g. `Microsoft.ContainerService/managedClusters`. */
export function parseResourceIdOfType(value: unknown, type: string): ResourceId & { resourceGroup: string; name: string } {
  const parsed = parseResourceId(value);
  if (parsed.type?.toLowerCase() !== type.toLowerCase() || !parsed.resourceGroup || !parsed.name) {
    throw new InputError(`resource id ${JSON.stringify(value)} is not a ${type}`, "InvalidResourceId");
  }
  return parsed as ResourceId & { resourceGroup: string; name: string };
}

// RFC 4122 §4.3 name-based UUID (version 5, SHA-1) in a fixed Vantage namespace: the same inputs
// always give the same role definition / assignment names, so re-runs PUT the same resources.
const VANTAGE_NAMESPACE = "5d0c3b8e-8a1f-4b7c-9f0e-6a2d4c1b7e93";

export function uuidV5(name: string, namespace = VANTAGE_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  const hash = createHash("sha1").update(ns).update(name, "utf8").digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Deterministic GUID for a Vantage-owned resource: purpose + the scope it lives in, case-insensitive. */
export function deterministicGuid(purpose: string, ...scope: string[]): string {
  return uuidV5([purpose, ...scope.map((s) => s.toLowerCase())].join("|"));
}

export function subscriptionScope(subscriptionId: string): string {
  return `/subscriptions/${subscriptionId}`;
}

/**
 * The form the SDKs want for `{scope}`-style path parameters: their templates are `/{scope}/…` with
 * encoding skipped, so a leading slash would produce `//subscriptions` (a host, to a URL parser).
 */
export function scopeParameter(id: string): string {
  return id.replace(/^\/+/, "");
}
