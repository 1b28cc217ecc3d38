// What one layer contributes, independent of every other layer: cacheable by layer digest and
// JSON-serializable (the lead's Blob-backed cache stores it as is).
import type { FileFacts } from "../catalogers/types.js";
import type { LayerSecretFacts } from "../secrets/layer-scan.js";

/** A symbolic or hard link as the layer's tar names it (target unresolved). */
export interface LinkEntry {
  path: string;
  type: "symlink" | "hardlink";
  target: string;
}

export interface LayerFacts {
  /** Facts per cataloged path (last entry wins within the layer). */
  files: { path: string; facts: FileFacts }[];
  /** Paths deleted from lower layers (`.wh.NAME`). */
  whiteouts: string[];
  /** Directories whose lower-layer content is hidden (`.wh..wh..opq`); "" is the root. */
  opaqueDirs: string[];
  /**
   * Paths a cataloger wanted that this layer replaced with something it could not read (a symlink,
   * a hard link, an oversized file): they hide lower layers' facts at the same path.
   */
  removed: string[];
  /** Links at paths a cataloger wanted: resolved across the image after the walk (links.ts). */
  links?: LinkEntry[];
  warnings: string[];
  entries: number;
  /** Decompressed (tar) bytes. */
  bytes: number;
  /** Secret findings of this layer's files (redacted), when the walk scanned for secrets. */
  secrets?: LayerSecretFacts;
}

export interface LayerCache {
  get(layerDigest: string): Promise<LayerFacts | undefined>;
  put(layerDigest: string, facts: LayerFacts): Promise<void>;
}

/** In-process cache, least recently used first out. */
export class MemoryLayerCache implements LayerCache {
  private readonly map = new Map<string, LayerFacts>();
  constructor(private readonly maxLayers = 1024) {}
  async get(layerDigest: string): Promise<LayerFacts | undefined> {
    const hit = this.map.get(layerDigest);
    if (hit) {
      this.map.delete(layerDigest);
      this.map.set(layerDigest, hit);
    }
    return hit;
  }
  async put(layerDigest: string, facts: LayerFacts): Promise<void> {
    this.map.delete(layerDigest);
    this.map.set(layerDigest, facts);
    while (this.map.size > this.maxLayers) this.map.delete(this.map.keys().next().value as string);
  }
  get size(): number {
    return this.map.size;
  }
}
