// npm ordering: node-semver's precedence (loose parsing, so a leading "v" or "=" is accepted;
// build metadata ignored). Strings node-semver rejects still get a place, so advisories with
// "1.2" or "1.2.3.4" compare sensibly:
//   - a leading run of dot-separated numbers is the release ("1.2" = "1.2.0"; a 4th and later
//     number ranks after the patch: 1.2.3 < 1.2.3.1 < 1.2.4); what follows, minus a separator and
//     any "+build", is a prerelease ("1.2.3beta" ~ "1.2.3-beta");
//   - strings with no leading number sort before every version, among themselves by code unit.
import semver from "semver";
import { compareDigits, compareStrings, type Ordering } from "./order.js";

interface Key {
  release: string[]; // numeric components, trailing zeros beyond the third removed
  prerelease: string[];
}

export function compare(a: string, b: string): Ordering {
  const pa = semver.parse(a, { loose: true });
  const pb = semver.parse(b, { loose: true });
  if (pa && pb) return pa.compare(pb);
  const ka = pa ? keyOf(pa) : fallbackKey(a);
  const kb = pb ? keyOf(pb) : fallbackKey(b);
  if (!ka || !kb) {
    if (ka) return 1;
    if (kb) return -1;
    return compareStrings(a, b);
  }
  return compareKeys(ka, kb);
}

function keyOf(v: semver.SemVer): Key {
  return { release: [String(v.major), String(v.minor), String(v.patch)], prerelease: v.prerelease.map(String) };
}

function fallbackKey(version: string): Key | undefined {
  const m = /^[v=\s]*([0-9]+(?:\.[0-9]+)*)(.*)$/s.exec(version.trim());
  if (!m) return undefined;
  const release = m[1]!.split(".");
  while (release.length < 3) release.push("0");
  while (release.length > 3 && /^0+$/.test(release[release.length - 1]!)) release.pop();
  const rest = m[2]!.replace(/\+.*$/s, "").replace(/^[-._~]/, "");
  return { release, prerelease: rest === "" ? [] : rest.split(".") };
}

function compareKeys(a: Key, b: Key): Ordering {
  const n = Math.max(a.release.length, b.release.length);
  for (let i = 0; i < n; i++) {
    const c = compareDigits(a.release[i] ?? "0", b.release[i] ?? "0");
    if (c) return c;
  }
  // A prerelease ranks below the release it precedes; identifiers compare as node-semver does.
  if (a.prerelease.length === 0 || b.prerelease.length === 0) {
    return a.prerelease.length === b.prerelease.length ? 0 : a.prerelease.length === 0 ? 1 : -1;
  }
  const m = Math.max(a.prerelease.length, b.prerelease.length);
  for (let i = 0; i < m; i++) {
    const x = a.prerelease[i];
    const y = b.prerelease[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = semver.compareIdentifiers(x, y);
    if (c) return c;
  }
  return 0;
}
