// Shared assertions for version-ordering tables.
import { expect } from "vitest";
import { prng } from "../../../bench/prng.js";

/** Deterministic PRNG so generated cases are reproducible. */
export const rng = prng;

export type Compare = (a: string, b: string) => number;


export function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

function shuffle<T>(items: T[], random: () => number): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * Checks a documented ladder, lowest first; an array entry is a group of equal versions.
 * Every pair is compared both ways (so antisymmetry is checked too), and shuffled copies must
 * sort back into ladder order.
 */
export function expectLadder(compare: Compare, ladder: readonly (string | readonly string[])[]): void {
  const entries = ladder.flatMap((group, rank) => (typeof group === "string" ? [group] : group).map((v) => ({ v, rank })));
  const wrong: string[] = [];
  for (const x of entries) {
    for (const y of entries) {
      const want = Math.sign(x.rank - y.rank);
      const got = compare(x.v, y.v);
      if (got !== want) wrong.push(`${JSON.stringify(x.v)} vs ${JSON.stringify(y.v)}: got ${got}, want ${want}`);
    }
  }
  expect(wrong).toEqual([]);
  const random = rng(ladder.length);
  for (let round = 0; round < 5; round++) {
    const sorted = shuffle(entries, random).sort((x, y) => compare(x.v, y.v));
    expect(sorted.map((e) => e.rank)).toEqual(entries.map((e) => e.rank));
  }
}

/** Checks `[a, op, b]` rows both ways round. */
export function expectPairs(compare: Compare, rows: readonly (readonly [string, "<" | "=" | ">", string])[]): void {
  const wrong: string[] = [];
  for (const [a, op, b] of rows) {
    const want = op === "<" ? -1 : op === ">" ? 1 : 0;
    const got = compare(a, b);
    const back = compare(b, a);
    if (got !== want || back !== -want) wrong.push(`${a} ${op} ${b}: got ${got} / reverse ${back}`);
  }
  expect(wrong).toEqual([]);
}

/** Garbage must not throw and must be antisymmetric and reflexive. */
export function expectTotalOnGarbage(compare: Compare, extra: readonly string[] = []): void {
  const garbage = ["", " ", "-", ".", "~", "^", ":", "::", "v", "!!!", "1..2", "-1", "1-", "1.0-", "a.b.c", "1:", ":1", "é", "1.0\u0000", "💥", "+", "1+", "_", ...extra];
  for (const a of garbage) {
    expect(compare(a, a), JSON.stringify(a)).toBe(0);
    for (const b of garbage) {
      const x = compare(a, b);
      expect([-1, 0, 1]).toContain(x);
      expect(compare(b, a), `${JSON.stringify(a)} vs ${JSON.stringify(b)}`).toBe(-x === 0 ? 0 : -x);
    }
  }
}
