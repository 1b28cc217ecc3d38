// SBOM × FeedIndex → findings, one per (vulnerability, package) — docs/cli.md.
import { compareInRange } from "../feed/compare.js";
import type { AffectedRange, FeedIndex, VulnInfo } from "../feed/model.js";
import { SEVERITIES, type FixStatus, type Finding, type Package, type Sbom, type ScanReport, type Severity } from "../model.js";
import { assessExploitability } from "./exploitability.js";
import { evaluateEntry, type EventComparator, type InstalledComparator } from "./ranges.js";
import { assessSeverity } from "./severity.js";
import { matchTargets, type MatchTarget } from "./targets.js";

export interface MatchOptions {
  /** Override version ordering (tests); default: native per ecosystem, semver for SEMVER ranges. */
  compare?: (key: string, type: AffectedRange["type"], a: string, b: string) => number;
  /**
   * Collects one line per problem matching met (ranges that could not be compared). OS packages in
   * an SBOM without an OS release are not matched, and not warned about here: the SBOM already
   * carries that warning (the catalog knows why: no os-release), and saying it twice is noise.
   */
  warnings?: string[];
}

interface Hit {
  recordId: string;
  fixed?: string;
  lastAffected?: boolean;
  wontFix?: boolean;
  rating?: Severity;
  target: MatchTarget;
}

const groupCache = new WeakMap<FeedIndex, Map<string, VulnInfo[]>>();

/** Every record of each alias group (built once per index). */
function groupMembers(index: FeedIndex): Map<string, VulnInfo[]> {
  let groups = groupCache.get(index);
  if (!groups) {
    groups = new Map();
    for (const [id, info] of Object.entries(index.vulns)) {
      const list = groups.get(info.group) ?? [];
      list.push(index.vulns[id]!);
      groups.set(info.group, list);
    }
    groupCache.set(index, groups);
  }
  return groups;
}

const EPOCH = /^\d+:/;

function comparators(target: MatchTarget, compare: NonNullable<MatchOptions["compare"]>): { installed: InstalledComparator; events: EventComparator } {
  return {
    installed: (eventVersion, type) => {
      const version = target.epoch && EPOCH.test(eventVersion) ? `${target.epoch}:${target.version}` : target.version;
      return compare(target.key, type, version, eventVersion);
    },
    events: (a, b, type) => compare(target.key, type, a, b),
  };
}

const STATUS_RANK: FixStatus[] = ["fixed", "wont-fix", "not-fixed", "unknown"];

function fixStatusOf(hit: Hit): FixStatus {
  if (hit.fixed) return "fixed";
  if (hit.wontFix) return "wont-fix";
  if (hit.lastAffected) return "unknown";
  return "not-fixed";
}

function packageOf(pkg: Package): Finding["package"] {
  const out: Finding["package"] = { name: pkg.name, version: pkg.version, type: pkg.type, purl: pkg.purl };
  if (pkg.sourceName !== undefined) out.sourceName = pkg.sourceName;
  if (pkg.sourceVersion !== undefined) out.sourceVersion = pkg.sourceVersion;
  return out;
}

function buildFinding(pkg: Package, group: string, hits: Hit[], index: FeedIndex, compare: NonNullable<MatchOptions["compare"]>): Finding {
  const matched = [...new Set(hits.map((h) => h.recordId))].sort();
  const matchedInfo = matched.map((id) => index.vulns[id]).filter((v): v is VulnInfo => Boolean(v));
  // Severity and CWEs may come from any record of the alias group (a GHSA carries the CVSS vector
  // that the distro record lacks); matched records are listed first so they win ties.
  const groupInfo = [...matchedInfo, ...(groupMembers(index).get(group) ?? []).filter((v) => !matchedInfo.includes(v))];
  const ids = new Set<string>(matched);
  for (const info of matchedInfo) for (const a of info.aliases) ids.add(a);
  ids.add(group);
  const { severity, cvss } = assessSeverity(groupInfo, hits.map((h) => h.rating).filter((r): r is Severity => Boolean(r)));
  const allIds = new Set(ids);
  for (const info of groupInfo) allIds.add(info.group);
  let fixStatus: FixStatus = "unknown";
  let fixedVersion: string | null = null;
  for (const hit of hits) {
    const status = fixStatusOf(hit);
    if (STATUS_RANK.indexOf(status) < STATUS_RANK.indexOf(fixStatus)) fixStatus = status;
    if (hit.fixed) {
      // Several advisories: the highest fix satisfies all of them.
      if (fixedVersion === null) fixedVersion = hit.fixed;
      else {
        try {
          if (compare(hit.target.key, "ECOSYSTEM", hit.fixed, fixedVersion) > 0) fixedVersion = hit.fixed;
        } catch {
          /* keep the first */
        }
      }
    }
  }
  const finding: Finding = {
    id: group,
    aliases: [...ids].filter((i) => i !== group).sort(),
    package: packageOf(pkg),
    severity,
    fixStatus,
    fixedVersion,
    exploitability: assessExploitability(allIds, groupInfo, cvss?.vector, index),
    advisories: matched,
  };
  if (cvss) finding.cvss = cvss;
  const summary = groupInfo.find((v) => v.summary)?.summary;
  if (summary) finding.summary = summary;
  return finding;
}

