// Builds the FeedIndex from raw OSV records + KEV + EPSS. Deterministic: the same inputs give the
// same content hash whatever their order, so the updater can tell "unchanged" from "new".
import { createHash } from "node:crypto";
import { compareInRange } from "./compare.js";
import type { EpssScores } from "./epss.js";
import { FEED_INDEX_SCHEMA, type AffectedEntry, type FeedIndex, type FeedStats, type KevEntry, type VulnInfo } from "./model.js";
import { parseOsvRecord, type ParsedRecord, type RangeComparator } from "./osv.js";

export interface FeedInputs {
  records: unknown[];
  kev?: Record<string, KevEntry>;
  epss?: EpssScores;
  /** Files that held no OSV record (not JSON, or JSON of another shape): `malformed-file` in the stats. */
  malformedFiles?: number;
  /** What reading the sources skipped, each naming the file (and the archive it came from). */
  warnings?: string[];
}

export interface BuildOptions {
  builtAt?: Date;
  /** Used to reject self-contradicting ranges; defaults to the native version orderings. */
  compare?: RangeComparator;
}

/** Primary id of an alias group: a CVE when one is known, else a GHSA, else the smallest id. */
export function primaryId(ids: Iterable<string>): string {
  const sorted = [...ids].sort();
  return sorted.find((i) => i.startsWith("CVE-")) ?? sorted.find((i) => i.startsWith("GHSA-")) ?? sorted[0]!;
}

function sortedObject<T>(entries: Iterable<[string, T]>): Record<string, T> {
  return Object.fromEntries([...entries].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export function contentHash(index: Pick<FeedIndex, "vulns" | "packages" | "kev" | "epss">): string {
  const h = createHash("sha256");
  h.update(JSON.stringify([index.vulns, index.packages, index.kev, index.epss]));
  return `sha256:${h.digest("hex")}`;
}

export function buildFeedIndex(inputs: FeedInputs, options: BuildOptions = {}): FeedIndex {
  const compare = options.compare ?? compareInRange;
  const stats: FeedStats = { records: 0, indexed: 0, skipped: {}, unknownEcosystems: {} };
  const bump = (map: Record<string, number>, key: string) => (map[key] = (map[key] ?? 0) + 1);

  // Newest `modified` wins when the same id appears twice (mirrors often overlap).
  const byId = new Map<string, ParsedRecord>();
  for (const raw of inputs.records) {
    stats.records++;
    const outcome = parseOsvRecord(raw, compare);
    if ("skip" in outcome) {
      bump(stats.skipped, outcome.skip);
      for (const eco of outcome.unknownEcosystems ?? []) bump(stats.unknownEcosystems, eco);
      continue;
    }
    const rec = outcome.ok;
    for (const eco of rec.unknownEcosystems) bump(stats.unknownEcosystems, eco);
    const prev = byId.get(rec.id);
    if (prev) {
      bump(stats.skipped, "duplicate-older");
      if (prev.info.modified >= rec.info.modified) continue;
    }
    byId.set(rec.id, rec);
  }
  stats.indexed = byId.size;
  if (inputs.malformedFiles) stats.skipped["malformed-file"] = inputs.malformedFiles;

  // Alias groups: union-find over record ids and the ids they alias.
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let root = x;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(x, root);
    return root;
  };
  const union = (a: string, b: string) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent.set(ra < rb ? rb : ra, ra < rb ? ra : rb);
  };
  for (const rec of byId.values()) {
    find(rec.id);
    for (const alias of rec.aliases) union(rec.id, alias);
  }
  const members = new Map<string, string[]>();
  for (const id of parent.keys()) {
    const root = find(id);
    members.set(root, [...(members.get(root) ?? []), id]);
  }
  const groupOf = new Map<string, string>();
  for (const ids of members.values()) {
    const primary = primaryId(ids);
    for (const id of ids) groupOf.set(id, primary);
  }

  const vulns: [string, VulnInfo][] = [];
  const packages = new Map<string, Map<string, AffectedEntry[]>>();
  for (const rec of byId.values()) {
    vulns.push([rec.id, { group: groupOf.get(rec.id)!, aliases: rec.aliases, ...rec.info }]);
    for (const { key, name, entry } of rec.affected) {
      let names = packages.get(key);
      if (!names) packages.set(key, (names = new Map()));
      names.set(name, [...(names.get(name) ?? []), entry]);
    }
  }
  const packagesObj = sortedObject(
    [...packages].map(([key, names]) => [
      key,
      sortedObject([...names].map(([name, entries]) => [name, entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))])),
    ]),
  );
  const content = {
    vulns: sortedObject(vulns),
    packages: packagesObj,
    kev: sortedObject(Object.entries(inputs.kev ?? {})),
    epss: sortedObject(Object.entries(inputs.epss?.scores ?? {})),
  };
  const packageCount = Object.values(packagesObj).reduce((n, names) => n + Object.keys(names).length, 0);
  const index: FeedIndex = {
    schema: FEED_INDEX_SCHEMA,
    version: {
      hash: contentHash(content),
      builtAt: (options.builtAt ?? new Date()).toISOString(),
      advisories: byId.size,
      packages: packageCount,
      kev: Object.keys(content.kev).length,
      epss: Object.keys(content.epss).length,
    },
    stats: { ...stats, skipped: sortedObject(Object.entries(stats.skipped)), unknownEcosystems: sortedObject(Object.entries(stats.unknownEcosystems)) },
    ...content,
  };
  if (inputs.epss?.scoreDate) index.epssScoreDate = inputs.epss.scoreDate;
  if (inputs.warnings?.length) index.warnings = inputs.warnings;
  return index;
}
