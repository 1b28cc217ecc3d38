// Secret detection over text or bytes: the one implementation the image scanner uses for files and
// other modules reuse to redact free text (container args, commands, annotations). Every rule has a
// literal prefilter, a structural check (checksum, decoded length, DER/OpenSSH magic, query-string
// shape or file syntax) and, where no structure exists, an entropy floor; published example values
// and placeholders are allow-listed (allow-list.ts). Results carry offsets (for redaction), a keyed
// fingerprint and a 4-character hint — never the value.
import { isAllowListed } from "./allow-list.js";
import { fingerprint, hint } from "./fingerprint.js";
import type { DetectOptions, RawMatch, SecretMatch, SecretRule } from "./model.js";
import { awsAccessKeyId, awsSecretAccessKey } from "./rules/aws.js";
import { azureSasToken, azureStorageAccountKey, azureStorageConnectionString, entraClientSecret } from "./rules/azure.js";
import { dockerConfigAuth, dotenvSecret, gitCredentials, npmrcAuthToken } from "./rules/files.js";
import { githubFineGrainedToken, githubToken } from "./rules/github.js";
import { opensshPrivateKey, privateKey } from "./rules/private-key.js";

export type { DetectOptions, SecretMatch, SecretRule, SecretSeverity } from "./model.js";

/** Rules that apply to any text. */
export const CONTENT_RULES: readonly SecretRule[] = [
  privateKey,
  opensshPrivateKey,
  azureStorageConnectionString,
  azureStorageAccountKey,
  azureSasToken,
  entraClientSecret,
  awsAccessKeyId,
  awsSecretAccessKey,
  githubToken,
  githubFineGrainedToken,
];

/** Rules for well-known secret files, chosen by the file's path. */
export const FILE_RULES: readonly SecretRule[] = [dotenvSecret, npmrcAuthToken, gitCredentials, dockerConfigAuth];

export const SECRET_RULES: readonly SecretRule[] = [...CONTENT_RULES, ...FILE_RULES];

const DEFAULT_MAX_MATCHES = 100;

function rulesFor(path: string | undefined): SecretRule[] {
  const file = path ? FILE_RULES.filter((r) => r.appliesTo!(path)) : [];
  return [...CONTENT_RULES, ...file];
}

function lineStarts(text: string): (offset: number) => number {
  let starts: number[] | undefined;
  return (offset) => {
    if (!starts) {
      starts = [0];
      for (let i = text.indexOf("\n"); i >= 0; i = text.indexOf("\n", i + 1)) starts.push(i + 1);
    }
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

function run(text: string, has: (keyword: string) => boolean, options: DetectOptions, everyOccurrence = false): SecretMatch[] {
  const max = options.maxMatches ?? DEFAULT_MAX_MATCHES;
  const lineOf = lineStarts(text);
  const raw: { rule: SecretRule; m: RawMatch }[] = [];
  for (const rule of rulesFor(options.path)) {
    if (!rule.keywords.some(has)) continue;
    for (const m of rule.find(text)) raw.push({ rule, m });
  }
  raw.sort((a, b) => a.m.start - b.m.start || b.m.end - a.m.end);
  const out: SecretMatch[] = [];
  const seen = new Set<string>();
  let coveredTo = -1;
  for (const { rule, m } of raw) {
    // A value inside one already reported (a token inside a key body, a key inside a .env line) is one finding.
    if (m.start < coveredTo) continue;
    const value = m.value ?? text.slice(m.start, m.end);
    if (isAllowListed(value)) continue;
    const fp = fingerprint(value, options.fingerprintKey);
    const key = `${rule.id}|${fp}`;
    coveredTo = m.end;
    if (!everyOccurrence && seen.has(key)) continue;
    seen.add(key);
    out.push({ rule: rule.id, title: rule.title, severity: rule.severity, line: lineOf(m.start), start: m.start, end: m.end, fingerprint: fp, hint: hint(value) });
    if (out.length >= max) break;
  }
  return out;
}

/**
 * Secrets in `input`. Strings are scanned as given (offsets in UTF-16 units); bytes are read as
 * latin1 so offsets are byte offsets and no decoding error can occur. `options.path` adds the rules
 * of well-known secret files (.env, .npmrc, .git-credentials, Docker config.json).
 */
export function detectSecrets(input: string | Uint8Array, options: DetectOptions = {}): SecretMatch[] {
  if (typeof input === "string") return run(input, (k) => input.includes(k), options);
  const buf = Buffer.isBuffer(input) ? input : Buffer.from(input.buffer, input.byteOffset, input.byteLength);
  // The prefilter runs on the bytes (memmem), so a file without any keyword is never decoded.
  const hits = new Map<string, boolean>();
  const has = (k: string) => {
    let v = hits.get(k);
    if (v === undefined) hits.set(k, (v = buf.includes(k, 0, "latin1")));
    return v;
  };
  if (!rulesFor(options.path).some((r) => r.keywords.some(has))) return [];
  return run(buf.toString("latin1"), has, options);
}

/** `detectSecrets` for byte input (same rules, byte offsets). */
export function detectSecretsInBytes(bytes: Uint8Array, options: DetectOptions = {}): SecretMatch[] {
  return detectSecrets(bytes, options);
}

/** Replaces every detected value with `[REDACTED:<rule>]`; returns the new text and the matches. */
export function redactSecrets(text: string, options: DetectOptions = {}): { text: string; matches: SecretMatch[] } {
  // Every occurrence, not one per value: a repeated secret must be redacted everywhere.
  const matches = run(text, (k) => text.includes(k), { ...options, maxMatches: Number.MAX_SAFE_INTEGER }, true);
  if (!matches.length) return { text, matches };
  let out = "";
  let at = 0;
  for (const m of matches) {
    out += `${text.slice(at, m.start)}[REDACTED:${m.rule}]`;
    at = m.end;
  }
  return { text: out + text.slice(at), matches };
}

/** NUL in the first 8 KB: a binary file, where the text rules do not apply. */
export function looksBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
