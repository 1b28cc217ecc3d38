// RubyGems ordering (Gem::Version#<=>): a version is a list of segments, runs of digits (numbers)
// or of letters (strings), "-" meaning ".pre."; a string segment marks a prerelease and sorts
// below any number (1.0.a < 1.0 < 1.0.1); trailing zeros of the release part and of the
// prerelease part are ignored (1.0 == 1, 1.a.0 == 1.a). Strings compare byte-wise (case matters).
// RubyGems rejects malformed strings; here every string is read the same way (other characters
// just separate segments) and a string without segments counts as "0", as an empty version does.
import { compareDigits, compareStrings, isDigit, type Ordering } from "./order.js";

type Segment = string; // digits or letters; kind tested with isDigit on the first char

export function canonicalSegments(version: string): Segment[] {
  const segments = version.trim().replaceAll("-", ".pre.").match(/[0-9]+|[a-z]+/gi) ?? [];
  const firstString = segments.findIndex((s) => !isDigit(s[0]));
  const numeric = firstString < 0 ? segments : segments.slice(0, firstString);
  const strings = firstString < 0 ? [] : segments.slice(firstString);
  return [...dropTrailingZeros(numeric), ...dropTrailingZeros(strings)];
}

function dropTrailingZeros(segments: Segment[]): Segment[] {
  let end = segments.length;
  while (end > 0 && /^0+$/.test(segments[end - 1]!)) end--;
  return segments.slice(0, end);
}

export function compare(a: string, b: string): Ordering {
  const x = canonicalSegments(a);
  const y = canonicalSegments(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const l = x[i] ?? "0";
    const r = y[i] ?? "0";
    const lNum = isDigit(l[0]);
    const rNum = isDigit(r[0]);
    if (lNum && rNum) {
      const c = compareDigits(l, r);
      if (c) return c;
    } else if (lNum !== rNum) {
      return lNum ? 1 : -1;
    } else if (l !== r) {
      return compareStrings(l, r);
    }
  }
  return 0;
}
