// Ruby gems: installed specifications (…/specifications/NAME-VERSION.gemspec), which RubyGems
// writes in a fixed generated style: `s.name = "rake".freeze`, `s.version = "13.0.6"`.
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { guardedSync, plausible, toText, warnOnly } from "./util.js";

const SPEC = /(?:^|\/)specifications\/[^/]+\.gemspec$/;
const MAX = 1024 * 1024;

export function parseGemspec(path: string, content: Buffer): FileFacts {
  if (content.length > MAX) return warnOnly(path, "gemspec too large; skipped");
  const text = toText(content);
  const name = /^\s*\w+\.name\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  const version = /^\s*\w+\.version\s*=\s*["']([^"']+)["']/m.exec(text)?.[1];
  if (!plausible(name) || !plausible(version)) return warnOnly(path, "gemspec without a literal name/version");
  const licBlock = /^\s*\w+\.licenses?\s*=\s*\[?([^\n\]]*)/m.exec(text)?.[1];
  const licenses = licBlock ? [...licBlock.matchAll(/["']([^"']+)["']/g)].map((m) => m[1]!).slice(0, 10) : [];
  return {
    packages: [
      {
        name,
        version,
        type: "gem",
        purl: formatPurl({ type: "gem", name, version }),
        ...(licenses.length ? { licenses } : {}),
        locations: [path],
        cataloger: "gem",
      },
    ],
  };
}

export const gemCataloger: Cataloger = {
  name: "gem",
  matches: (path, size) => size <= MAX && SPEC.test(path),
  parse: (path, content) => guardedSync(path, "gem", () => parseGemspec(path, content)),
};
