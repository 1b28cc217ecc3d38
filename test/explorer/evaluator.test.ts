import { describe, expect, it } from "vitest";
import { evaluate, GraphView, parseQuery, runQuery, type QueryModel } from "../../shared/explorer/index.js";
import { InputError, LimitExceededError } from "../../shared/errors.js";
import { edge, node, report } from "./fixtures.js";

// a → b → c → d along NEXT, a → d along SKIP, d → a along BACK (a cycle), e isolated.
const chain = new GraphView(
  report(
    [
      node("pod:ns/a", { rank: 1, tags: ["x", "y"], sc: { privileged: true } }),
      node("pod:ns/b", { rank: 2, privileged: false }),
      node("pod:ns/c", { rank: 3, privileged: true }),
      node("pod:other/d", { rank: null }),
      node("node:e", { rank: 2 }),
    ],
    [
      edge("pod:ns/a", "NEXT", "pod:ns/b", { weight: 1 }),
      edge("pod:ns/b", "NEXT", "pod:ns/c", { weight: 2 }),
      edge("pod:ns/c", "NEXT", "pod:other/d"),
      edge("pod:ns/a", "SKIP", "pod:other/d"),
      edge("pod:other/d", "BACK", "pod:ns/a"),
      edge("pod:ns/a", "NEXT", "node:missing"),
    ],
    {
      insights: [
        { kind: "privileged-container", node: "pod:ns/c" },
        { kind: "Internet-Exposed", node: "pod:ns/a" },
      ],
      chokePoints: [{ node: "pod:ns/b", pathsCut: 4 }],
      paths: [{ id: "x", title: "t", risk: "high", entry: "pod:ns/a", target: "pod:ns/c", edges: [edge("pod:ns/a", "NEXT", "pod:ns/b"), edge("pod:ns/b", "NEXT", "pod:ns/c")] }],
    },
  ),
);

function rows(query: string, view = chain, params: Record<string, unknown> = {}): unknown[][] {
  return runQuery(query, view, {}, params).rows;
}

function sortedRows(query: string): unknown[][] {
  return rows(query).sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
}

