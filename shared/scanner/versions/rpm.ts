// RPM ordering: EVR handling as rpm compares package versions, segments as rpmvercmp() does.
// Like rpm, a release is only compared when BOTH sides carry one, so "1.0" equals "1.0-3":
// that is what makes an advisory's bare version match any release, and it means rpm's order
// is not transitive across mixed forms (1.0-1 = 1.0 = 1.0-2 but 1.0-1 < 1.0-2).
import { compareDigits, compareStrings, isAsciiLetter, isDigit, type Ordering } from "./order.js";

interface Evr {
  epoch: string;
  version: string;
  release: string | undefined;
}

export function parse(evr: string): Evr {
  let rest = evr.trim();
  let epoch = "0";
  const m = /^([0-9]*):/.exec(rest);
  if (m) {
    epoch = m[1] || "0";
    rest = rest.slice(m[0].length);
  }
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, version: rest, release: undefined };
  return { epoch, version: rest.slice(0, hyphen), release: rest.slice(hyphen + 1) };
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  const byEpoch = compareDigits(x.epoch, y.epoch);
  if (byEpoch) return byEpoch;
  const byVersion = rpmvercmp(x.version, y.version);
  if (byVersion) return byVersion;
  if (x.release !== undefined && y.release !== undefined) return rpmvercmp(x.release, y.release);
  return 0;
}

const isAlnum = (c: string | undefined): boolean => isDigit(c) || isAsciiLetter(c);
const isSeparator = (c: string | undefined): boolean => c !== undefined && !isAlnum(c) && c !== "~" && c !== "^";

/** rpmvercmp: separators only delimit; `~` sorts before anything, `^` after end but before more. */
export function rpmvercmp(a: string, b: string): Ordering {
  if (a === b) return 0;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while (isSeparator(a[i])) i++;
    while (isSeparator(b[j])) j++;
    const ca = a[i];
    const cb = b[j];
    if (ca === "~" || cb === "~") {
      if (ca !== "~") return 1;
      if (cb !== "~") return -1;
      i++;
      j++;
      continue;
    }
    if (ca === "^" || cb === "^") {
      if (ca === undefined) return -1;
      if (cb === undefined) return 1;
      if (ca !== "^") return 1;
      if (cb !== "^") return -1;
      i++;
      j++;
      continue;
    }
    if (ca === undefined || cb === undefined) break;
    // A segment is a run of digits or a run of letters; its kind is set by the left side.
    const numeric = isDigit(ca);
    const inSegment = numeric ? isDigit : isAsciiLetter;
    const startA = i;
    const startB = j;
    while (inSegment(a[i])) i++;
    while (inSegment(b[j])) j++;
    // Different kinds: a numeric segment is newer than an alphabetic one.
    if (startB === j) return numeric ? 1 : -1;
    const segA = a.slice(startA, i);
    const segB = b.slice(startB, j);
    const cmp = numeric ? compareDigits(segA, segB) : compareStrings(segA, segB);
    if (cmp) return cmp;
  }
  if (i >= a.length && j >= b.length) return 0;
  return i >= a.length ? -1 : 1;
}
