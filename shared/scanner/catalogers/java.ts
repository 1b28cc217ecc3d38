// Java archives (jar/war/ear/jpi/hpi): Maven coordinates from META-INF/maven/**/pom.properties
// (one per bundled artifact, so shaded jars report what they shade), else the manifest, else the
// file name. Nested archives (Spring Boot BOOT-INF/lib, WEB-INF/lib, ear modules) are opened
// recursively with hard limits on depth, entries and inflated bytes.
import type { Package } from "../model.js";
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { basename, guardedSync, plausible, warnOnly } from "./util.js";
import { readZipDirectory, ZipArchive, type ZipEntry } from "../zip.js";

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi)$/i;
const MAX_ARCHIVE = 1024 * 1024 * 1024;
const MAX_DEPTH = 3;
const MAX_ENTRIES_PER_ARCHIVE = 100_000;
const MAX_NESTED_SIZE = 256 * 1024 * 1024;
const MAX_SMALL_FILE = 1024 * 1024;

interface Budget {
  entries: number;
  /** Bytes that may still be inflated (every attempt charged, failed ones too). */
  bytes: number;
  /** Entry reads that may still be attempted. */
  attempts: number;
  packages: number;
  warnings: string[];
}

export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/).slice(0, 1000)) {
    const t = line.trim();
    if (!t || t.startsWith("#") || t.startsWith("!")) continue;
    const m = /^([^=:\s]+)\s*[=:]\s*(.*)$/.exec(t);
    if (m) out.set(m[1]!, m[2]!.trim());
  }
  return out;
}

/** MANIFEST.MF main section; continuation lines begin with one space. */
export function parseManifest(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let last: string | undefined;
  for (const line of text.split(/\r?\n/).slice(0, 5000)) {
    if (line === "") break; // end of the main section
    if (line.startsWith(" ") && last) {
      out.set(last, out.get(last)! + line.slice(1));
      continue;
    }
    const c = line.indexOf(":");
    if (c <= 0) continue;
    last = line.slice(0, c).trim();
    out.set(last, line.slice(c + 1).trim());
  }
  return out;
}

export function mavenPurl(group: string | undefined, artifact: string, version: string): string {
  return formatPurl({ type: "maven", ...(group ? { namespace: group } : {}), name: artifact, version });
}

function mk(group: string | undefined, artifact: string, version: string, location: string, source: string): Package {
  const metadata: Record<string, string> = { source };
  if (group) metadata.groupId = group;
  return {
    name: group ? `${group}:${artifact}` : artifact,
    version,
    type: "maven",
    purl: mavenPurl(group, artifact, version),
    locations: [location],
    cataloger: "java",
    metadata,
  };
}

/** "spring-core-6.1.2.jar" → {artifact: spring-core, version: 6.1.2}. */
export function nameFromFile(file: string): { artifact: string; version?: string } {
  const stem = file.replace(ARCHIVE, "");
  const m = /^(.+?)-(\d[\w.+-]*)$/.exec(stem);
  return m ? { artifact: m[1]!, version: m[2]! } : { artifact: stem };
}

function scanArchive(buf: Buffer, location: string, depth: number, budget: Budget, out: Package[]): void {
  const { entries, error } = readZipDirectory(buf, Math.min(MAX_ENTRIES_PER_ARCHIVE, Math.max(0, budget.entries)));
  budget.entries -= entries.length;
  if (error) budget.warnings.push(`${location}: ${error}`);
  const archive = new ZipArchive(buf, budget);
  let overlapping = 0;
  const read = (e: ZipEntry, max: number): Buffer | undefined => {
    const r = archive.read(e, max);
    if ("skipped" in r && r.skipped === "overlap") overlapping++;
    return "data" in r ? r.data : undefined;
  };
  const found: Package[] = [];
  const seen = new Set<string>();
  let manifest: Map<string, string> | undefined;
  const nested: ZipEntry[] = [];
  for (const e of entries) {
    if (/^META-INF\/maven\/[^/]+\/[^/]+\/pom\.properties$/.test(e.name)) {
      const b = read(e, MAX_SMALL_FILE);
      if (!b) continue;
      const p = parseProperties(b.toString("utf8"));
      const g = p.get("groupId");
      const a = p.get("artifactId");
      const v = p.get("version");
      if (!plausible(a) || !plausible(v) || (g !== undefined && !plausible(g))) continue;
      const key = `${g}:${a}:${v}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(mk(g, a, v, location, "pom.properties"));
    } else if (e.name === "META-INF/MANIFEST.MF") {
      const b = read(e, MAX_SMALL_FILE);
      if (b) manifest = parseManifest(b.toString("utf8"));
    } else if (ARCHIVE.test(e.name) && !e.name.endsWith("/")) {
      nested.push(e);
    }
  }
  if (!found.length) {
    // No Maven metadata: the manifest (or the file name) identifies the archive itself.
    const file = nameFromFile(basename(location.split("!/").pop()!));
    const bsn = manifest?.get("Bundle-SymbolicName")?.split(";")[0]?.trim();
    const title = manifest?.get("Implementation-Title");
    const version = manifest?.get("Implementation-Version") ?? manifest?.get("Bundle-Version") ?? file.version;
    let artifact = file.artifact || bsn || title;
    let group = manifest?.get("Implementation-Vendor-Id");
    if (!group && bsn && artifact && bsn.endsWith("." + artifact)) {
      // OSGi names are either group.artifact (com.fasterxml.jackson.core.jackson-databind) or the
      // group itself when it ends in the artifact (org.objenesis): a guess, Maven metadata is absent.
      const prefix = bsn.slice(0, -artifact.length - 1);
      group = prefix.includes(".") ? prefix : bsn;
    }
    if (!plausible(artifact)) artifact = title && plausible(title) ? title : undefined;
    if (plausible(artifact) && plausible(version)) {
      const from = version !== file.version || group ? "manifest" : "filename";
      found.push(mk(plausible(group) ? group : undefined, artifact, version, location, from));
    }
  }
  for (const p of found) {
    if (budget.packages-- > 0) out.push(p);
  }
  if (depth >= MAX_DEPTH) {
    if (nested.length) budget.warnings.push(`${location}: nested archives deeper than ${MAX_DEPTH} levels not read`);
  } else {
    for (const e of nested) {
      const r = archive.read(e, MAX_NESTED_SIZE);
      if ("skipped" in r) {
        if (r.skipped === "overlap") overlapping++;
        else budget.warnings.push(`${location}!/${e.name}: nested archive ${r.skipped === "budget" ? "not read: the inflation budget is spent" : "unreadable or over limits"}`);
        continue;
      }
      scanArchive(r.data, `${location}!/${e.name}`, depth + 1, budget, out);
    }
  }
  if (overlapping) budget.warnings.push(`${location}: ${overlapping} zip entries share data with another entry (overlapping entries); each read once`);
}

export function parseJava(path: string, content: Buffer): FileFacts {
  if (content.length > MAX_ARCHIVE) return warnOnly(path, "archive too large; skipped");
  const budget: Budget = { entries: 500_000, bytes: 2 * MAX_NESTED_SIZE, attempts: 20_000, packages: 20_000, warnings: [] };
  const packages: Package[] = [];
  scanArchive(content, path, 0, budget, packages);
  const warnings = budget.warnings.slice(0, 50);
  return warnings.length ? { packages, warnings } : { packages };
}

export const javaCataloger: Cataloger = {
  name: "java",
  matches: (path, size) => size >= 22 && size <= MAX_ARCHIVE && ARCHIVE.test(path),
  parse: (path, content) => guardedSync(path, "java", () => parseJava(path, content)),
};
