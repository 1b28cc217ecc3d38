// apk-tools installed database: blank-line separated records of single-letter "X:value" lines.
// The origin (o:) is the source package that Alpine's secdb advisories are keyed on.
import type { Package } from "../model.js";
import { osPackagePurl } from "./ospurl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { MAX_PACKAGES_PER_FILE, MAX_TEXT_BYTES, guardedSync, plausible, toText, warnOnly } from "./util.js";

const DB = "lib/apk/db/installed";

export function parseApk(path: string, content: Buffer): FileFacts {
  if (content.length > MAX_TEXT_BYTES) return warnOnly(path, "apk database too large; skipped");
  const packages: Package[] = [];
  const warnings: string[] = [];
  let bad = 0;
  let rec = new Map<string, string>();
  const flush = () => {
    if (!rec.size) return;
    const name = rec.get("P");
    const version = rec.get("V");
    if (plausible(name) && plausible(version)) {
      const origin = rec.get("o");
      const pkg: Package = {
        name,
        version,
        type: "apk",
        purl: "",
        sourceName: plausible(origin) ? origin : name,
        sourceVersion: version,
        locations: [path],
        cataloger: "apk",
      };
      const arch = rec.get("A");
      if (plausible(arch)) pkg.arch = arch;
      const lic = rec.get("L");
      if (lic && lic.length < 1024) pkg.licenses = [lic];
      const commit = rec.get("c");
      if (plausible(commit)) pkg.metadata = { commit };
      pkg.purl = osPackagePurl(pkg);
      if (packages.length < MAX_PACKAGES_PER_FILE) packages.push(pkg);
    } else bad++;
    rec = new Map();
  };
  for (const line of toText(content).split(/\r?\n/)) {
    if (line.trim() === "") {
      flush();
      continue;
    }
    if (line.length < 2 || line[1] !== ":") continue;
    const key = line[0]!;
    // Only the package-level keys; F:/R:/Z: file lines can be numerous.
    if ("PVAoLc".includes(key) && !rec.has(key)) rec.set(key, line.slice(2).trim());
    else if (!rec.has("_")) rec.set("_", ""); // marks a non-empty record
  }
  flush();
  if (bad) warnings.push(`${path}: ${bad} apk record(s) without a name or version skipped`);
  if (packages.length >= MAX_PACKAGES_PER_FILE) warnings.push(`${path}: package count truncated`);
  return warnings.length ? { packages, warnings } : { packages };
}

export const apkCataloger: Cataloger = {
  name: "apk",
  matches: (path, size) => path === DB && size <= MAX_TEXT_BYTES,
  parse: (path, content) => guardedSync(path, "apk", () => parseApk(path, content)),
};
