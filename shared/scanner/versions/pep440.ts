// Python package ordering per PEP 440 (what pip and `packaging` use): [N!]release[{a|b|rc}N][.postN][.devN][+local],
// with the PEP's alternate spellings normalised (alpha→a, beta→b, c/pre/preview→rc, rev/r→post,
// "-N" post releases, implicit 0 numbers, "_"/"-"/"." separators, any case, leading "v").
// Strings that are not PEP 440 sort before every valid version (as packaging's LegacyVersion
// did), among themselves by code unit.
import { compareDigits, compareStrings, type Ordering } from "./order.js";

const PATTERN = new RegExp(
  "^\\s*v?" +
    "(?:([0-9]+)!)?" + // epoch
    "([0-9]+(?:\\.[0-9]+)*)" + // release
    "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?" + // pre
    "(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?" + // post
    "(?:[-_.]?(dev)[-_.]?([0-9]+)?)?" + // dev
    "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?" + // local
    "\\s*$",
  "i",
);

const PRE_RANK: Record<string, number> = { a: 0, alpha: 0, b: 1, beta: 1, c: 2, pre: 2, preview: 2, rc: 2 };

export interface Pep440Version {
  epoch: string;
  release: string[];
  pre?: { rank: number; n: string };
  post?: string;
  dev?: string;
  local?: string[];
}

export function parse(version: string): Pep440Version | undefined {
  const m = PATTERN.exec(version);
  if (!m) return undefined;
  const [, epoch, release, preL, preN, postN1, postL, postN2, devL, devN, local] = m;
  const parts = release!.split(".");
  // Trailing zeros do not change a release: 1.0 == 1.0.0 == 1.
  while (parts.length > 1 && /^0+$/.test(parts[parts.length - 1]!)) parts.pop();
  const v: Pep440Version = { epoch: epoch ?? "0", release: parts };
  if (preL) v.pre = { rank: PRE_RANK[preL.toLowerCase()]!, n: preN ?? "0" };
  if (postN1 !== undefined) v.post = postN1;
  else if (postL) v.post = postN2 ?? "0";
  if (devL) v.dev = devN ?? "0";
  if (local) v.local = local.toLowerCase().split(/[-_.]/);
  return v;
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  if (!x || !y) return x ? 1 : y ? -1 : compareStrings(a, b);
  return (
    compareDigits(x.epoch, y.epoch) ||
    compareRelease(x.release, y.release) ||
    comparePre(x, y) ||
    compareOptional(x.post, y.post, -1) ||
    compareOptional(x.dev, y.dev, 1) ||
    compareLocal(x.local, y.local)
  );
}

function compareRelease(a: string[], b: string[]): Ordering {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const c = compareDigits(a[i] ?? "0", b[i] ?? "0");
    if (c) return c;
  }
  return 0;
}

/**
 * Rank of the pre-release slot: a dev release of a final (1.0.dev0, no pre/post) sorts before
 * every pre-release of it; no pre-release at all sorts after every pre-release.
 */
function preKey(v: Pep440Version): [number, string] {
  if (v.pre) return [v.pre.rank, v.pre.n];
  if (v.post === undefined && v.dev !== undefined) return [-1, "0"];
  return [3, "0"];
}

function comparePre(x: Pep440Version, y: Pep440Version): Ordering {
  const [rx, nx] = preKey(x);
  const [ry, ny] = preKey(y);
  if (rx !== ry) return rx < ry ? -1 : 1;
  return compareDigits(nx, ny);
}

/** Compares optional numbers; `absent` is where a missing one ranks (-1 below all, 1 above all). */
function compareOptional(a: string | undefined, b: string | undefined, absent: -1 | 1): Ordering {
  if (a === undefined || b === undefined) {
    if (a === b) return 0;
    return a === undefined ? absent : (-absent as Ordering);
  }
  return compareDigits(a, b);
}

/** Local labels: absent < present; segment-wise, alphanumeric < numeric; a shorter prefix first. */
function compareLocal(a: string[] | undefined, b: string[] | undefined): Ordering {
  if (!a || !b) return a === b ? 0 : a ? 1 : -1;
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const xNum = /^[0-9]+$/.test(x);
    const yNum = /^[0-9]+$/.test(y);
    const c = xNum && yNum ? compareDigits(x, y) : xNum !== yNum ? (xNum ? 1 : -1) : compareStrings(x, y);
    if (c) return c;
  }
  return 0;
}
