// Which OS package installed a file, from the package managers' own records: dpkg's
// var/lib/dpkg/info/<package>[:arch].list (one absolute path per line), apk's "R:" lines under
// "F:" directories, rpm's BASENAMES/DIRNAMES/DIRINDEXES. Only paths a language cataloger could
// read are kept, so a full distro's ownership costs kilobytes, not the whole file list.
import type { Package } from "../model.js";
import type { Cataloger, FileFacts, OwnedFiles } from "./types.js";
import { guardedSync, MAX_TEXT_BYTES, toText } from "./util.js";

const LANGUAGE_FILE = /(?:\/METADATA|\/PKG-INFO|\.egg-info|\/package\.json|\.(?:jar|war|ear|jpi|hpi)|\.gemspec|\.deps\.json)$/;
const PROGRAM_DIR = /(?:^|\/)(?:s?bin|libexec)\//;
const MAX_OWNED = 200_000;

/** Kept when a language cataloger could find a package at this path (programs may be Go binaries). */
export function ownershipRelevant(path: string): boolean {
  return LANGUAGE_FILE.test(path) || PROGRAM_DIR.test(path);
}

function relative(path: string): string {
  return path.replace(/^\.?\/+/, "");
}

const LIST = /^var\/lib\/dpkg\/info\/([^/]+)\.list$/;

export function parseDpkgList(path: string, content: Buffer): FileFacts {
  const m = LIST.exec(path);
  if (!m || content.length > MAX_TEXT_BYTES) return { packages: [] };
  const owner = m[1]!.replace(/:[^:]+$/, ""); // "libssl3:amd64" → "libssl3"
  const paths: string[] = [];
  for (const line of toText(content).split("\n")) {
    const p = relative(line.trim());
    if (p && ownershipRelevant(p) && paths.length < MAX_OWNED) paths.push(p);
  }
  return paths.length ? { packages: [], owned: [{ manager: "deb", owner, paths }] } : { packages: [] };
}

export const dpkgFilesCataloger: Cataloger = {
  name: "dpkg-files",
  version: 1,
  matches: (path, size) => size <= MAX_TEXT_BYTES && LIST.test(path),
  parse: (path, content) => guardedSync(path, "dpkg-files", () => parseDpkgList(path, content)),
};

/** path → the OS package that installed it, for the packages present in the final filesystem. */
export function ownershipIndex(owned: OwnedFiles[], osPackages: Package[]): Map<string, Package> {
  const byName = new Map<string, Package>();
  for (const p of osPackages) if (!byName.has(`${p.type}\u0000${p.name}`)) byName.set(`${p.type}\u0000${p.name}`, p);
  const index = new Map<string, Package>();
  for (const o of owned) {
    const pkg = byName.get(`${o.manager}\u0000${o.owner}`);
    if (!pkg) continue; // a stale list of a package no longer installed owns nothing
    for (const path of o.paths) if (!index.has(path)) index.set(path, pkg);
  }
  return index;
}

/** The file a language package was read from ("app.jar!/BOOT-INF/lib/x.jar" → "app.jar"). */
function fileOf(location: string): string {
  const bang = location.indexOf("!/");
  return bang >= 0 ? location.slice(0, bang) : location;
}

/** The OS package owning any of a language package's files, or of the .egg-info directory holding its PKG-INFO. */
export function ownerOf(pkg: Package, index: Map<string, Package>): Package | undefined {
  for (const l of pkg.locations) {
    const file = fileOf(l);
    const hit = index.get(file) ?? (file.endsWith("/PKG-INFO") || file.endsWith("/METADATA") ? index.get(file.slice(0, file.lastIndexOf("/"))) : undefined);
    if (hit) return hit;
  }
  return undefined;
}
