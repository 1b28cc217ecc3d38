// Go module version ordering (golang.org/x/mod/semver): semantic versions with a "v" prefix,
// shorthands "v1" and "v1.2" for v1.0.0 and v1.2.0, pseudo-versions ordering as the prereleases
// they are, "+incompatible" and other build metadata ignored. As in x/mod/semver, every invalid
// string is less than every valid one and all invalid strings are equal. OSV writes Go versions
// without the "v", so a missing prefix is supplied.
import { compareDigits, comparePrereleaseLists, compareStrings, type Ordering } from "./order.js";

interface GoVersion {
  major: string;
  minor: string;
  patch: string;
  prerelease: string[];
}

const NUM = "(0|[1-9][0-9]*)";
const IDENT = "[0-9A-Za-z-]+";
const FULL = new RegExp(
  `^v${NUM}(?:\\.${NUM}(?:\\.${NUM}(?:-(${IDENT}(?:\\.${IDENT})*))?(?:\\+(${IDENT}(?:\\.${IDENT})*))?)?)?$`,
);

export function parse(version: string): GoVersion | undefined {
  const v = version.startsWith("v") ? version : `v${version}`;
  const m = FULL.exec(v);
  if (!m) return undefined;
  const [, major, minor, patch, pre] = m;
  // Shorthands ("v1", "v1.2") may not carry a prerelease or build; the regex nests them under patch.
  const prerelease = pre ? pre.split(".") : [];
  // Numeric prerelease identifiers must not have leading zeros.
  if (prerelease.some((id) => /^0[0-9]+$/.test(id))) return undefined;
  return { major: major!, minor: minor ?? "0", patch: patch ?? "0", prerelease };
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  const main = compareDigits(x.major, y.major) || compareDigits(x.minor, y.minor) || compareDigits(x.patch, y.patch);
  if (main) return main;
  return comparePrerelease(x.prerelease, y.prerelease);
}

function comparePrerelease(a: string[], b: string[]): Ordering {
  return comparePrereleaseLists(a, b, (x, y) => {
    if (x === y) return 0;
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    if (xNum && yNum) return compareDigits(x, y);
    if (xNum !== yNum) return xNum ? -1 : 1; // numeric identifiers rank below alphanumeric ones
    return compareStrings(x, y);
  });
}
