// Values that look like credentials but are published examples or placeholders. Each entry says where
// it comes from; a match equal to (or containing) one of these is not reported.
import { shannonEntropy } from "./entropy.js";

/** Exact values documented as examples or well-known development keys. */
const KNOWN_EXAMPLES = new Set([
  // AWS documentation's example access key id and secret access key.
  "AKIAIOSFODNN7EXAMPLE",
  "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
  // Azurite / the Azure Storage emulator's published well-known account key (devstoreaccount1).
  "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
]);

/** Words that mark documentation and templates rather than live credentials. */
const PLACEHOLDER_WORDS = /example|sample|dummy|placeholder|changeme|change_me|replace_?me|your[_-]|redacted|xxxxx|\*\*\*/i;

/** Template syntax: ${VAR}, $VAR, {{ var }}, <value>, %VAR%. */
const TEMPLATE = /^\$\{?[A-Za-z_][A-Za-z0-9_]*\}?$|\{\{.*\}\}|^<[^>]*>$|^%[A-Za-z_][A-Za-z0-9_]*%$/;

export function isAllowListed(value: string): boolean {
  if (KNOWN_EXAMPLES.has(value)) return true;
  if (PLACEHOLDER_WORDS.test(value)) return true;
  if (TEMPLATE.test(value)) return true;
  // One repeated character, or a run like "0123456789abcdef…" is a filler, not a key.
  if (/^(.)\1+$/.test(value)) return true;
  return false;
}

/** Free-form values (passwords in .env files, secret keys without a structural prefix) need entropy. */
export function looksRandom(value: string, minLength = 8, minBitsPerChar = 3): boolean {
  return value.length >= minLength && shannonEntropy(value) >= minBitsPerChar;
}
