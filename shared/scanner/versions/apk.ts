// Alpine apk-tools ordering (apk-tools 2.14/3.x, `apk version -t`):
//   digits{.digits}...{letter}{_suffix{N}}...{~commithash}{-rN}
// Two versions are read token by token; while the token kinds agree their values decide.
// When the kinds differ, a pre-release suffix (_alpha, _beta, _pre, _rc) makes its side older,
// otherwise the side that ends sooner is older (1.0 < 1.0.1 < 1.0a, 1.0 < 1.0-r1) — and a side
// that turns malformed counts as older still than one that ends. Two versions malformed at the
// same point after equal prefixes are equal (apk stops reading there). Numbers are unbounded
// here (apk reads them as 64-bit).
import { compareDigits, compareStrings, isDigit, type Ordering } from "./order.js";

// Token kinds in apk's order; the order itself is the rule for which token may follow which.
const INITIAL_DIGIT = 0;
const DIGIT = 1;
const LETTER = 2;
const SUFFIX = 3;
const SUFFIX_NO = 4;
const COMMIT_HASH = 5;
const REVISION_NO = 6;
const END = 7;
const INVALID = 8;

// Suffix ranks: pre-releases below NONE (a plain release), post-release markers above it.
const SUFFIXES = new Map([["alpha", 1], ["beta", 2], ["pre", 3], ["rc", 4], ["cvs", 6], ["svn", 7], ["git", 8], ["hg", 9], ["p", 10]]);
const NONE = 5;

interface Token {
  kind: number;
  text: string; // digits, letter, suffix name or hash, as written
  suffix: number;
}

class Reader {
  private pos = 0;
  token: Token = { kind: INITIAL_DIGIT, text: "", suffix: 0 };

  constructor(private readonly s: string) {
    this.token = this.digits(INITIAL_DIGIT);
  }

  private span(test: (c: string) => boolean): string {
    const start = this.pos;
    while (this.pos < this.s.length && test(this.s[this.pos]!)) this.pos++;
    return this.s.slice(start, this.pos);
  }

  private digits(kind: number): Token {
    const text = this.span(isDigit);
    return { kind: text ? kind : INVALID, text, suffix: 0 };
  }

  /** Advances to the next token; `prev` bounds what may legally come next. */
  next(): void {
    const prev = this.token.kind;
    const invalid: Token = { kind: INVALID, text: "", suffix: 0 };
    if (this.pos >= this.s.length) {
      this.token = { kind: END, text: "", suffix: 0 };
      return;
    }
    const c = this.s[this.pos]!;
    if (c >= "a" && c <= "z") {
      this.pos++;
      this.token = prev > DIGIT ? invalid : { kind: LETTER, text: c, suffix: 0 };
    } else if (c === ".") {
      if (prev > DIGIT) return void (this.token = invalid);
      this.pos++;
      this.token = this.digits(DIGIT);
    } else if (isDigit(c)) {
      // Only a suffix name can be directly followed by digits (_rc1).
      this.token = prev === SUFFIX ? this.digits(SUFFIX_NO) : invalid;
    } else if (c === "_") {
      if (prev > SUFFIX_NO) return void (this.token = invalid);
      this.pos++;
      const name = this.span((ch) => ch >= "a" && ch <= "z");
      const rank = SUFFIXES.get(name) ?? 0;
      this.token = rank ? { kind: SUFFIX, text: name, suffix: rank } : invalid;
    } else if (c === "~") {
      if (prev >= COMMIT_HASH) return void (this.token = invalid);
      this.pos++;
      const hash = this.span((ch) => /[0-9a-fA-F]/.test(ch));
      this.token = hash ? { kind: COMMIT_HASH, text: hash, suffix: 0 } : invalid;
    } else if (c === "-") {
      if (prev >= REVISION_NO || this.s[this.pos + 1] !== "r") return void (this.token = invalid);
      this.pos += 2;
      this.token = this.digits(REVISION_NO);
    } else {
      this.token = invalid;
    }
  }
}

/** Byte-wise with a shorter prefix first (apk_blob_sort). */
const compareRaw = compareStrings;

function compareTokens(a: Token, b: Token): Ordering {
  switch (a.kind) {
    case DIGIT:
      // A component with a leading zero compares as text, as in Gentoo: 1.01 < 1.1, 1.0 < 1.00.
      if (a.text[0] === "0" || b.text[0] === "0") return compareRaw(a.text, b.text);
      return compareDigits(a.text, b.text);
    case INITIAL_DIGIT:
    case SUFFIX_NO:
    case REVISION_NO:
      return compareDigits(a.text, b.text);
    case LETTER:
      return compareRaw(a.text, b.text);
    case SUFFIX:
      return a.suffix < b.suffix ? -1 : a.suffix > b.suffix ? 1 : 0;
    default:
      return compareRaw(a.text, b.text);
  }
}

export function compare(a: string, b: string): Ordering {
  const ra = new Reader(a);
  const rb = new Reader(b);
  while (ra.token.kind === rb.token.kind && ra.token.kind < END) {
    const c = compareTokens(ra.token, rb.token);
    if (c) return c;
    ra.next();
    rb.next();
  }
  const ta = ra.token;
  const tb = rb.token;
  if (ta.kind === tb.kind) return 0;
  if (ta.kind === SUFFIX && ta.suffix < NONE) return -1;
  if (tb.kind === SUFFIX && tb.suffix < NONE) return 1;
  return ta.kind > tb.kind ? -1 : 1;
}

/** apk's own validity check (apk_version_validate): the whole string reads without error. */
export function isValid(version: string): boolean {
  const r = new Reader(version);
  while (r.token.kind < END) r.next();
  return r.token.kind === END;
}