describe("evaluate: matching", () => {
  it("returns node ids, follows direction, and skips dangling edges", () => {
    expect(rows('MATCH (a {id: "pod:ns/a"})-->(b) RETURN b ORDER BY b')).toEqual([["pod:ns/b"], ["pod:other/d"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})<--(b) RETURN b')).toEqual([["pod:other/d"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})--(b) RETURN b ORDER BY b')).toEqual([["pod:ns/b"], ["pod:other/d"], ["pod:other/d"]]);
  });

  it("matches relationship types case-insensitively, with alternatives, and notes unknown ones", () => {
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:next]->(b) RETURN b')).toEqual([["pod:ns/b"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT|BACK|SKIP]-(b) RETURN b ORDER BY b')).toEqual([["pod:ns/b"], ["pod:other/d"], ["pod:other/d"]]);
    const r = runQuery('MATCH (a)-[:NOPE]->(b) RETURN a', chain);
    expect(r.rows).toEqual([]);
    expect(r.notes).toEqual(["relationship type NOPE does not occur in this graph"]);
  });

  it("matches labels as kinds (case-insensitive) and pseudo-labels", () => {
    expect(rows("MATCH (n:NODE) RETURN n")).toEqual([["node:e"]]);
    expect(rows("MATCH (n:Pod|Node) RETURN count(*)")).toEqual([[5]]);
    expect(rows("MATCH (n:HasInsight) RETURN n ORDER BY n")).toEqual([["pod:ns/a"], ["pod:ns/c"]]);
    expect(rows("MATCH (n:Pod:ChokePoint) RETURN n, pathsCut(n)")).toEqual([["pod:ns/b", 4]]);
    expect(rows("MATCH (n:OnAttackPath) RETURN n ORDER BY n")).toEqual([["pod:ns/a"], ["pod:ns/b"], ["pod:ns/c"]]);
    expect(rows("MATCH (n:Container) RETURN n")).toEqual([]);
  });

  it("expands variable-length relationships with bounds, edge uniqueness and the hop cap", () => {
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT*1..2]->(b) RETURN b ORDER BY b')).toEqual([["pod:ns/b"], ["pod:ns/c"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT*2]->(b) RETURN b')).toEqual([["pod:ns/c"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT*0..1]->(b) RETURN b ORDER BY b')).toEqual([["pod:ns/a"], ["pod:ns/b"]]);
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT*..3]->(b) RETURN b ORDER BY b')).toEqual([["pod:ns/b"], ["pod:ns/c"], ["pod:other/d"]]);
    // The a→b→c→d→a cycle: each edge is used at most once per path, so the walk ends.
    const all = runQuery('MATCH p = (a {id: "pod:ns/a"})-[*]->(b) RETURN p ORDER BY length(p), p', chain);
    expect(all.rows).toEqual([
      [["pod:ns/a", "pod:ns/b"]],
      [["pod:ns/a", "pod:other/d"]],
      [["pod:ns/a", "pod:ns/b", "pod:ns/c"]],
      [["pod:ns/a", "pod:other/d", "pod:ns/a"]],
      [["pod:ns/a", "pod:ns/b", "pod:ns/c", "pod:other/d"]],
      [["pod:ns/a", "pod:other/d", "pod:ns/a", "pod:ns/b"]],
      [["pod:ns/a", "pod:ns/b", "pod:ns/c", "pod:other/d", "pod:ns/a"]],
      [["pod:ns/a", "pod:other/d", "pod:ns/a", "pod:ns/b", "pod:ns/c"]],
      [["pod:ns/a", "pod:ns/b", "pod:ns/c", "pod:other/d", "pod:ns/a", "pod:other/d"]],
      [["pod:ns/a", "pod:other/d", "pod:ns/a", "pod:ns/b", "pod:ns/c", "pod:other/d"]],
    ]);
    expect(all.notes).toEqual(["variable-length relationship without an upper bound capped at 8 hops"]);
    const capped = runQuery('MATCH (a {id: "pod:ns/a"})-[*1..20]->(b) RETURN count(*)', chain, { maxHops: 2 });
    expect(capped.rows).toEqual([[4]]);
    expect(capped.notes).toEqual(["variable-length relationship capped at 2 hops (asked for 20)"]);
  });

  it("applies the same edge rules to one hop and to variable-length hops: self-loops once, properties on every hop", () => {
    // x ⟲ L; x → y → z and y → z2 along R with weights.
    const g = new GraphView(
      report(
        [node("pod:ns/x"), node("pod:ns/y"), node("pod:ns/z"), node("pod:ns/z2")],
        [edge("pod:ns/x", "L", "pod:ns/x"), edge("pod:ns/x", "R", "pod:ns/y", { w: 1 }), edge("pod:ns/y", "R", "pod:ns/z", { w: 2 }), edge("pod:ns/y", "R", "pod:ns/z2", { w: 1 })],
      ),
    );
    const q = (text: string) => runQuery(text, g).rows;
    // An undirected self-loop is one match, not one per end, and is used once per path.
    expect(q('MATCH (a {id: "pod:ns/x"})-[:L]-(b) RETURN count(*)')).toEqual([[1]]);
    expect(q('MATCH (a {id: "pod:ns/x"})-[:L*1..3]-(b) RETURN count(*)')).toEqual([[1]]);
    expect(q('MATCH (a {id: "pod:ns/x"})-[:L*0..3]-(b) RETURN count(*)')).toEqual([[2]]);
    // Relationship properties hold on each hop of a variable-length pattern, in both walk directions.
    expect(q('MATCH (a {id: "pod:ns/x"})-[:R {w: 1}]->(b) RETURN b')).toEqual([["pod:ns/y"]]);
    expect(q('MATCH (a {id: "pod:ns/x"})-[:R*1..2 {w: 1}]->(b) RETURN b ORDER BY b')).toEqual([["pod:ns/y"], ["pod:ns/z2"]]);
    expect(q('MATCH (a)-[:R*1..2 {w: 1}]->(b {id: "pod:ns/z2"}) RETURN a ORDER BY a')).toEqual([["pod:ns/x"], ["pod:ns/y"]]);
    expect(q('MATCH (a)<-[:R*2 {w: 1}]-(b) RETURN a, b')).toEqual([["pod:ns/z2", "pod:ns/x"]]);
  });

  it("walks variable-length patterns backwards when anchored on the right", () => {
    expect(rows('MATCH p = (a)-[:NEXT*2..3]->(d {id: "pod:other/d"}) RETURN p ORDER BY length(p)')).toEqual([
      [["pod:ns/b", "pod:ns/c", "pod:other/d"]],
      [["pod:ns/a", "pod:ns/b", "pod:ns/c", "pod:other/d"]],
    ]);
  });

  it("binds relationship variables and paths", () => {
    expect(rows('MATCH (a {id: "pod:ns/a"})-[r:NEXT]->(b:Pod) RETURN r, type(r), r.weight, startNode(r), endNode(r)')).toEqual([
      [{ kind: "NEXT", from: "pod:ns/a", to: "pod:ns/b" }, "NEXT", 1, "pod:ns/a", "pod:ns/b"],
    ]);
    expect(rows('MATCH (a {id: "pod:ns/a"})-[r:NEXT*2]->(b) RETURN r, size(r)')).toEqual([
      [[{ kind: "NEXT", from: "pod:ns/a", to: "pod:ns/b" }, { kind: "NEXT", from: "pod:ns/b", to: "pod:ns/c" }], 2],
    ]);
    expect(rows('MATCH (a)-[r:NEXT {weight: 2}]->(b) RETURN a, b')).toEqual([["pod:ns/b", "pod:ns/c"]]);
    expect(rows('MATCH p = (a:Pod {name: "a"})-[:NEXT]->(b)-[:NEXT]->(c) RETURN p, nodes(p), length(p)')).toEqual([
      [["pod:ns/a", "pod:ns/b", "pod:ns/c"], ["pod:ns/a", "pod:ns/b", "pod:ns/c"], 2],
    ]);
    // Anchored in the middle: the path is still assembled left to right.
    expect(rows('MATCH p = (a)-[:SKIP]->(d)-[:BACK]->(x {id: "pod:ns/a"})-[:NEXT*1..2]->(c) RETURN p ORDER BY length(p)')).toEqual([
      [["pod:ns/a", "pod:other/d", "pod:ns/a", "pod:ns/b"]],
      [["pod:ns/a", "pod:other/d", "pod:ns/a", "pod:ns/b", "pod:ns/c"]],
    ]);
    // The NEXT edge a→b is already used by the first hop, so it cannot close the pattern again.
    expect(rows('MATCH (a)-[:NEXT]->(b {id: "pod:ns/b"})<-[:NEXT*1..2]-(c) RETURN c')).toEqual([]);
  });

  it("joins comma patterns and MATCH clauses on shared variables; cross product otherwise", () => {
    expect(rows('MATCH (a)-[:NEXT]->(b), (b)-[:NEXT]->(c) RETURN a, c ORDER BY a')).toEqual([
      ["pod:ns/a", "pod:ns/c"],
      ["pod:ns/b", "pod:other/d"],
    ]);
    expect(rows('MATCH (a)-[:SKIP]->(d) MATCH (d)-[:BACK]->(x) RETURN a, d, x')).toEqual([["pod:ns/a", "pod:other/d", "pod:ns/a"]]);
    expect(rows("MATCH (n:Node), (m:Pod {namespace: \"other\"}) RETURN n, m")).toEqual([["node:e", "pod:other/d"]]);
    // Within one MATCH a relationship is used once: a-NEXT-b cannot be matched twice in the same row.
    expect(rows('MATCH (a {id: "pod:ns/a"})-[:NEXT]-(b)-[:NEXT]-(c) RETURN c')).toEqual([["pod:ns/c"]]);
  });

  it("keeps rows without a match in OPTIONAL MATCH, with nulls", () => {
    expect(rows("MATCH (n:Pod) OPTIONAL MATCH (n)-[:SKIP]->(m) RETURN n, m ORDER BY n")).toEqual([
      ["pod:ns/a", "pod:other/d"],
      ["pod:ns/b", null],
      ["pod:ns/c", null],
      ["pod:other/d", null],
    ]);
    expect(rows("MATCH (n:Pod) OPTIONAL MATCH (n)-->(m) WHERE m.rank = 3 RETURN n, m.name ORDER BY n")).toEqual([
      ["pod:ns/a", null],
      ["pod:ns/b", "c"],
      ["pod:ns/c", null],
      ["pod:other/d", null],
    ]);
  });
});

