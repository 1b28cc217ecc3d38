// Secrets of a whole image from its layers' facts. Unlike packages, a secret does not disappear when
// a later layer deletes its file: the lower layer is still in the image and anyone who pulls it can
// read the file back. So every finding is kept, with the layer that added it, and marked `deleted`
// (with the deleting layer) when a later layer whites it out, hides it under an opaque directory, or
// replaces the path with a link or another cataloged/scanned file.
import type { LayerSecret, LayerSecretFacts } from "./layer-scan.js";

export interface ImageSecret extends LayerSecret {
  /** Digest of the layer that added the file. */
  layerDigest: string;
  /** 0-based position of that layer in the image. */
  layerIndex: number;
  /** True when the file is not in the final filesystem but remains in `layerDigest`. */
  deleted: boolean;
  /** The layer whose whiteout, opaque directory or replacement hid the file. */
  deletedIn?: string;
}

export interface ImageSecretsSummary {
  findings: ImageSecret[];
  scannedFiles: number;
  scannedBytes: number;
  /** Candidate files not read because a bound was reached (too large, budgets, findings cap). */
  skipped: number;
}

/** What a layer does to the paths below it (the same fields LayerFacts carries). */
export interface LayerChanges {
  digest: string;
  whiteouts: string[];
  opaqueDirs: string[];
  removed: string[];
  /** Paths written by the layer that are known (cataloged files and secret findings). */
  written: string[];
  secrets?: LayerSecretFacts;
}

function underAny(path: string, dirs: Set<string>, strict: boolean): boolean {
  if (!strict && dirs.has(path)) return true;
  if (dirs.has("")) return true;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (dirs.has(path.slice(0, i))) return true;
  return false;
}

export function imageSecrets(layers: LayerChanges[]): ImageSecretsSummary {
  const findings: ImageSecret[] = [];
  let scannedFiles = 0;
  let scannedBytes = 0;
  let skipped = 0;
  const live: ImageSecret[] = [];
  layers.forEach((layer, index) => {
    // This layer's deletions and replacements hide findings of the layers below.
    const gone = new Set([...layer.whiteouts, ...layer.removed]);
    const opaque = new Set(layer.opaqueDirs);
    const replaced = new Set(layer.written);
    for (const f of live) {
      if (f.deleted) continue;
      if (underAny(f.path, gone, false) || underAny(f.path, opaque, true) || replaced.has(f.path)) {
        f.deleted = true;
        f.deletedIn = layer.digest;
      }
    }
    const s = layer.secrets;
    if (!s) return;
    scannedFiles += s.scannedFiles;
    scannedBytes += s.scannedBytes;
    skipped += s.skipped.tooLarge + s.skipped.layerBudget + s.skipped.imageBudget + s.skipped.findings;
    for (const f of s.findings) {
      const located: ImageSecret = { ...f, layerDigest: layer.digest, layerIndex: index, deleted: false };
      live.push(located);
      findings.push(located);
    }
  });
  findings.sort((a, b) => a.layerIndex - b.layerIndex || (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  return { findings, scannedFiles, scannedBytes, skipped };
}
