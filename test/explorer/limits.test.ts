// Cost limits: list sizes, row width, intermediate memory and parameters are bounded, and each
// exceeded limit is a 413 (LimitExceededError) naming the limit. Also: the one function table
// drives validation and evaluation alike.
import { describe, expect, it } from "vitest";
import { GraphView, parseQuery, QUERY_FUNCTIONS, runQuery, validateQuery, evaluate } from "../../shared/explorer/index.js";
import { InputError, LimitExceededError } from "../../shared/errors.js";
import { node, report } from "./fixtures.js";

const pods = (n: number) => new GraphView(report(Array.from({ length: n }, (_, i) => node(`pod:ns/p${i}`, { i })), []));

function limitOf(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as LimitExceededError).status).toBe(413);
    return /query exceeded (\w+)/.exec((err as Error).message)?.[1] ?? (err as Error).message;
  }
  throw new Error("no limit was hit");
}

describe("explorer cost limits", () => {
  const view = pods(200);

  it("refuses a parameter list longer than maxListItems before evaluating anything", () => {
    const L = Array.from({ length: 480_000 }, (_, i) => i);
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN collect($L + [a.id])", view, {}, { L }))).toBe("maxListItems");
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN a", view, { maxListItems: 5 }, { L: [1, 2, 3, 4, 5, 6] }))).toBe("maxListItems");
    // Nested lists count too.
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN a", view, { maxListItems: 5 }, { L: [[1, 2, 3, 4, 5, 6]] }))).toBe("maxListItems");
  });

  it("bounds lists a query builds: concatenation and collect()", () => {
    const L = Array.from({ length: 90 }, (_, i) => i);
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN $L + $L + [a.id]", view, { maxListItems: 100 }, { L }))).toBe("maxListItems");
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN collect(a.id)", view, { maxListItems: 150 }))).toBe("maxListItems");
    expect(runQuery("MATCH (a:Pod) RETURN size(collect(a.id))", view, { maxListItems: 200 }).rows).toEqual([[200]]);
  });

  it("bounds the width of one row and the memory held until the end", () => {
    const L = Array.from({ length: 5000 }, (_, i) => `item-${i}`);
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN $L + [a.id]", view, { maxRowBytes: 10_000 }, { L }))).toBe("maxRowBytes");
    // Each row is small, but ORDER BY keeps all of them: 200 rows × ~60 KB.
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN $L + [a.id] AS x ORDER BY a.i", view, { maxMemoryBytes: 1_000_000 }, { L }))).toBe("maxMemoryBytes");
    expect(limitOf(() => runQuery("MATCH (a:Pod), (b:Pod) RETURN a.id + b.id, count(*)", view, { maxMemoryBytes: 500_000 }))).toBe("maxMemoryBytes");
    expect(limitOf(() => runQuery("MATCH (a:Pod), (b:Pod) RETURN DISTINCT a.id + b.id", view, { maxMemoryBytes: 500_000, maxRows: 100_000 }))).toBe("maxMemoryBytes");
  });

  it("refuses too many parameters", () => {
    const params = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`p${i}`, i]));
    expect(limitOf(() => runQuery("MATCH (a:Pod) RETURN a", view, {}, params))).toBe("maxParams");
  });

  it("answers IN over a long constant list with one lookup per binding (same answers as a scan)", () => {
    const big = pods(2000);
    const L = Array.from({ length: 10_000 }, (_, i) => `pod:ns/p${i * 3}`);
    const t = Date.now();
    const r = runQuery("MATCH (a:Pod), (b:Pod) WHERE a.id IN $L AND b.i < 2 RETURN count(*)", big, { maxBindings: 10_000_000 }, { L });
    expect(r.rows).toEqual([[Math.ceil(2000 / 3) * 2]]);
    expect(Date.now() - t).toBeLessThan(5000);
    // Null semantics are kept: an absent value is null, a list holding null answers null instead of false.
    expect(runQuery("MATCH (a:Pod {i: 1}) RETURN a.id IN $L, a.nope IN $L, 'x' IN $M", big, {}, { L, M: ["y", null] }).rows).toEqual([[false, null, null]]);
  });

  it("stops per-row work at the time budget", () => {
    const L = Array.from({ length: 10_000 }, (_, i) => [i]);
    // Lists of lists are scanned, each scan charged as work: the time budget is checked inside rows.
    expect(limitOf(() => runQuery("MATCH (a:Pod), (b:Pod), (c:Pod) WHERE [a.i] IN $L RETURN count(*)", view, { timeBudgetMs: 200, maxBindings: 1e12 }, { L }))).toBe("timeBudgetMs");
  });
});

describe("the function table", () => {
  it("validation and evaluation agree on every function's name and arity", () => {
    const view = pods(3);
    for (const f of QUERY_FUNCTIONS) {
      const [min, max] = f.arity;
      const args = (n: number) => Array.from({ length: n }, () => "a.i").join(", ");
      const ret = f.aggregate ? `${f.name}(a.i)` : `${f.name}(${args(min)})`;
      if (f.name !== "exists") expect(() => runQuery(`MATCH (a:Pod) RETURN ${ret}`, view), f.name).not.toThrow();
      if (max !== Infinity) {
        const tooMany = `MATCH (a:Pod) RETURN ${f.name}(${args(max + 1)})`;
        expect(() => parseQuery(tooMany), f.name).toThrow(InputError);
        // A model built by a UI goes through the same check.
        const model = parseQuery(`MATCH (a:Pod) RETURN ${ret}`);
        const call = model.return.items[0]!.expression as { args: unknown[] };
        call.args = Array.from({ length: max + 1 }, () => ({ type: "literal", value: 1 }));
        expect(() => validateQuery(model), f.name).toThrow(/takes/);
        expect(() => evaluate(model, view), f.name).toThrow(/takes/);
      }
    }
    expect(() => parseQuery("MATCH (a:Pod) RETURN nope(a)")).toThrow(/unknown function nope\(\).*hasInsight/);
  });
});
