// The compact advisory index the matcher reads. Built from OSV records (+ CISA KEV, FIRST EPSS),
// serialized as JSON (the pipeline stores it gzip'd in Blob). Only what matching and reporting need
// is kept: no advisory prose beyond the one-line summary.
import type { Severity } from "../model.js";

export const FEED_INDEX_SCHEMA = 1;

/** One OSV range event; exactly one key is set. */
export interface RangeEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

export interface AffectedRange {
  /** GIT ranges are dropped at build time: commits can't be compared with installed versions. */
  type: "ECOSYSTEM" | "SEMVER";
  events: RangeEvent[];
}

/** One OSV `affected[]` entry, filed under its ecosystem key and normalized package name. */
export interface AffectedEntry {
  /** Id of the OSV record this came from. */
  id: string;
  ranges: AffectedRange[];
  versions?: string[];
  /** The distro said it will not fix this (Debian no-dsa/ignored/end-of-life, Red Hat "Will not fix", …). */
  wontFix?: boolean;
  /** Per-package distro rating (Debian urgency, Ubuntu priority), when the record gave one. */
  rating?: Severity;
}

/** What the matcher needs about one OSV record, keyed by its id. */
export interface VulnInfo {
  /** Primary id of the alias group this record belongs to (a CVE when one is known). */
  group: string;
  /** aliases[] plus a single `upstream` CVE (Debian/Ubuntu records name their CVE that way). */
  aliases: string[];
  modified: string;
  published?: string;
  summary?: string;
  cvss3?: string;
  cvss4?: string;
  /** Database rating (GHSA severity, Ubuntu priority, …). */
  rating?: Severity;
  cwes?: string[];
  /** A reference of type EXPLOIT exists. */
  exploitRef?: boolean;
}

export interface KevEntry {
  dateAdded: string;
  ransomware: boolean;
}

export interface FeedStats {
  /** Records read (every JSON object offered as an OSV record). */
  records: number;
  /** Records indexed (at least one usable affected entry). */
  indexed: number;
  /** Skipped records by reason: withdrawn, malformed-…, contradictory-range, no-usable-affected, duplicate-older. */
  skipped: Record<string, number>;
  /** affected[] entries whose ecosystem we don't match, by ecosystem name. */
  unknownEcosystems: Record<string, number>;
}

export interface FeedIndex {
  schema: typeof FEED_INDEX_SCHEMA;
  version: {
    /** sha256 of the content (vulns, packages, kev, epss): equal hashes mean equal feeds. */
    hash: string;
    builtAt: string;
    advisories: number;
    packages: number;
    kev: number;
    epss: number;
  };
  stats: FeedStats;
  vulns: Record<string, VulnInfo>;
  /** ecosystem key ("debian:12", "alpine:3.19", "npm", …) → normalized package name → entries. */
  packages: Record<string, Record<string, AffectedEntry[]>>;
  kev: Record<string, KevEntry>;
  /** CVE → [probability, percentile]. */
  epss: Record<string, [number, number]>;
  epssScoreDate?: string;
  /**
   * What the build skipped, one line per problem naming the file (bounded). Not part of the content
   * hash: the same advisories read from a tidier copy are the same feed.
   */
  warnings?: string[];
}
