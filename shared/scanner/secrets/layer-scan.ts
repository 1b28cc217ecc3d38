// The secret scanner's part of the single layer walk: asked for every tar entry whether it wants the
// body (secretCandidate + size bound), then handed each wanted body once. Bounded in bytes per file,
// per layer and per image; what a bound skipped is counted, never silently dropped.
import { detectSecrets, looksBinary } from "./detectors.js";
import { secretCandidate } from "./candidates.js";
import type { SecretSeverity } from "./model.js";

/** Part of the layer cache key: bump when rules, candidates or these facts change. */
export const SECRET_FACTS_VERSION = "secrets-1";

export interface SecretScanLimits {
  /** Largest file read (bigger candidates are counted as skipped). */
  maxFileBytes: number;
  /** Bytes read per layer (deterministic, so the layer's facts stay cacheable). */
  maxLayerBytes: number;
  /** Bytes read per image, across layers. */
  maxImageBytes: number;
  /** Findings kept per file and per layer. */
  maxFindingsPerFile: number;
  maxFindingsPerLayer: number;
}

export const DEFAULT_SECRET_LIMITS: SecretScanLimits = {
  maxFileBytes: 1024 ** 2,
  maxLayerBytes: 64 * 1024 ** 2,
  maxImageBytes: 256 * 1024 ** 2,
  maxFindingsPerFile: 20,
  maxFindingsPerLayer: 500,
};

/** One finding within a layer: the value itself is never part of it. */
export interface LayerSecret {
  path: string;
  rule: string;
  title: string;
  severity: SecretSeverity;
  line: number;
  fingerprint: string;
  hint: string;
}

export interface LayerSecretFacts {
  findings: LayerSecret[];
  /**
   * Candidate paths this layer writes (read or not): a lower layer's finding at one of them was
   * replaced. Capped at MAX_WRITTEN_PATHS; past it, replacements by plain files go unnoticed.
   */
  written: string[];
  scannedFiles: number;
  scannedBytes: number;
  skipped: { tooLarge: number; binary: number; layerBudget: number; imageBudget: number; findings: number };
}

/** Bytes left for one image's secret scan, shared by the layers walked for it. */
export class SecretBudget {
  constructor(public remaining: number) {}
}

const MAX_WRITTEN_PATHS = 50_000;

export class LayerSecretScanner {
  private readonly facts: LayerSecretFacts = { findings: [], written: [], scannedFiles: 0, scannedBytes: 0, skipped: { tooLarge: 0, binary: 0, layerBudget: 0, imageBudget: 0, findings: 0 } };
  private readonly kinds = new Map<string, string>();

  constructor(
    private readonly limits: SecretScanLimits = DEFAULT_SECRET_LIMITS,
    private readonly budget?: SecretBudget,
  ) {}

  /** Called for every regular file: must stay cheap (string tests on the path). */
  wants(path: string, size: number): boolean {
    const kind = secretCandidate(path);
    if (!kind) return false;
    if (this.facts.written.length < MAX_WRITTEN_PATHS) this.facts.written.push(path);
    const s = this.facts.skipped;
    if (size > this.limits.maxFileBytes) return (s.tooLarge++, false);
    if (this.facts.scannedBytes + size > this.limits.maxLayerBytes) return (s.layerBudget++, false);
    if (this.budget && this.budget.remaining < size) return (s.imageBudget++, false);
    if (this.budget) this.budget.remaining -= size;
    this.facts.scannedBytes += size;
    this.kinds.set(path, kind);
    return true;
  }

  scan(path: string, body: Buffer): void {
    const kind = this.kinds.get(path);
    this.kinds.delete(path);
    this.facts.scannedFiles++;
    if (kind !== "well-known" && looksBinary(body)) {
      this.facts.skipped.binary++;
      return;
    }
    // A later entry for the same path in this layer replaces the earlier one.
    this.facts.findings = this.facts.findings.filter((f) => f.path !== path);
    for (const m of detectSecrets(body, { path, maxMatches: this.limits.maxFindingsPerFile })) {
      if (this.facts.findings.length >= this.limits.maxFindingsPerLayer) {
        this.facts.skipped.findings++;
        continue;
      }
      this.facts.findings.push({ path, rule: m.rule, title: m.title, severity: m.severity, line: m.line, fingerprint: m.fingerprint, hint: m.hint });
    }
  }

  result(): LayerSecretFacts {
    return this.facts;
  }
}