describe("evaluate: expressions and null semantics", () => {
  it("flattens properties and exposes id, kind, name and namespace", () => {
    expect(rows('MATCH (n {id: "pod:ns/a"}) RETURN n.id, n.kind, n.name, n.namespace, n.rank, n.tags, n.sc.privileged, n.nothing, kind(n), labels(n)')).toEqual([
      ["pod:ns/a", "pod", "a", "ns", 1, ["x", "y"], true, null, "pod", ["pod"]],
    ]);
    expect(rows("MATCH (n:Pod) WHERE n.privileged = true RETURN n")).toEqual([["pod:ns/c"]]);
    expect(rows("MATCH (n:Pod) WHERE n.privileged = false RETURN n")).toEqual([["pod:ns/b"]]);
    expect(rows("MATCH (n:Pod) WHERE n.privileged <> true RETURN n")).toEqual([["pod:ns/b"]]);
  });

  it("treats null as unknown: comparisons, NOT, AND/OR/XOR, IN, IS NULL, exists()", () => {
    expect(sortedRows("MATCH (n) WHERE n.rank = null RETURN n")).toEqual([]);
    expect(sortedRows("MATCH (n) WHERE n.rank IS NULL RETURN n")).toEqual([["pod:other/d"]]);
    expect(sortedRows("MATCH (n) WHERE NOT exists(n.rank) RETURN n")).toEqual([["pod:other/d"]]);
    expect(sortedRows("MATCH (n) WHERE n.rank > 1 RETURN n")).toEqual([["node:e"], ["pod:ns/b"], ["pod:ns/c"]]);
    expect(sortedRows("MATCH (n) WHERE NOT n.rank > 1 RETURN n")).toEqual([["pod:ns/a"]]);
    expect(sortedRows("MATCH (n) WHERE n.rank > 2 OR n.rank IS NULL RETURN n")).toEqual([["pod:ns/c"], ["pod:other/d"]]);
    expect(sortedRows("MATCH (n) WHERE n.rank = 2 XOR n.kind = \"node\" RETURN n")).toEqual([["pod:ns/b"]]);
    expect(sortedRows("MATCH (n) WHERE n.rank IN [1, 3] RETURN n")).toEqual([["pod:ns/a"], ["pod:ns/c"]]);
    expect(sortedRows("MATCH (n) WHERE NOT n.rank IN [1, null] RETURN n")).toEqual([]);
    expect(rows('RETURN null = null, 1 = "1", NOT null, null OR true, null AND false, 1 IN [null, 1], 2 IN [null, 1], "x" IN ["x"], [1, 2] = [1, 2]')).toEqual([
      [null, false, null, true, false, true, null, true, true],
    ]);
  });

  it("evaluates string predicates, arithmetic and functions", () => {
    expect(sortedRows('MATCH (n) WHERE n.id STARTS WITH "pod:ns/" AND NOT n.name ENDS WITH "c" RETURN n')).toEqual([["pod:ns/a"], ["pod:ns/b"]]);
    expect(sortedRows('MATCH (n) WHERE n.id CONTAINS "other" RETURN n')).toEqual([["pod:other/d"]]);
    expect(rows('RETURN 1 + 2 * 3, (1 + 2) * 3, 7 % 4, 10 / 4, -(2 - 5), "a" + 1, [1] + [2], 1 / 0, toLower("AbC"), toUpper("x"), toInteger("42"), toString(5), coalesce(null, 2, 3), size("abc")')).toEqual([
      [7, 9, 3, 2.5, 3, "a1", [1, 2], null, "abc", "X", 42, "5", 2, 3],
    ]);
  });

  it("answers insight predicates as a label and as functions", () => {
    expect(rows("MATCH (n) WHERE n:HasInsight AND n.rank > 1 RETURN n")).toEqual([["pod:ns/c"]]);
    expect(rows('MATCH (n) WHERE hasInsight(n, "internet-exposed") RETURN n, insights(n)')).toEqual([["pod:ns/a", ["Internet-Exposed"]]]);
    expect(sortedRows("MATCH (n:Pod) WHERE hasInsight(n) RETURN n")).toEqual([["pod:ns/a"], ["pod:ns/c"]]);
    expect(rows('MATCH (n:Pod {name: "b"}) RETURN hasInsight(n, "x"), pathsCut(n), n:ChokePoint, n:Node')).toEqual([[false, 4, true, false]]);
  });

  it("binds $parameters in patterns, WHERE, ranges and LIMIT", () => {
    expect(rows("MATCH (n:Pod {namespace: $ns})-[*1..$hops]->(m) WHERE n.rank >= $min RETURN DISTINCT m LIMIT $lim", chain, { ns: "ns", hops: 1, min: 2, lim: 5 })).toEqual([
      ["pod:ns/c"],
      ["pod:other/d"],
    ]);
    expect(() => rows("MATCH (n) WHERE n.rank = $missing RETURN n")).toThrow(/missing parameter \$missing/);
    expect(() => rows("MATCH (n) RETURN n LIMIT $l", chain, { l: -1 })).toThrow(/LIMIT must be a non-negative integer/);
  });
});

