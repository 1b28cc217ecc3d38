// What a registry holds: every tagged image manifest, deduplicated by digest, with the time the
// registry last pushed or retagged it when the registry says so. Azure Container Registry's
// data-plane listing (`/acr/v1/_catalog`, `/acr/v1/<name>/_manifests`) gives digests, tags and
// last-update times in one page per repository; any other registry is read through the
// distribution API (`/v2/_catalog`, `tags/list`, then a manifest HEAD per tag for its digest), which
// knows no push time. Only listings and manifest HEADs are sent: no blob is ever read here.
import type { RegistryClient } from "./client.js";
import { RegistryError } from "./errors.js";
import type { AcrManifest } from "./listing.js";
import { DOCKER_CONFIG, MANIFEST_ACCEPT, OCI_CONFIG } from "./media-types.js";

/** One image of a registry: a manifest digest with every repository:tag that names it. */
export interface InventoryImage {
  digest: string;
  /** `repository:tag` names, sorted. */
  tags: string[];
  /** ISO time the registry last pushed or retagged the manifest (ACR only). */
  updatedAt?: string;
}

export interface InventoryLimits {
  /** Repositories listed at most (the rest are reported as truncated). */
  maxRepositories: number;
  /** Tags read at most across the registry. */
  maxTags: number;
  pageSize: number;
}

export const DEFAULT_INVENTORY_LIMITS: InventoryLimits = { maxRepositories: 20_000, maxTags: 200_000, pageSize: 1000 };

export interface RegistryInventory {
  /** `acr` when the registry serves ACR's listing API, `v2` for the distribution API. */
  mode: "acr" | "v2";
  repositories: number;
  /** Tags seen (in and out of the window). */
  tags: number;
  /** In-window images, one per digest, sorted by digest. */
  images: InventoryImage[];
  /** A limit stopped the listing early; `images` holds what was read. */
  truncated: boolean;
}

/** Manifests that are images: an image manifest or index whose config (when stated) is an image config. */
export function isImageEntry(m: AcrManifest & { configMediaType?: string }): boolean {
  if (m.mediaType && !MANIFEST_ACCEPT.includes(m.mediaType)) return false;
  if (m.configMediaType && m.configMediaType !== OCI_CONFIG && m.configMediaType !== DOCKER_CONFIG) return false;
  return true;
}

/** When ACR last pushed or retagged a manifest (lastUpdateTime, else createdTime), as epoch ms. */
export function updatedAtMs(m: AcrManifest): number | undefined {
  const t = Date.parse(m.lastUpdateTime ?? m.createdTime ?? "");
  return Number.isFinite(t) ? t : undefined;
}

class Collector {
  private readonly byDigest = new Map<string, InventoryImage>();
  tags = 0;
  truncated = false;

  add(digest: string, names: string[], updatedAt?: string): void {
    const seen = this.byDigest.get(digest);
    if (!seen) {
      this.byDigest.set(digest, { digest, tags: [...names], ...(updatedAt ? { updatedAt } : {}) });
      return;
    }
    seen.tags.push(...names);
    if (updatedAt && (!seen.updatedAt || Date.parse(updatedAt) > Date.parse(seen.updatedAt))) seen.updatedAt = updatedAt;
  }

  images(): InventoryImage[] {
    return [...this.byDigest.values()]
      .map((i) => ({ ...i, tags: [...new Set(i.tags)].sort() }))
      .sort((a, b) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0));
  }
}

async function acrSupported(client: RegistryClient, pageSize: number): Promise<AsyncGenerator<string[]> | undefined> {
  const pages = client.listAcrRepositories(pageSize);
  try {
    // The first page tells: a registry without ACR's API answers 404 (or 405/400) here.
    const first = await pages.next();
    return (async function* () {
      if (!first.done) yield first.value;
      yield* pages;
    })();
  } catch (err) {
    if (err instanceof RegistryError && (err.status === 404 || err.status === 400 || err.status === 405 || err.code === "NotFound")) return undefined;
    throw err;
  }
}

/**
 * Lists the registry's images updated at or after `sinceMs` (every tagged image for registries
 * without update times). Throws RegistryError when a listing fails.
 */
export async function inventoryRegistry(client: RegistryClient, sinceMs: number, limits: InventoryLimits = DEFAULT_INVENTORY_LIMITS): Promise<RegistryInventory> {
  const out = new Collector();
  let repositories = 0;
  const acr = await acrSupported(client, limits.pageSize);
  const catalog = acr ?? client.listRepositories(limits.pageSize);
  outer: for await (const page of catalog) {
    for (const repository of page) {
      if (repositories >= limits.maxRepositories) {
        out.truncated = true;
        break outer;
      }
      repositories++;
      if (acr) {
        // Newest first: paging stops at the first manifest older than the window.
        repo: for await (const manifests of client.listAcrManifests(repository, limits.pageSize)) {
          for (const m of manifests) {
            if (!m.tags.length || !isImageEntry(m)) continue;
            if (out.tags + m.tags.length > limits.maxTags) {
              out.truncated = true;
              break outer;
            }
            out.tags += m.tags.length;
            const at = updatedAtMs(m);
            if (at !== undefined && at < sinceMs) break repo;
            out.add(m.digest, m.tags.map((t) => `${repository}:${t}`), m.lastUpdateTime ?? m.createdTime);
          }
        }
      } else {
        for await (const tags of client.listTags(repository, limits.pageSize)) {
          for (const tag of tags) {
            if (out.tags >= limits.maxTags) {
              out.truncated = true;
              break outer;
            }
            out.tags++;
            try {
              out.add(await client.manifestDigest(repository, tag), [`${repository}:${tag}`]);
            } catch (err) {
              // A tag deleted between the listing and the HEAD is simply gone.
              if (err instanceof RegistryError && err.status === 404) continue;
              throw err;
            }
          }
        }
      }
    }
  }
  return { mode: acr ? "acr" : "v2", repositories, tags: out.tags, images: out.images(), truncated: out.truncated };
}
