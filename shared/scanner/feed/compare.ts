// Version comparison for OSV ranges: ECOSYSTEM ranges use the ecosystem's native ordering,
// SEMVER ranges use SemVer 2.0 precedence (via `semver`, loose so Go's "v" prefix parses).
import semver from "semver";
import { compareVersions } from "../versions/index.js";
import { schemeForKey } from "./ecosystems.js";
import type { AffectedRange } from "./model.js";

// Rescans compare the same few thousand version strings over and over: memoize parsing (bounded).
const parsed = new Map<string, semver.SemVer | null>();
function parseSemver(v: string): semver.SemVer | null {
  let p = parsed.get(v);
  if (p === undefined) {
    if (parsed.size > 50_000) parsed.clear();
    p = semver.parse(v, { loose: true });
    parsed.set(v, p);
  }
  return p;
}

export function compareSemver(a: string, b: string): number {
  const pa = parseSemver(a);
  const pb = parseSemver(b);
  if (!pa || !pb) throw new Error(`not a semantic version: ${pa ? b : a}`);
  return pa.compare(pb);
}

/** Compares a and b for a range of the given type filed under index key `key`. Throws when unparseable. */
export function compareInRange(key: string, type: AffectedRange["type"], a: string, b: string): number {
  return type === "SEMVER" ? compareSemver(a, b) : compareVersions(schemeForKey(key), a, b);
}
