// Debian version ordering, as dpkg implements it (deb-version(7)): [epoch:]upstream[-revision].
// Every string gets an order (dpkg would reject some as malformed): a non-numeric "epoch" is
// simply not treated as one, and the character-class rules apply to whatever characters appear.
import { compareDigits, isAsciiLetter, isDigit, sign, type Ordering } from "./order.js";

interface DebVersion {
  epoch: string;
  upstream: string;
  revision: string;
}

export function parse(version: string): DebVersion {
  let rest = version.trim();
  let epoch = "0";
  const colon = rest.indexOf(":");
  if (colon >= 0 && /^[0-9]+$/.test(rest.slice(0, colon))) {
    epoch = rest.slice(0, colon);
    rest = rest.slice(colon + 1);
  }
  // The revision follows the LAST hyphen, so upstream versions may contain hyphens.
  const hyphen = rest.lastIndexOf("-");
  if (hyphen < 0) return { epoch, upstream: rest, revision: "" };
  return { epoch, upstream: rest.slice(0, hyphen), revision: rest.slice(hyphen + 1) };
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  return compareDigits(x.epoch, y.epoch) || compareFragment(x.upstream, y.upstream) || compareFragment(x.revision, y.revision);
}

/** Weight of one non-digit character: `~` below end-of-string, letters below other symbols. */
function weight(c: string | undefined): number {
  if (c === undefined || isDigit(c)) return 0;
  if (c === "~") return -1;
  const code = c.charCodeAt(0);
  return isAsciiLetter(c) ? code : code + 256;
}

/** dpkg's verrevcmp: alternate non-digit runs (by weight) and digit runs (numerically). */
export function compareFragment(a: string, b: string): Ordering {
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    while ((i < a.length && !isDigit(a[i])) || (j < b.length && !isDigit(b[j]))) {
      const wa = weight(a[i]);
      const wb = weight(b[j]);
      if (wa !== wb) return sign(wa - wb);
      i++;
      j++;
    }
    const startA = i;
    const startB = j;
    while (isDigit(a[i])) i++;
    while (isDigit(b[j])) j++;
    const cmp = compareDigits(a.slice(startA, i) || "0", b.slice(startB, j) || "0");
    if (cmp) return cmp;
  }
  return 0;
}
