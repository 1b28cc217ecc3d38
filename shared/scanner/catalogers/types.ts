// The contract between the layer walker (shared/scanner/image) and the catalogers. A cataloger is
// asked, for every file path in every layer, whether it wants that file; wanted files are buffered
// one at a time and parsed into facts right away, so memory never holds more than one file. The
// walker keeps facts per (layer, path) and applies whiteouts across layers before assembly, which is
// also what makes per-layer results cacheable by layer digest.
import type { OsRelease, Package } from "../model.js";

export interface FileFacts {
  packages: Package[];
  /** Set by OS-release catalogers (etc/os-release, etc/alpine-release, …). */
  os?: OsRelease;
  warnings?: string[];
}

export interface Cataloger {
  /** Short stable name; recorded in Package.cataloger. */
  name: string;
  /**
   * Decide from the entry alone whether to buffer it. `path` is normalized: no leading "/", no "./",
   * forward slashes. `mode` is the tar/stat mode (executable bits matter for binaries).
   */
  matches(path: string, size: number, mode: number): boolean;
  /** Parse one file. Must not throw on garbage: return warnings (and no packages) instead. */
  parse(path: string, content: Buffer): FileFacts | Promise<FileFacts>;
}

/** Facts for one surviving file of the final (whiteout-applied) filesystem. */
export interface LocatedFacts {
  path: string;
  layerDigest?: string;
  facts: FileFacts;
}
