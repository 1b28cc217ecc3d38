// dpkg: var/lib/dpkg/status (full images) and var/lib/dpkg/status.d/* (distroless: one stanza
// file per package, no Status field). Vulnerabilities are matched by SOURCE package and version,
// so both are recorded carefully.
import type { Package } from "../model.js";
import { osPackagePurl } from "./ospurl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { MAX_PACKAGES_PER_FILE, MAX_TEXT_BYTES, guardedSync, parseStanzas, plausible, toText, warnOnly } from "./util.js";

const STATUS = "var/lib/dpkg/status";
const STATUS_D = /^var\/lib\/dpkg\/status\.d\/[^/]+$/;
/** The fields read below; descriptions and conffiles (most of a status file) are skipped unread. */
const FIELDS: ReadonlySet<string> = new Set(["Package", "Version", "Status", "Architecture", "Source"]);

/** `Source: name (version)` or `Source: name`. */
export function parseSourceField(value: string | undefined): { name?: string; version?: string } {
  if (!value) return {};
  const m = /^(\S+)(?:\s+\(([^)]+)\))?/.exec(value.trim());
  return m ? { name: m[1], ...(m[2] ? { version: m[2].trim() } : {}) } : {};
}

/**
 * "Status: want flag status" (dpkg(1), "Package states"). Only the third word says what is on disk;
 * the first is what the administrator asked for. "deinstall ok installed" is a package selected for
 * removal that dpkg has not removed yet: its files are all there, so it is installed. States with
 * the package's files unpacked (unpacked, half-configured, triggers-awaited/pending) count too;
 * not-installed, config-files (only conffiles left) and half-installed (an interrupted unpack or
 * removal) do not.
 */
const FILES_PRESENT = new Set(["installed", "unpacked", "half-configured", "triggers-awaited", "triggers-pending"]);

export function isInstalled(status: string | undefined): boolean {
  if (status === undefined) return true; // distroless status.d stanzas have no Status
  const words = status.trim().split(/\s+/);
  return words.length === 3 && FILES_PRESENT.has(words[2]!);
}

export function parseDpkg(path: string, content: Buffer): FileFacts {
  if (content.length > MAX_TEXT_BYTES) return warnOnly(path, "dpkg database too large; skipped");
  const packages: Package[] = [];
  const warnings: string[] = [];
  let bad = 0;
  for (const st of parseStanzas(toText(content), undefined, FIELDS)) {
    const name = st.get("Package");
    const version = st.get("Version");
    if (!isInstalled(st.get("Status"))) continue;
    if (!plausible(name) || !plausible(version)) {
      if (name !== undefined || version !== undefined) bad++;
      continue;
    }
    const arch = st.get("Architecture");
    const src = parseSourceField(st.get("Source"));
    const sourceName = plausible(src.name) ? src.name : name;
    // Without an explicit source version, the source version is the binary's, minus any binNMU
    // suffix (+bN), which only ever exists on binaries.
    const sourceVersion = src.version && plausible(src.version) ? src.version : version.replace(/\+b\d+$/, "");
    const pkg: Package = {
      name,
      version,
      type: "deb",
      purl: "",
      sourceName,
      sourceVersion,
      locations: [path],
      cataloger: "dpkg",
    };
    if (plausible(arch)) pkg.arch = arch;
    pkg.purl = osPackagePurl(pkg);
    packages.push(pkg);
    if (packages.length >= MAX_PACKAGES_PER_FILE) {
      warnings.push(`${path}: more than ${MAX_PACKAGES_PER_FILE} packages; truncated`);
      break;
    }
  }
  if (bad) warnings.push(`${path}: ${bad} malformed dpkg stanza(s) skipped`);
  return warnings.length ? { packages, warnings } : { packages };
}

export const dpkgCataloger: Cataloger = {
  version: 2,
  name: "dpkg",
  matches: (path, size) =>
    size <= MAX_TEXT_BYTES && (path === STATUS || (STATUS_D.test(path) && !path.endsWith(".md5sums"))),
  parse: (path, content) => guardedSync(path, "dpkg", () => parseDpkg(path, content)),
};