describe("evaluate: RETURN", () => {
  it("groups implicitly by the non-aggregate columns", () => {
    expect(rows("MATCH (n) RETURN n.kind AS kind, count(*) AS n, count(n.rank), collect(n.name), min(n.rank), max(n.rank), sum(n.rank), avg(n.rank) ORDER BY kind")).toEqual([
      ["node", 1, 1, ["e"], 2, 2, 2, 2],
      ["pod", 4, 3, ["a", "b", "c", "d"], 1, 3, 6, 2],
    ]);
    expect(rows("MATCH (a)-->(b) RETURN count(DISTINCT a), count(a), count(DISTINCT b.namespace)")).toEqual([[4, 5, 2]]);
    expect(rows("MATCH (a)-->(b) RETURN a.namespace, count(*) * 10 AS weighted ORDER BY weighted")).toEqual([
      ["other", 10],
      ["ns", 40],
    ]);
  });

  it("aggregates over no rows: one row when every column aggregates, none when grouping", () => {
    expect(rows("MATCH (n:Container) RETURN count(*), collect(n), max(n.x)")).toEqual([[0, [], null]]);
    expect(rows("MATCH (n:Container) RETURN n.name, count(*)")).toEqual([]);
  });

  it("applies DISTINCT to whole rows", () => {
    expect(rows("MATCH (a)-->(b) RETURN DISTINCT a.namespace ORDER BY a.namespace")).toEqual([["ns"], ["other"]]);
    expect(rows("MATCH (a)-->(b) RETURN DISTINCT a.namespace, b.namespace ORDER BY a.namespace, b.namespace")).toEqual([
      ["ns", "ns"],
      ["ns", "other"],
      ["other", "ns"],
    ]);
  });

  it("orders by columns, aliases or other expressions; nulls last ascending and first descending", () => {
    expect(rows("MATCH (n) RETURN n.rank ORDER BY n.rank")).toEqual([[1], [2], [2], [3], [null]]);
    expect(rows("MATCH (n) RETURN n.rank AS r ORDER BY r DESC")).toEqual([[null], [3], [2], [2], [1]]);
    expect(rows("MATCH (n:Pod) RETURN n.name ORDER BY n.id DESC")).toEqual([["d"], ["c"], ["b"], ["a"]]);
    expect(rows("MATCH (n) RETURN n ORDER BY n.rank DESC, n.kind ASC")).toEqual([["pod:other/d"], ["pod:ns/c"], ["node:e"], ["pod:ns/b"], ["pod:ns/a"]]);
  });

  it("applies SKIP and LIMIT after ordering", () => {
    expect(rows("MATCH (n:Pod) RETURN n.name ORDER BY n.name SKIP 1 LIMIT 2")).toEqual([["b"], ["c"]]);
    expect(rows("MATCH (n:Pod) RETURN n.name ORDER BY n.name SKIP 10")).toEqual([]);
    expect(rows("MATCH (n:Pod) RETURN n.name LIMIT 0")).toEqual([]);
  });

  it("names columns by alias or expression text; RETURN * lists named variables", () => {
    const r = runQuery("MATCH (a:Pod {name: 'a'})-[r:SKIP]->(b) RETURN a.name, count(*), b AS target, hasInsight(a, 'x')", chain);
    expect(r.columns).toEqual(["a.name", "count(*)", "target", 'hasInsight(a, "x")']);
    const star = runQuery("MATCH p = (a:Pod {name: 'a'})-[r:SKIP]->(b) RETURN *", chain);
    expect(star.columns).toEqual(["a", "b", "r", "p"]);
    expect(star.rows).toEqual([["pod:ns/a", "pod:other/d", { kind: "SKIP", from: "pod:ns/a", to: "pod:other/d" }, ["pod:ns/a", "pod:other/d"]]]);
  });
});

