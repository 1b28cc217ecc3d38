// Java archives (jar/war/ear/jpi/hpi): Maven coordinates only from META-INF/maven/**/pom.properties,
// one per artifact built into the archive (so shaded jars report what they shade). The archive's
// own identity is the pom.properties its file name agrees with (or the only one, when the name
// says nothing else); an archive without one is listed as unidentified with its SHA-1 — never a
// coordinate guessed from MANIFEST.MF or the file name, whose groups and versions are often wrong.
// Nested archives (Spring Boot BOOT-INF/lib, WEB-INF/lib, ear modules) are opened recursively with
// hard limits on depth, entries and inflated bytes.
import { bufferSource, digestSource, type ByteSource } from "../byte-source.js";
import type { Package, UnidentifiedFile } from "../model.js";
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { basename, guardedSync, warnOnly } from "./util.js";
import { readZipDirectory, ZipArchive, type ZipEntry } from "../zip.js";

const ARCHIVE = /\.(?:jar|war|ear|jpi|hpi)$/i;
const MAX_ARCHIVE = 1024 * 1024 * 1024;
const MAX_DEPTH = 3;
const MAX_ENTRIES_PER_ARCHIVE = 100_000;
const MAX_NESTED_SIZE = 256 * 1024 * 1024;
const MAX_SMALL_FILE = 1024 * 1024;

interface Budget {
  unidentified: UnidentifiedFile[];
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

function mk(group: string, artifact: string, version: string, location: string, source: string): Package {
  const metadata: Record<string, string> = { source, groupId: group, artifactId: artifact };
  return {
    name: `${group}:${artifact}`,
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

/** Maven identifiers: groupId/artifactId characters, versions without quotes or spaces. */
const COORD = /^[A-Za-z0-9_.-]+$/;
const VERSION = /^[A-Za-z0-9][A-Za-z0-9_.+-]*$/;

/** Does the archive's file name agree with this artifact ("spring-core-6.1.2.jar" ~ spring-core 6.1.2)? */
function namedFor(file: { artifact: string; version?: string }, artifact: string, version: string): boolean {
  return file.artifact === artifact || (file.version !== undefined && file.version === version && file.artifact.endsWith(artifact));
}

function scanArchive(source: ByteSource, location: string, depth: number, budget: Budget, out: Package[]): void {
  const { entries, error } = readZipDirectory(source, Math.min(MAX_ENTRIES_PER_ARCHIVE, Math.max(0, budget.entries)));
  budget.entries -= entries.length;
  if (error) budget.warnings.push(`${location}: ${error}`);
  const archive = new ZipArchive(source, budget);
  let overlapping = 0;
  const read = (e: ZipEntry, max: number): Buffer | undefined => {
    const r = archive.read(e, max);
    if ("skipped" in r && r.skipped === "overlap") overlapping++;
    return "data" in r ? r.data : undefined;
  };
  const found: Package[] = [];
  const seen = new Set<string>();
  const nested: ZipEntry[] = [];
  for (const e of entries) {
    const m = /^META-INF\/maven\/([^/]+)\/([^/]+)\/pom\.properties$/.exec(e.name);
    if (m) {
      const b = read(e, MAX_SMALL_FILE);
      if (!b) continue;
      const p = parseProperties(b.toString("utf8"));
      const g = p.get("groupId");
      const a = p.get("artifactId");
      const v = p.get("version");
      // All three, well-formed, and agreeing with the directory Maven wrote them to.
      if (!g || !a || !v || !COORD.test(g) || !COORD.test(a) || !VERSION.test(v) || g !== m[1] || a !== m[2]) {
        budget.warnings.push(`${location}: ${e.name} has no complete Maven coordinate; ignored`);
        continue;
      }
      const key = `${g}:${a}:${v}`;
      if (seen.has(key)) continue;
      seen.add(key);
      found.push(mk(g, a, v, location, "pom.properties"));
    } else if (ARCHIVE.test(e.name) && !e.name.endsWith("/")) {
      nested.push(e);
    }
  }
  const file = nameFromFile(basename(location.split("!/").pop()!));
  const own = found.find((p) => namedFor(file, p.metadata!.artifactId!, p.version));
  // A lone pom.properties is the archive's own unless the file name names a different artifact
  // and version (then it was shaded in, and the archive itself stays unidentified).
  const lone = found.length === 1 && (file.version === undefined || file.version === found[0]!.version || file.artifact === found[0]!.metadata!.artifactId) ? found[0] : undefined;
  const identity = own ?? lone;
  for (const p of found) if (p !== identity) p.metadata!.bundled = "true";
  if (!identity) budget.unidentified.push({ path: location, kind: "java-archive", sha1: digestSource(source, "sha1") });
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
      scanArchive(bufferSource(r.data), `${location}!/${e.name}`, depth + 1, budget, out);
    }
  }
  if (overlapping) budget.warnings.push(`${location}: ${overlapping} zip entries share data with another entry (overlapping entries); each read once`);
}

export function parseJava(path: string, content: Buffer | ByteSource): FileFacts {
  const source = Buffer.isBuffer(content) ? bufferSource(content) : content;
  if (source.size > MAX_ARCHIVE) return warnOnly(path, "archive too large; skipped");
  const budget: Budget = { entries: 500_000, bytes: 2 * MAX_NESTED_SIZE, attempts: 20_000, packages: 20_000, warnings: [], unidentified: [] };
  const packages: Package[] = [];
  scanArchive(source, path, 0, budget, packages);
  const warnings = budget.warnings.slice(0, 50);
  const unidentified = budget.unidentified.slice(0, 20_000);
  return { packages, ...(warnings.length ? { warnings } : {}), ...(unidentified.length ? { unidentified } : {}) };
}

export const javaCataloger: Cataloger = {
  version: 2,
  name: "java",
  matches: (path, size) => size >= 22 && size <= MAX_ARCHIVE && ARCHIVE.test(path),
  parse: (path, content) => guardedSync(path, "java", () => parseJava(path, content)),
  // A jar is its central directory plus the few entries read: large ones are read by position.
  parseSource: (path, source) => guardedSync(path, "java", () => parseJava(path, source)),
};
