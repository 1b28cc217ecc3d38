// apk-tools installed database: blank-line separated records of single-letter "X:value" lines.
// The origin (o:) is the source package that Alpine's secdb advisories are keyed on.
import type { Package } from "../model.js";
import { osPackagePurl } from "./ospurl.js";
import { ownershipRelevant } from "./ownership.js";
import type { Cataloger, FileFacts, OwnedFiles } from "./types.js";
import { MAX_PACKAGES_PER_FILE, MAX_TEXT_BYTES, guardedSync, plausible, toText, warnOnly } from "./util.js";

const DB = "lib/apk/db/installed";

export function parseApk(path: string, content: Buffer): FileFacts {
  if (content.length > MAX_TEXT_BYTES) return warnOnly(path, "apk database too large; skipped");
  const packages: Package[] = [];
  const warnings: string[] = [];
  const owned: OwnedFiles[] = [];
  let bad = 0;
  let rec = new Map<string, string>();
  // "F:dir" then "R:file" lines: the files this package installed.
  let dir = "";
  let files: string[] = [];
  const flush = () => {
    if (!rec.size) return;
    const owner = rec.get("P");
    if (files.length && plausible(owner)) owned.push({ manager: "apk", owner, paths: files });
    files = [];
    dir = "";
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
    if (key === "F") dir = line.slice(2).trim().replace(/^\/+|\/+$/g, "");
    else if (key === "R") {
      const file = dir ? `${dir}/${line.slice(2).trim()}` : line.slice(2).trim();
      if (ownershipRelevant(file) && files.length < 200_000) files.push(file);
    }
    // Only the package-level keys are kept; F:/R:/Z: lines are numerous.
    if ("PVAoLc".includes(key) && !rec.has(key)) rec.set(key, line.slice(2).trim());
    else if (!rec.has("_")) rec.set("_", ""); // marks a non-empty record
  }
  flush();
  if (bad) warnings.push(`${path}: ${bad} apk record(s) without a name or version skipped`);
  if (packages.length >= MAX_PACKAGES_PER_FILE) warnings.push(`${path}: package count truncated`);
  return { packages, ...(warnings.length ? { warnings } : {}), ...(owned.length ? { owned } : {}) };
}

export const apkCataloger: Cataloger = {
  version: 2,
  name: "apk",
  matches: (path, size) => path === DB && size <= MAX_TEXT_BYTES,
  parse: (path, content) => guardedSync(path, "apk", () => parseApk(path, content)),
};
