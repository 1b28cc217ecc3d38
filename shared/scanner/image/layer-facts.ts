// What one layer contributes, independent of every other layer: cacheable by layer digest and
// JSON-serializable. Cached per cataloger: each cataloger's facts are kept under its own name and
// version, beside the walk's own facts (whiteouts, removals, secrets), so bumping one cataloger's
// version re-reads only that cataloger's facts.
import type { FileFacts } from "../catalogers/types.js";
import { SECRET_FACTS_VERSION, type LayerSecretFacts } from "../secrets/layer-scan.js";

/** A symbolic or hard link as the layer's tar names it (target unresolved). */
export interface LinkEntry {
  path: string;
  type: "symlink" | "hardlink";
  target: string;
}

export interface LayerFacts {
  /** Facts per cataloged path and cataloger (one entry per cataloger that read the path). */
  files: { path: string; cataloger: string; facts: FileFacts }[];
  /** Paths deleted from lower layers (`.wh.NAME`). */
  whiteouts: string[];
  /** Directories whose lower-layer content is hidden (`.wh..wh..opq`); "" is the root. */
  opaqueDirs: string[];
  /**
   * Paths a cataloger wanted that this layer replaced with something it could not read (a symlink,
   * a hard link, an oversized file): they hide lower layers' facts at the same path.
   */
  removed: string[];
  /** Links at paths a cataloger wanted or at package database directories: resolved across the image after the walk (links.ts). */
  links?: LinkEntry[];
  /** Regular files named like a package database that no cataloger read where they lie (a directory link may make them one). */
  linkCandidates?: string[];
  warnings: string[];
  entries: number;
  /** Decompressed (tar) bytes. */
  bytes: number;
  /** Secret findings of this layer's files (redacted), when the walk scanned for secrets. */
  secrets?: LayerSecretFacts;
}

/**
 * Bumped when what the walk itself records changes (whiteouts, removals, limits, entry handling);
 * with the secret facts version it keys the walk's part of a cached layer.
 */
export const LAYER_WALK_VERSION = 3; // 2: file warnings live in the files' facts only; 3: links at database directories and database candidates
const WALK_KEY = `walk-${LAYER_WALK_VERSION}|${SECRET_FACTS_VERSION}`;

/** A cataloger as the cache knows it: its facts are valid for this name at this version. */
export interface CatalogerKey {
  name: string;
  version?: number;
}

export function catalogerKey(c: CatalogerKey): string {
  return `${c.name}@${c.version ?? 1}`;
}

/** A cache hit: the walk's facts and the files of every cataloger stored at its version; `missing` names the others. */
export interface CachedLayer {
  facts: LayerFacts;
  missing: string[];
}

export interface LayerCache {
  /** Undefined when nothing usable is stored (no layer, or the walk's facts are of another version). */
  get(layerDigest: string, catalogers: readonly CatalogerKey[]): Promise<CachedLayer | undefined>;
  /** `facts` holds the files of every cataloger named; each is stored under its name and version. */
  put(layerDigest: string, facts: LayerFacts, catalogers: readonly CatalogerKey[]): Promise<void>;
}

/** The stored form of one layer: the walk's facts under WALK_KEY, each cataloger's files under name@version. */
export interface PackedLayer {
  walk: string;
  facts: Omit<LayerFacts, "files">;
  catalogers: Record<string, { path: string; facts: FileFacts }[]>;
}

export function packLayer(facts: LayerFacts, catalogers: readonly CatalogerKey[]): PackedLayer {
  const { files, ...walkFacts } = facts;
  const keyOf = new Map(catalogers.map((c) => [c.name, catalogerKey(c)]));
  const parts: PackedLayer["catalogers"] = Object.fromEntries([...keyOf.values()].map((k) => [k, []]));
  for (const f of files) {
    const key = keyOf.get(f.cataloger);
    if (key) parts[key]!.push({ path: f.path, facts: f.facts });
  }
  return { walk: WALK_KEY, facts: walkFacts, catalogers: parts };
}

export function unpackLayer(packed: PackedLayer | undefined, catalogers: readonly CatalogerKey[]): CachedLayer | undefined {
  if (!packed || packed.walk !== WALK_KEY || !packed.catalogers) return undefined;
  const files: LayerFacts["files"] = [];
  const missing: string[] = [];
  for (const c of catalogers) {
    const part = packed.catalogers[catalogerKey(c)];
    if (!part) missing.push(c.name);
    else for (const f of part) files.push({ path: f.path, cataloger: c.name, facts: f.facts });
  }
  return { facts: { ...packed.facts, files }, missing };
}

/** Cached facts completed by a walk of the missing catalogers: the files and removals of both, each warning once. */
export function completeLayer(cached: LayerFacts, walked: LayerFacts): LayerFacts {
  return {
    ...cached,
    files: [...cached.files, ...walked.files],
    removed: [...new Set([...cached.removed, ...walked.removed])],
    warnings: [...new Set([...cached.warnings, ...walked.warnings])],
  };
}

/** In-process cache, least recently used layer first out. */
export class MemoryLayerCache implements LayerCache {
  private readonly map = new Map<string, PackedLayer>();
  constructor(private readonly maxLayers = 1024) {}
  async get(layerDigest: string, catalogers: readonly CatalogerKey[]): Promise<CachedLayer | undefined> {
    const hit = this.map.get(layerDigest);
    if (hit) {
      this.map.delete(layerDigest);
      this.map.set(layerDigest, hit);
    }
    return unpackLayer(hit, catalogers);
  }
  async put(layerDigest: string, facts: LayerFacts, catalogers: readonly CatalogerKey[]): Promise<void> {
    this.map.delete(layerDigest);
    this.map.set(layerDigest, packLayer(facts, catalogers));
    while (this.map.size > this.maxLayers) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}
