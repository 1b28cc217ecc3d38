// The contract between the layer walker (shared/scanner/image) and the catalogers. A cataloger is
// asked, for every file path in every layer, whether it wants that file; wanted files are buffered
// one at a time and parsed into facts right away, so memory never holds more than one file. The
// walker keeps facts per (layer, path) and applies whiteouts across layers before assembly, which is
// also what makes per-layer results cacheable by layer digest.
import type { ByteSource } from "../byte-source.js";
import type { OsRelease, Package, UnidentifiedFile } from "../model.js";

export interface FileFacts {
  packages: Package[];
  /** Set by OS-release catalogers (etc/os-release, etc/alpine-release, …). */
  os?: OsRelease;
  warnings?: string[];
  /** Software in this file that has no exact identity (see UnidentifiedFile). */
  unidentified?: UnidentifiedFile[];
  /** Package-manager file ownership read from this file (dpkg info/*.list, apk R: lines, rpm file lists). */
  owned?: OwnedFiles[];
}

/** Files an OS package installed (only those a language cataloger could read: see ownership.ts). */
export interface OwnedFiles {
  manager: "deb" | "apk" | "rpm";
  /** The OS package's name as its database records it. */
  owner: string;
  /** Root-relative paths, no leading "/". */
  paths: string[];
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
  /**
   * When present, large matching files are read by position instead of buffered whole: a stream
   * source spills them to a temp file, the dir: source reads them where they lie. Same facts as parse.
   */
  parseSource?(path: string, source: ByteSource): FileFacts | Promise<FileFacts>;
  /** When present, sources read matching files through this instead of buffering them (no size bound). */
  scan?(path: string, size: number, options: { randomAccess: boolean }): FileScan;
  /**
   * Bumped when what this cataloger records changes: cached layer facts are kept per cataloger and
   * version, so one cataloger's change re-reads only its own facts.
   */
  version?: number;
}

/**
 * A file read in order without buffering it whole (Go binaries run to hundreds of MB). A stream
 * source feeds every chunk in order until `want()` is -1; a random-access source (dir:) reads only
 * from `want()` onwards, so a scan can skip most of a large file.
 */
export interface FileScan {
  /** File offset of the next byte wanted, or -1 when the scan needs nothing more. */
  want(): number;
  write(chunk: Uint8Array, offset: number): void;
  /** The file ended (or the scan said it was done): its facts. Must not throw. */
  end(): FileFacts;
}

/** Facts for one surviving file of the final (whiteout-applied) filesystem. */
export interface LocatedFacts {
  path: string;
  layerDigest?: string;
  facts: FileFacts;
}
