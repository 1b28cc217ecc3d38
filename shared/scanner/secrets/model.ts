// What a secret detector reports. A match never carries the secret: only where it is, which rule
// found it, a keyed fingerprint (to recognise the same credential elsewhere) and a 4-character hint.

export type SecretSeverity = "critical" | "high" | "medium";

export interface SecretMatch {
  /** Stable rule id, e.g. "github-token" (docs/secrets.md lists them). */
  rule: string;
  title: string;
  severity: SecretSeverity;
  /** 1-based line of the value's first character. */
  line: number;
  /**
   * Offsets of the value in the input (UTF-16 units for strings, bytes for byte input): what a caller
   * redacts. Never persisted by the image scanner.
   */
  start: number;
  end: number;
  /** "hmac-sha256:" + 16 hex of HMAC-SHA256(key, value): equal values give equal fingerprints. */
  fingerprint: string;
  /** First and last two characters ("gh…Q1"), or "…" when the value is shorter than 20 characters. */
  hint: string;
}

export interface DetectOptions {
  /** The file the text came from: enables the well-known-file rules (.env, .npmrc, …). */
  path?: string;
  /** HMAC key for fingerprints (default: the project-wide constant, so runs are comparable). */
  fingerprintKey?: string;
  /** At most this many matches (default 100); the rest are counted in `omitted` by the callers that ask. */
  maxMatches?: number;
}

/** A candidate value a rule found, before allow-listing and fingerprinting. */
export interface RawMatch {
  rule: string;
  start: number;
  end: number;
  /** The value to fingerprint when it differs from text.slice(start, end) (e.g. a key body without line breaks). */
  value?: string;
}

export interface SecretRule {
  id: string;
  title: string;
  severity: SecretSeverity;
  /** Literal substrings one of which must occur for the rule to run (a fast prefilter). */
  keywords: readonly string[];
  /** Only for files whose path this accepts (well-known secret files); content rules omit it. */
  appliesTo?(path: string): boolean;
  find(text: string): RawMatch[];
}
