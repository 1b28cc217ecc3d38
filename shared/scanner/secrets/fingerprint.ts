// Redacted identity of a secret value. A keyed hash (HMAC-SHA256, 64 bits shown) lets a user see that
// the same credential sits in five images without anyone being able to read it back; the values the
// rules accept carry far more than 64 bits of entropy, so the prefix cannot be inverted. The default
// key is a project constant so fingerprints from the CLI and the pipeline compare equal.
import { createHmac } from "node:crypto";

export const DEFAULT_FINGERPRINT_KEY = "vantage/secret-fingerprint/v1";

export function fingerprint(value: string, key = DEFAULT_FINGERPRINT_KEY): string {
  return `hmac-sha256:${createHmac("sha256", key).update(value, "utf8").digest("hex").slice(0, 16)}`;
}

/** Two characters at each end of long values only: at most 4 of ≥ 20 characters are ever shown. */
export function hint(value: string): string {
  return value.length >= 20 ? `${value.slice(0, 2)}…${value.slice(-2)}` : "…";
}
