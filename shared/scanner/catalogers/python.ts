// Python: installed distributions' metadata (wheel *.dist-info/METADATA, setuptools
// *.egg-info/PKG-INFO or a bare *.egg-info file). Headers are RFC 822; the body is ignored.
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { guardedSync, parseStanzas, plausible, toText, warnOnly } from "./util.js";

const META = /(?:^|\/)[^/]+\.dist-info\/METADATA$|(?:^|\/)[^/]+\.egg-info\/PKG-INFO$|(?:^|\/)[^/]+\.egg-info$/;
const MAX = 8 * 1024 * 1024;

/** PEP 503 normalized project name (also the purl-spec rule for pypi). */
export function normalizePythonName(name: string): string {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

export function parsePython(path: string, content: Buffer): FileFacts {
  if (content.length > MAX) return warnOnly(path, "metadata file too large; skipped");
  // Headers end at the first blank line; only read that far.
  const text = toText(content.subarray(0, Math.min(content.length, 256 * 1024)));
  const blank = text.search(/\r?\n\r?\n/);
  const h = parseStanzas(blank >= 0 ? text.slice(0, blank) : text, 1)[0];
  const name = h?.get("Name");
  const version = h?.get("Version");
  if (!plausible(name) || !plausible(version)) return warnOnly(path, "Python metadata without Name/Version");
  const lic = h?.get("License-Expression") ?? h?.get("License");
  return {
    packages: [
      {
        name,
        version,
        type: "pypi",
        purl: formatPurl({ type: "pypi", name: normalizePythonName(name), version }),
        ...(lic && lic !== "UNKNOWN" && lic.length < 256 && !lic.includes("\n") ? { licenses: [lic] } : {}),
        locations: [path],
        cataloger: "python",
      },
    ],
  };
}

export const pythonCataloger: Cataloger = {
  name: "python",
  matches: (path, size) => size <= MAX && META.test(path),
  parse: (path, content) => guardedSync(path, "python", () => parsePython(path, content)),
};
