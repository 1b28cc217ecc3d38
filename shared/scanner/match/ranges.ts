// OSV affected-range evaluation (the schema's algorithm): events sorted by version, `introduced`
// opens, `fixed` closes (exclusive), `last_affected` closes (inclusive), `limit` caps the range.
import type { AffectedEntry, AffectedRange, RangeEvent } from "../feed/model.js";

/** sign(installed − event version), under the range's ordering. May throw for unparseable versions. */
export type InstalledComparator = (eventVersion: string, type: AffectedRange["type"]) => number;
/** Orders two event versions of one range. May throw. */
export type EventComparator = (a: string, b: string, type: AffectedRange["type"]) => number;

export interface RangeVerdict {
  affected: boolean;
  /** Smallest `fixed` above the installed version in the affecting range. */
  fixed?: string;
  /** The affecting range is closed by last_affected (a fix exists beyond it, version unknown). */
  lastAffected?: boolean;
}

const versionOf = (e: RangeEvent) => (e.introduced ?? e.fixed ?? e.last_affected ?? e.limit)!;

/** Event order of the OSV algorithm: `introduced: "0"` first, then by version. */
function sortEvents(events: RangeEvent[], cmp: (a: string, b: string) => number): RangeEvent[] {
  return events.sort((a, b) => {
    if (a.introduced === "0") return b.introduced === "0" ? 0 : -1;
    if (b.introduced === "0") return 1;
    return cmp(versionOf(a), versionOf(b));
  });
}

export function evaluateRange(range: AffectedRange, cmpInstalled: InstalledComparator, cmpEvents: EventComparator): RangeVerdict {
  const t = range.type;
  const limits = range.events.filter((e) => e.limit !== undefined).map((e) => e.limit!);
  // Outside every limit: not affected, whatever the other events say.
  if (limits.length && !limits.some((l) => l === "*" || cmpInstalled(l, t) < 0)) return { affected: false };
  // The common shape [introduced, fixed|last_affected] needs no sorting (and no comparisons for it).
  const simple = range.events.length <= 2 && !limits.length && range.events[0]?.introduced !== undefined && range.events[1]?.introduced === undefined;
  const events = simple ? range.events : sortEvents(range.events.filter((e) => e.limit === undefined), (a, b) => cmpEvents(a, b, t));
  let affected = false;
  let lastAffected = false;
  let fixed: string | undefined;
  for (const e of events) {
    if (e.introduced !== undefined) {
      if (e.introduced === "0" || cmpInstalled(e.introduced, t) >= 0) {
        affected = true;
        fixed = undefined;
        lastAffected = false;
      }
    } else if (e.fixed !== undefined) {
      if (cmpInstalled(e.fixed, t) >= 0) affected = false;
      else if (affected && fixed === undefined) fixed = e.fixed;
    } else if (e.last_affected !== undefined) {
      if (cmpInstalled(e.last_affected, t) > 0) affected = false;
      else if (affected) lastAffected = true;
    }
  }
  if (!affected) return { affected: false };
  const verdict: RangeVerdict = { affected: true };
  if (fixed !== undefined) verdict.fixed = fixed;
  if (lastAffected) verdict.lastAffected = true;
  return verdict;
}

export interface EntryVerdict extends RangeVerdict {
  /** Ranges skipped because a version could not be parsed under their ordering. */
  errors: number;
}

/** An affected entry matches when any range or the explicit versions[] list covers the installed version. */
export function evaluateEntry(entry: AffectedEntry, cmpInstalled: InstalledComparator, cmpEvents: EventComparator): EntryVerdict {
  let errors = 0;
  let hit: RangeVerdict | undefined;
  for (const range of entry.ranges) {
    let v: RangeVerdict;
    try {
      v = evaluateRange(range, cmpInstalled, cmpEvents);
    } catch {
      errors++;
      continue;
    }
    if (v.affected && (!hit || (v.fixed && !hit.fixed))) hit = v;
  }
  if (!hit && entry.versions?.length) {
    const listed = entry.versions.some((v) => {
      try {
        return cmpInstalled(v, "ECOSYSTEM") === 0;
      } catch {
        return false;
      }
    });
    if (listed) {
      hit = { affected: true };
      // A versions[] hit may still have a known fix: the lowest fixed event above the installed version.
      const fixes: string[] = [];
      for (const range of entry.ranges) {
        for (const e of range.events) {
          try {
            if (e.fixed !== undefined && cmpInstalled(e.fixed, range.type) < 0) fixes.push(e.fixed);
          } catch {
            /* counted above */
          }
        }
      }
      const lowest = fixes.sort((a, b) => {
        try {
          return cmpEvents(a, b, "ECOSYSTEM");
        } catch {
          return a < b ? -1 : 1;
        }
      })[0];
      if (lowest) hit.fixed = lowest;
    }
  }
  return hit ? { ...hit, errors } : { affected: false, errors };
}
