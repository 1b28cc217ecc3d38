// OSV record → the compact pieces the index keeps. Pure and defensive: a record is data from the
// internet, so every field is checked; a bad record is skipped with a reason, never thrown.
import type { Severity } from "../model.js";
import { parseOsvEcosystem } from "./ecosystems.js";
import { normalizePackageName } from "./ecosystems.js";
import type { AffectedEntry, AffectedRange, RangeEvent, VulnInfo } from "./model.js";

export interface ParsedRecord {
  id: string;
  /** Ids this record is the same vulnerability as (aliases + a single upstream id). */
  aliases: string[];
  info: Omit<VulnInfo, "group" | "aliases">;
  /** Entries by ecosystem key and normalized package name. */
  affected: { key: string; name: string; entry: AffectedEntry }[];
  /** Ecosystems of affected[] entries we don't match (counted, not an error). */
  unknownEcosystems: string[];
}

export type ParseOutcome = { ok: ParsedRecord } | { skip: string; id?: string; unknownEcosystems?: string[] };

/** Compares two versions of one range under the range's scheme; throws on unparseable input. */
export type RangeComparator = (key: string, type: AffectedRange["type"], a: string, b: string) => number;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === "string" && v.length > 0;

const RATING_WORDS: Record<string, Severity> = {
  critical: "critical",
  high: "high",
  important: "high",
  moderate: "medium",
  medium: "medium",
  low: "low",
  negligible: "low",
  unimportant: "low",
};

/** Distro/database wording → our severity; undefined when the word carries no rating. */
export function ratingFromWord(word: unknown): Severity | undefined {
  return typeof word === "string" ? RATING_WORDS[word.trim().toLowerCase()] : undefined;
}

// Markers distros use for "affected, and no fix is coming" (Debian tracker no-dsa/ignored/EOL,
// Red Hat "Will not fix", explicit wont-fix).
const WONT_FIX = new Set(["wont-fix", "won't fix", "will not fix", "will_not_fix", "wontfix", "no-dsa", "ignored", "end-of-life"]);
const STATUS_KEYS = /^(status|fix_status|fixstatus|fix-status|resolution|state)$/i;

function hasWontFixMarker(...objects: unknown[]): boolean {
  for (const obj of objects) {
    if (!isObject(obj)) continue;
    for (const [key, value] of Object.entries(obj)) {
      if (STATUS_KEYS.test(key) && typeof value === "string" && WONT_FIX.has(value.trim().toLowerCase())) return true;
    }
  }
  return false;
}

function parseEvents(raw: unknown): RangeEvent[] | string {
  if (!Array.isArray(raw) || raw.length === 0) return "malformed-range";
  const events: RangeEvent[] = [];
  for (const ev of raw) {
    if (!isObject(ev)) return "malformed-range";
    const keys = Object.keys(ev).filter((k) => ["introduced", "fixed", "last_affected", "limit"].includes(k));
    if (keys.length !== 1) return "malformed-range";
    const key = keys[0] as keyof RangeEvent;
    const value = ev[key];
    if (!isString(value)) return "malformed-range";
    events.push({ [key]: value.trim() });
  }
  if (!events.some((e) => e.introduced !== undefined)) return "malformed-range";
  // The schema forbids fixed and last_affected in one range: they contradict each other.
  if (events.some((e) => e.fixed !== undefined) && events.some((e) => e.last_affected !== undefined)) return "contradictory-range";
  return events;
}

/** A single introduced/fixed pair whose fix is not after the introduction cannot be right. */
function contradicts(key: string, range: AffectedRange, compare?: RangeComparator): boolean {
  const intro = range.events.filter((e) => e.introduced !== undefined);
  const fixes = range.events.filter((e) => e.fixed !== undefined || e.last_affected !== undefined);
  if (intro.length !== 1 || fixes.length !== 1) return false;
  const introduced = intro[0]!.introduced!;
  const fixed = fixes[0]!.fixed;
  const lastAffected = fixes[0]!.last_affected;
  if (introduced === "0") return fixed === "0";
  if (fixed !== undefined && fixed === introduced) return true;
  if (!compare) return false;
  try {
    const c = compare(key, range.type, introduced, (fixed ?? lastAffected)!);
    return fixed !== undefined ? c >= 0 : c > 0;
  } catch {
    return false; // unparseable versions are the matcher's problem (it skips that range)
  }
}

function collectCwes(...sources: unknown[]): string[] {
  const out = new Set<string>();
  for (const source of sources) {
    if (!isObject(source)) continue;
    for (const field of ["cwe_ids", "cwes", "cwe"]) {
      const value = source[field];
      const list = Array.isArray(value) ? value : typeof value === "string" ? [value] : [];
      for (const item of list) {
        const id = typeof item === "string" ? item : isObject(item) ? item.id ?? item.cweID : undefined;
        const m = typeof id === "string" || typeof id === "number" ? /(\d+)/.exec(String(id)) : null;
        if (m) out.add(`CWE-${m[1]}`);
      }
    }
  }
  return [...out].sort();
}

