// Registry inventory listings. Pure parsing: RFC 8288 (ex-RFC 5988) `Link` headers, as the
// distribution spec uses for /v2/_catalog and /v2/<name>/tags/list paging, and the response bodies
// of those endpoints and of ACR's data-plane /acr/v1/_catalog and /acr/v1/<name>/_manifests.
import { RegistryError } from "./errors.js";

/** The target of `rel="next"` in a Link header (`</v2/_catalog?last=b&n=2>; rel="next"`), or undefined. */
export function nextLink(header: string | null): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>\s*(.*)$/.exec(part);
    if (!m) continue;
    const rel = /(?:^|;)\s*rel\s*=\s*(?:"([^"]*)"|([^;\s]+))/i.exec(m[2]!);
    const rels = (rel?.[1] ?? rel?.[2] ?? "").toLowerCase().split(/\s+/);
    if (rels.includes("next")) return m[1]!;
  }
  return undefined;
}

function json(bytes: Buffer, what: string): Record<string, unknown> {
  try {
    const v = JSON.parse(bytes.toString("utf8")) as unknown;
    if (v && typeof v === "object" && !Array.isArray(v)) return v as Record<string, unknown>;
  } catch {
    /* reported below */
  }
  throw new RegistryError(`${what}: response is not a JSON object`, "BadResponse");
}

function strings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string" && x.length > 0 && x.length <= 512) : [];
}

/** `{"repositories": [...]}` (both /v2/_catalog and /acr/v1/_catalog). */
export function parseRepositories(bytes: Buffer, what: string): string[] {
  return strings(json(bytes, what).repositories);
}

/** `{"name": "...", "tags": [...]}`; `tags` is null for a repository without tags. */
export function parseTags(bytes: Buffer, what: string): string[] {
  return strings(json(bytes, what).tags);
}

/** One manifest of ACR's /acr/v1/<name>/_manifests listing. */
export interface AcrManifest {
  digest: string;
  tags: string[];
  /** ISO 8601; when the manifest was last pushed or retagged. */
  lastUpdateTime?: string;
  createdTime?: string;
  mediaType?: string;
}

/** `{"registry", "imageName", "manifests": [{digest, tags, createdTime, lastUpdateTime, …}]}`. */
export function parseAcrManifests(bytes: Buffer, what: string): AcrManifest[] {
  const list = json(bytes, what).manifests;
  if (!Array.isArray(list)) return [];
  const out: AcrManifest[] = [];
  for (const m of list) {
    if (!m || typeof m !== "object") continue;
    const o = m as Record<string, unknown>;
    if (typeof o.digest !== "string" || !/^sha256:[0-9a-f]{64}$/.test(o.digest)) continue;
    const entry: AcrManifest = { digest: o.digest, tags: strings(o.tags) };
    if (typeof o.lastUpdateTime === "string") entry.lastUpdateTime = o.lastUpdateTime;
    if (typeof o.createdTime === "string") entry.createdTime = o.createdTime;
    if (typeof o.mediaType === "string") entry.mediaType = o.mediaType;
    out.push(entry);
  }
  return out;
}