describe("evaluate: models and limits", () => {
  it("evaluates a model built by hand (as a UI query builder would) and validates it", () => {
    const model: QueryModel = {
      version: 1,
      matches: [{ patterns: [{ start: { variable: "n", labels: [["pod"]], properties: { namespace: { type: "literal", value: "other" } } }, steps: [] }] }],
      return: { distinct: false, star: false, items: [{ expression: { type: "variable", name: "n" } }], orderBy: [] },
    };
    expect(evaluate(model, chain)).toEqual({ columns: ["n"], rows: [["pod:other/d"]], truncated: false });
    const bad = structuredClone(model);
    bad.matches[0]!.patterns[0]!.start.labels = [["Pods"]];
    expect(() => evaluate(bad, chain)).toThrow(InputError);
    expect(() => evaluate({ version: 2 } as unknown as QueryModel, chain)).toThrow(/not an explorer query model/);
  });

  const clique = (n: number) => {
    const nodes = Array.from({ length: n }, (_, i) => node(`pod:ns/p${i}`, { i }));
    const edges = nodes.flatMap((a) => nodes.filter((b) => b !== a).map((b) => edge(a.id, "LINK", b.id)));
    return new GraphView(report(nodes, edges));
  };

  it("caps rows at maxRows and says so; LIMIT below the cap is not truncation", () => {
    const view = clique(40);
    const capped = runQuery("MATCH (a)-->(b) RETURN a, b", view, { maxRows: 100 });
    expect(capped.rows).toHaveLength(100);
    expect(capped.truncated).toBe(true);
    const ordered = runQuery("MATCH (a)-->(b) RETURN a.i AS i ORDER BY i DESC", view, { maxRows: 3 });
    expect(ordered.rows).toEqual([[39], [39], [39]]);
    expect(ordered.truncated).toBe(true);
    expect(runQuery("MATCH (a)-->(b) RETURN a LIMIT 100", view, { maxRows: 100 }).truncated).toBe(false);
    expect(runQuery("MATCH (a) RETURN a", view).rows).toHaveLength(40);
    expect(runQuery("MATCH (a)-->(b) RETURN a", view).truncated).toBe(true); // 1,560 rows > default 1,000
  });

  it("stops exploring once enough rows are found (no ORDER BY, no aggregates)", () => {
    const view = clique(60);
    // 60·59·58 ≈ 205k two-hop matches, but LIMIT 5 needs only a handful of steps.
    expect(runQuery("MATCH (a)-->(b)-->(c) RETURN a, b, c LIMIT 5", view, { maxBindings: 1000 }).rows).toHaveLength(5);
  });

  it("fails with LimitExceededError past the binding budget or the time budget", () => {
    const view = clique(60);
    expect(() => runQuery("MATCH (a)-->(b)-->(c) RETURN count(*)", view, { maxBindings: 10_000 })).toThrow(LimitExceededError);
    expect(() => runQuery("MATCH (a)-->(b)-->(c) RETURN count(*)", view, { maxBindings: 10_000 })).toThrow(/more than 10000 partial matches/);
    let err: unknown;
    try {
      runQuery("MATCH (a)-->(b)-->(c)-->(d) RETURN count(*)", view, { timeBudgetMs: 20, maxBindings: 1e12 });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(LimitExceededError);
    expect((err as Error).message).toMatch(/time budget of 20 ms/);
  });

  it("starts each pattern at its most selective node, so a selective end is cheap", () => {
    const view = clique(300); // ~90k edges
    // From the id-anchored end this is 299 steps; from the other end it would be ~90k.
    expect(runQuery('MATCH (a)-->(b {id: "pod:ns/p7"}) RETURN count(*)', view, { maxBindings: 1000 }).rows).toEqual([[299]]);
    // A pushed-down WHERE prunes as soon as its variables are bound.
    expect(runQuery("MATCH (a)-->(b)-->(c) WHERE a.i = 1 AND b.i = 2 RETURN count(*)", view, { maxBindings: 2000 }).rows).toEqual([[299]]);
  });

  it("reuses one GraphView across queries and builds property indexes on demand", () => {
    const view = clique(50);
    expect(view.nodesByProperty("pod", "i", 3).map((n) => n.id)).toEqual(["pod:ns/p3"]);
    expect(runQuery("MATCH (a:Pod {i: 3}) RETURN a", view, { maxBindings: 5 }).rows).toEqual([["pod:ns/p3"]]);
    expect(parseQuery("MATCH (a) RETURN a")).toBeDefined();
  });
});
