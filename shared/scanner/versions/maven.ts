// Maven ordering, as org.apache.maven.artifact.versioning.ComparableVersion (Maven 3.9) defines it.
// A version becomes nested lists: "." separates items of one list, "-" opens a sub-list, and so
// does a digit/letter transition; a qualifier written after a dot is treated as if after a hyphen
// (1.0.0.RC1 < 1.0.0-RC2, 2.0.x == 2-x). Trailing "null" items (0, "", ga, final, release) are
// trimmed from every list, so 1 == 1.0 == 1.0.0 == 1-ga. Items compare as:
//   qualifier < sub-list < number, numbers numerically, qualifiers by the known ladder
//   alpha(a) < beta(b) < milestone(m) < rc = cr < snapshot < "" = ga = final = release < sp
//   and after those any other qualifier, in lexical (lower-cased) order.
// Any string parses, so there is no invalid input. Known gap: Maven 3.9.3's MNG-7714 tweak for
// "final-<suffix>" versus "sp1-<suffix>" is not modelled.
import { compareDigits, compareStrings, isDigit, type Ordering } from "./order.js";

type Item = { kind: "number"; digits: string } | { kind: "qualifier"; rank: string } | { kind: "list"; items: Item[] };

const KNOWN = ["alpha", "beta", "milestone", "rc", "snapshot", "", "sp"];
const ALIASES = new Map([["ga", ""], ["final", ""], ["release", ""], ["cr", "rc"]]);
const SHORT_BEFORE_DIGIT = new Map([["a", "alpha"], ["b", "beta"], ["m", "milestone"]]);
const RELEASE_RANK = String(KNOWN.indexOf(""));

/** A sortable key for a qualifier: its ladder position, or "7-name" after every known one. */
function qualifier(text: string, followedByDigit: boolean): Item {
  let name = followedByDigit ? (SHORT_BEFORE_DIGIT.get(text) ?? text) : text;
  name = ALIASES.get(name) ?? name;
  const i = KNOWN.indexOf(name);
  return { kind: "qualifier", rank: i < 0 ? `${KNOWN.length}-${name}` : String(i) };
}

function number(text: string): Item {
  return { kind: "number", digits: text.replace(/^0+(?=.)/, "") || "0" };
}

export function parse(version: string): Item {
  const v = version.toLowerCase();
  const root: Item[] = [];
  const lists: Item[][] = [root];
  let list = root;
  const open = (): void => {
    const sub: Item[] = [];
    list.push({ kind: "list", items: sub });
    lists.push(sub);
    list = sub;
  };
  let digits = false;
  let start = 0;
  for (let i = 0; i < v.length; i++) {
    const c = v[i]!;
    if (c === "." || c === "-") {
      // An empty component ("1..2", "1-") counts as 0.
      list.push(i === start ? number("0") : digits ? number(v.slice(start, i)) : qualifier(v.slice(start, i), false));
      start = i + 1;
      if (c === "-") open();
    } else if (isDigit(c)) {
      if (!digits && i > start) {
        if (list.length > 0) open(); // ".X1" is read as "-X1"
        list.push(qualifier(v.slice(start, i), true));
        start = i;
        open();
      }
      digits = true;
    } else {
      if (digits && i > start) {
        list.push(number(v.slice(start, i)));
        start = i;
        open();
      }
      digits = false;
    }
  }
  if (v.length > start) {
    if (!digits && list.length > 0) open(); // a trailing ".X" is read as "-X"
    list.push(digits ? number(v.slice(start)) : qualifier(v.slice(start), false));
  }
  // Innermost lists first, so a sub-list emptied by trimming is itself trimmed from its parent.
  for (let k = lists.length - 1; k >= 0; k--) trimNulls(lists[k]!);
  return { kind: "list", items: root };
}

function isNull(item: Item): boolean {
  if (item.kind === "number") return item.digits === "0";
  if (item.kind === "qualifier") return item.rank === RELEASE_RANK;
  return item.items.length === 0;
}

/** Removes trailing null items, looking past sub-lists (they are trimmed in their own right). */
function trimNulls(items: Item[]): void {
  for (let i = items.length - 1; i >= 0; i--) {
    const item = items[i]!;
    if (isNull(item)) items.splice(i, 1);
    else if (item.kind !== "list") break;
  }
}

export function compare(a: string, b: string): Ordering {
  const x = parse(a);
  const y = parse(b);
  return compareLists(x.kind === "list" ? x.items : [], y.kind === "list" ? y.items : []);
}

/** One list being compared: against another list, or (b = null) against padding. */
interface Frame {
  a: Item[];
  b: Item[] | null;
  i: number;
  negate: boolean;
}

/**
 * Lexicographic over nested lists, the shorter side padded with "missing" items. Iterative, since
 * every "-" nests a list one level deeper and hostile input can nest thousands of levels.
 */
function compareLists(x: Item[], y: Item[]): Ordering {
  const stack: Frame[] = [{ a: x, b: y, i: 0, negate: false }];
  while (stack.length > 0) {
    const f = stack[stack.length - 1]!;
    if (f.i >= Math.max(f.a.length, f.b?.length ?? 0)) {
      stack.pop();
      continue;
    }
    let l = f.a[f.i];
    let r = f.b?.[f.i];
    f.i++;
    let negate = f.negate;
    if (l === undefined) {
      // Only the right side has an item here: compare it with "missing" and flip the result.
      [l, r] = [r!, undefined];
      negate = !negate;
    }
    if (l.kind === "list" && (r === undefined || r.kind === "list")) {
      stack.push({ a: l.items, b: r === undefined ? null : r.items, i: 0, negate });
      continue;
    }
    const c = compareItem(l, r);
    if (c) return negate ? (-c as Ordering) : c;
  }
  return 0;
}

/** Two items that are not both lists; `undefined` is a missing item. */
function compareItem(l: Item, r: Item | undefined): Ordering {
  switch (l.kind) {
    case "number":
      if (r === undefined) return l.digits === "0" ? 0 : 1;
      return r.kind === "number" ? compareDigits(l.digits, r.digits) : 1; // 1.1 > 1-1 > 1-sp
    case "qualifier":
      if (r === undefined) return compareStrings(l.rank, RELEASE_RANK); // 1-rc < 1 < 1-sp
      return r.kind === "qualifier" ? compareStrings(l.rank, r.rank) : -1;
    case "list":
      return r?.kind === "number" ? -1 : 1; // 1-1 < 1.1, 1-1 > 1-sp
  }
}