export function parseOsvRecord(raw: unknown, compare?: RangeComparator): ParseOutcome {
  if (!isObject(raw)) return { skip: "malformed-record" };
  const id = raw.id;
  if (!isString(id)) return { skip: "malformed-id" };
  if (!isString(raw.modified)) return { skip: "malformed-modified", id };
  if (raw.withdrawn !== undefined && raw.withdrawn !== null) return { skip: "withdrawn", id };
  if (raw.affected !== undefined && !Array.isArray(raw.affected)) return { skip: "malformed-affected", id };
  const aliases = new Set<string>();
  if (raw.aliases !== undefined) {
    if (!Array.isArray(raw.aliases) || !raw.aliases.every(isString)) return { skip: "malformed-aliases", id };
    for (const a of raw.aliases as string[]) aliases.add(a);
  }
  // Debian/Ubuntu records name their CVE in `upstream`; one upstream id is the same vulnerability,
  // several (a DSA covering many CVEs) are related, not aliases.
  if (Array.isArray(raw.upstream) && raw.upstream.length === 1 && isString(raw.upstream[0])) aliases.add(raw.upstream[0]);
  aliases.delete(id);

  let cvss3: string | undefined;
  let cvss4: string | undefined;
  let rating: Severity | undefined;
  if (raw.severity !== undefined) {
    if (!Array.isArray(raw.severity)) return { skip: "malformed-severity", id };
    for (const s of raw.severity) {
      if (!isObject(s) || !isString(s.type) || !isString(s.score)) return { skip: "malformed-severity", id };
      if (s.type === "CVSS_V3" && !cvss3) cvss3 = s.score;
      else if (s.type === "CVSS_V4" && !cvss4) cvss4 = s.score;
      else if (s.type === "Ubuntu") rating ??= ratingFromWord(s.score);
    }
  }
  const db = raw.database_specific;
  if (isObject(db)) rating ??= ratingFromWord(db.severity);

  const affected: ParsedRecord["affected"] = [];
  const unknownEcosystems: string[] = [];
  const affectedCwes: unknown[] = [];
  for (const a of (raw.affected as unknown[] | undefined) ?? []) {
    if (!isObject(a) || !isObject(a.package)) return { skip: "malformed-affected", id };
    const { ecosystem, name } = a.package;
    if (!isString(ecosystem) || !isString(name)) return { skip: "malformed-affected", id };
    affectedCwes.push(a.database_specific);
    const eco = parseOsvEcosystem(ecosystem);
    if (!eco) {
      unknownEcosystems.push(ecosystem);
      continue;
    }
    const ranges: AffectedRange[] = [];
    if (a.ranges !== undefined && !Array.isArray(a.ranges)) return { skip: "malformed-range", id };
    for (const r of (a.ranges as unknown[] | undefined) ?? []) {
      if (!isObject(r) || !isString(r.type)) return { skip: "malformed-range", id };
      const events = parseEvents(r.events);
      if (typeof events === "string") return { skip: events, id };
      if (r.type !== "ECOSYSTEM" && r.type !== "SEMVER") continue; // GIT: commits, not versions
      const range: AffectedRange = { type: r.type, events };
      if (contradicts(eco.key, range, compare)) return { skip: "contradictory-range", id };
      ranges.push(range);
    }
    let versions: string[] | undefined;
    if (a.versions !== undefined) {
      if (!Array.isArray(a.versions) || !a.versions.every((v) => typeof v === "string")) return { skip: "malformed-versions", id };
      if (a.versions.length) versions = [...new Set(a.versions as string[])];
    }
    if (ranges.length === 0 && !versions) continue;
    const entry: AffectedEntry = { id, ranges };
    if (versions) entry.versions = versions;
    if (hasWontFixMarker(a.ecosystem_specific, a.database_specific)) entry.wontFix = true;
    const es = isObject(a.ecosystem_specific) ? a.ecosystem_specific : {};
    const ds = isObject(a.database_specific) ? a.database_specific : {};
    const entryRating = ratingFromWord(es.urgency) ?? ratingFromWord(es.priority) ?? ratingFromWord(es.severity) ?? ratingFromWord(ds.severity);
    if (entryRating) entry.rating = entryRating;
    affected.push({ key: eco.key, name: normalizePackageName(eco.key, name), entry });
  }
  if (affected.length === 0) {
    return unknownEcosystems.length ? { skip: "unknown-ecosystem", id, unknownEcosystems } : { skip: "no-usable-affected", id };
  }

  const info: ParsedRecord["info"] = { modified: raw.modified };
  if (isString(raw.published)) info.published = raw.published;
  const summary = isString(raw.summary) ? raw.summary : isString(raw.details) ? raw.details.split("\n")[0] : undefined;
  if (summary) info.summary = summary.slice(0, 200);
  if (cvss3) info.cvss3 = cvss3;
  if (cvss4) info.cvss4 = cvss4;
  if (rating) info.rating = rating;
  const cwes = collectCwes(db, ...affectedCwes);
  if (cwes.length) info.cwes = cwes;
  if (Array.isArray(raw.references) && raw.references.some((r) => isObject(r) && typeof r.type === "string" && r.type.toUpperCase() === "EXPLOIT")) {
    info.exploitRef = true;
  }
  return { ok: { id, aliases: [...aliases].sort(), info, affected, unknownEcosystems } };
}
