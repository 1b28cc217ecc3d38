// Small ordering helpers shared by the scheme modules.

export type Ordering = -1 | 0 | 1;

/** Collapses any number to the -1 | 0 | 1 the public API promises. */
export function sign(n: number | bigint): Ordering {
  return n < 0 ? -1 : n > 0 ? 1 : 0;
}

/**
 * Compares two strings of ASCII digits as unbounded integers: version components such as dates
 * or build numbers overflow both JS numbers and the tools' own C ints, and the tools mean "numeric".
 */
export function compareDigits(a: string, b: string): Ordering {
  const x = stripZeros(a);
  const y = stripZeros(b);
  if (x.length !== y.length) return x.length < y.length ? -1 : 1;
  return compareStrings(x, y);
}

function stripZeros(s: string): string {
  let i = 0;
  while (i < s.length - 1 && s[i] === "0") i++;
  return s.slice(i);
}

/** Plain UTF-16 code-unit order (C strcmp on ASCII, Java String.compareTo). */
export function compareStrings(a: string, b: string): Ordering {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= "0" && c <= "9";
}

export function isAsciiLetter(c: string | undefined): boolean {
  return c !== undefined && ((c >= "a" && c <= "z") || (c >= "A" && c <= "Z"));
}

/**
 * SemVer-style pre-release lists: no list (a release) sorts after any list; otherwise identifiers
 * compare pairwise with `one`, and a shorter list that is a prefix sorts first.
 */
export function comparePrereleaseLists(a: string[], b: string[], one: (x: string, y: string) => Ordering): Ordering {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const c = one(x, y);
    if (c) return c;
  }
  return 0;
}