/** Deterministic order: severity (critical first), id, package name, version, purl. */
export function compareFindings(a: Finding, b: Finding): number {
  const s = SEVERITIES.indexOf(a.severity) - SEVERITIES.indexOf(b.severity);
  if (s) return s;
  for (const [x, y] of [
    [a.id, b.id],
    [a.package.name, b.package.name],
    [a.package.version, b.package.version],
    [a.package.purl, b.package.purl],
  ] as const) {
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

export function matchPackage(pkg: Package, sbom: Pick<Sbom, "artifact">, index: FeedIndex, options: MatchOptions = {}): Finding[] {
  const compare = options.compare ?? compareInRange;
  const byGroup = new Map<string, Hit[]>();
  /** Vulnerabilities an authoritative target has judged (affected or not): the others defer to it. */
  const judged = new Set<string>();
  for (const target of matchTargets(pkg, sbom.artifact.os)) {
    const entries = index.packages[target.key]?.[target.name];
    if (!entries) continue;
    const cmp = comparators(target, compare);
    for (const entry of entries) {
      const info = index.vulns[entry.id];
      if (!info) continue;
      if (target.authoritative) judged.add(info.group);
      else if (judged.has(info.group)) continue;
      const verdict = evaluateEntry(entry, cmp.installed, cmp.events);
      if (verdict.errors) options.warnings?.push(`${entry.id}: ${verdict.errors} range(s) of ${target.name} could not be compared with ${target.version}`);
      if (!verdict.affected) continue;
      const hit: Hit = { recordId: entry.id, target };
      if (verdict.fixed) hit.fixed = verdict.fixed;
      if (verdict.lastAffected) hit.lastAffected = true;
      if (entry.wontFix) hit.wontFix = true;
      if (entry.rating) hit.rating = entry.rating;
      byGroup.set(info.group, [...(byGroup.get(info.group) ?? []), hit]);
    }
  }
  return [...byGroup].map(([group, hits]) => buildFinding(pkg, group, hits, index, compare));
}

/** All findings for an SBOM, deduplicated per (vulnerability, package) and deterministically ordered. */
export function matchSbom(sbom: Sbom, index: FeedIndex, options: MatchOptions = {}): Finding[] {
  const findings: Finding[] = [];
  const seen = new Set<string>();
  for (const pkg of sbom.packages) {
    // The same package found twice (two locations) is still one package.
    // …unless one copy is the distro's (managedBy) and another was installed beside it.
    const key = `${pkg.purl}\u0000${pkg.name}\u0000${pkg.version}\u0000${pkg.managedBy ?? ""}`;
    if (seen.has(key)) continue;
    seen.add(key);
    findings.push(...matchPackage(pkg, sbom, index, options));
  }
  return findings.sort(compareFindings);
}

/** The report body of `vantage scan` (docs/cli.md). */
export function buildScanReport(sbom: Sbom, findings: Finding[]): ScanReport {
  const artifact: ScanReport["artifact"] = {};
  if (sbom.artifact.digest) artifact.digest = sbom.artifact.digest;
  if (sbom.artifact.os) artifact.os = { family: sbom.artifact.os.family, version: sbom.artifact.os.version };
  const report: ScanReport = { target: sbom.target, artifact, packages: sbom.packages.length, findings };
  if (sbom.secrets) report.secrets = sbom.secrets;
  return report;
}

export function scanSbom(sbom: Sbom, index: FeedIndex, options?: MatchOptions): ScanReport {
  return buildScanReport(sbom, matchSbom(sbom, index, options));
}
