import { describe, expect, it } from "vitest";
import { parseQuery, printQuery, type Expression, type QueryModel } from "../../shared/explorer/index.js";
import { InputError } from "../../shared/errors.js";

/** The model without source positions, for structural comparison. */
function strip<T>(value: T): T {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === "pos" ? undefined : v))) as T;
}

function where(query: string): Expression {
  return strip(parseQuery(query).matches[0]!.where!);
}

function errorOf(query: string): string {
  try {
    parseQuery(query);
  } catch (err) {
    expect(err).toBeInstanceOf(InputError);
    return (err as Error).message;
  }
  throw new Error(`expected a parse error for: ${query}`);
}

describe("parseQuery: patterns", () => {
  it("parses labels, property maps and both relationship directions into the model", () => {
    const m = strip(parseQuery('MATCH (p:Pod {namespace: "shop", replicas: 2})-[:CONTAINS]->(c:Container)<-[r:POD_EXEC]-(ps:PermissionSet) RETURN p'));
    const pattern = m.matches[0]!.patterns[0]!;
    expect(pattern.start).toEqual({
      variable: "p",
      labels: [["Pod"]],
      properties: { namespace: { type: "literal", value: "shop" }, replicas: { type: "literal", value: 2 } },
    });
    expect(pattern.steps.map((s) => [s.relationship.direction, s.relationship.types, s.relationship.variable])).toEqual([
      ["out", ["CONTAINS"], undefined],
      ["in", ["POD_EXEC"], "r"],
    ]);
    expect(pattern.steps[1]!.node.labels).toEqual([["PermissionSet"]]);
  });

  it("parses untyped, undirected, alternative and multi-label forms", () => {
    const m = strip(parseQuery("MATCH (a)-->(b)--(c)<--(d), (e:Pod:HasInsight)-[:TOKEN_STEAL|:TOKEN_LIST|ROLE_BIND]-(f:Pod|Container) RETURN a"));
    const [p1, p2] = m.matches[0]!.patterns;
    expect(p1!.steps.map((s) => [s.relationship.direction, s.relationship.types])).toEqual([
      ["out", []],
      ["both", []],
      ["in", []],
    ]);
    expect(p2!.start.labels).toEqual([["Pod"], ["HasInsight"]]);
    expect(p2!.steps[0]!.relationship.types).toEqual(["TOKEN_STEAL", "TOKEN_LIST", "ROLE_BIND"]);
    expect(p2!.steps[0]!.node.labels).toEqual([["Pod", "Container"]]);
  });

  it("parses variable-length ranges", () => {
    const range = (r: string) => strip(parseQuery(`MATCH (a)-[${r}]->(b) RETURN b`)).matches[0]!.patterns[0]!.steps[0]!.relationship.length;
    expect(range("*")).toEqual({ min: 1 });
    expect(range("*3")).toEqual({ min: 3, max: 3 });
    expect(range("*1..4")).toEqual({ min: 1, max: 4 });
    expect(range("*..3")).toEqual({ min: 1, max: 3 });
    expect(range("*2..")).toEqual({ min: 2 });
    expect(range(":POD_EXEC*0..$n")).toEqual({ min: 0, max: { param: "n" } });
    expect(range(":A")).toBeUndefined();
  });

  it("parses path variables, several MATCH clauses and OPTIONAL MATCH", () => {
    const m = strip(parseQuery("MATCH p = (a:Pod)-[*1..4]->(b:Node) MATCH (b)<--(c) OPTIONAL MATCH (c)-->(d) WHERE d.x = 1 RETURN p, d"));
    expect(m.matches).toHaveLength(3);
    expect(m.matches[0]!.patterns[0]!.variable).toBe("p");
    expect(m.matches[2]!.optional).toBe(true);
    expect(m.matches[2]!.where).toBeDefined();
  });
});

describe("parseQuery: expressions", () => {
  it("follows precedence OR < XOR < AND < NOT < comparison < arithmetic", () => {
    expect(where("MATCH (n) WHERE NOT n.a = 1 OR n.b XOR n.c AND n.d > 2 + 3 * 4 RETURN n")).toEqual({
      type: "binary",
      operator: "or",
      left: { type: "not", operand: { type: "binary", operator: "=", left: prop("n", "a"), right: lit(1) } },
      right: {
        type: "binary",
        operator: "xor",
        left: prop("n", "b"),
        right: {
          type: "binary",
          operator: "and",
          left: prop("n", "c"),
          right: {
            type: "binary",
            operator: ">",
            left: prop("n", "d"),
            right: { type: "binary", operator: "+", left: lit(2), right: { type: "binary", operator: "*", left: lit(3), right: lit(4) } },
          },
        },
      },
    });
  });

  it("parses string predicates, IN lists, null tests, exists, label tests and functions", () => {
    expect(where('MATCH (n) WHERE n.name STARTS WITH "a" AND n.name ENDS WITH \'z\' AND n.name CONTAINS "m" RETURN n')).toMatchObject({
      left: { left: { operator: "starts with" }, right: { operator: "ends with", right: lit("z") } },
      right: { operator: "contains" },
    });
    expect(where('MATCH (n) WHERE n.severity IN ["high", "critical", null] RETURN n')).toEqual({
      type: "binary",
      operator: "in",
      left: prop("n", "severity"),
      right: { type: "list", items: [lit("high"), lit("critical"), lit(null)] },
    });
    expect(where("MATCH (n) WHERE n.x IS NULL OR n.y IS NOT NULL RETURN n")).toEqual({
      type: "binary",
      operator: "or",
      left: { type: "isNull", operand: prop("n", "x"), negated: false },
      right: { type: "isNull", operand: prop("n", "y"), negated: true },
    });
    expect(where("MATCH (n) WHERE exists(n.hostNetwork) RETURN n")).toEqual({ type: "call", name: "exists", args: [prop("n", "hostNetwork")] });
    expect(where("MATCH (n) WHERE n:HasInsight|ChokePoint RETURN n")).toEqual({ type: "hasLabels", variable: "n", labels: [["HasInsight", "ChokePoint"]] });
    expect(where('MATCH (n) WHERE hasInsight(n, "privileged-container") RETURN n')).toEqual({
      type: "call",
      name: "hasInsight",
      args: [{ type: "variable", name: "n" }, lit("privileged-container")],
    });
    expect(where("MATCH (n) WHERE n.a.b = -1.5 AND n.c <> $v RETURN n")).toMatchObject({
      left: { left: { type: "property", key: "b", object: prop("n", "a") }, right: lit(-1.5) },
      right: { operator: "<>", right: { type: "param", name: "v" } },
    });
  });

  it("parses string escapes, comments, backtick names and case-insensitive keywords", () => {
    const m = strip(parseQuery('match (`my node`:pod) // a comment\n/* block */ where `my node`.name = "a\\"b\\n" return `my node`.name as `the name`;'));
    expect(m.matches[0]!.patterns[0]!.start.variable).toBe("my node");
    expect(m.matches[0]!.where).toMatchObject({ right: lit('a"b\n') });
    expect(m.return.items[0]!.alias).toBe("the name");
  });

  it("allows keywords as property keys and labels after '.' or ':'", () => {
    expect(where("MATCH (n) WHERE n.count = 1 AND n.set = 2 AND n.limit = 3 RETURN n")).toMatchObject({
      left: { left: { left: prop("n", "count") }, right: { left: prop("n", "set") } },
      right: { left: prop("n", "limit") },
    });
  });
});

describe("parseQuery: RETURN", () => {
  it("parses DISTINCT, aliases, aggregates, ORDER BY, SKIP and LIMIT", () => {
    const r = strip(parseQuery("MATCH (n:Pod) RETURN DISTINCT n.namespace AS ns, count(*), count(DISTINCT n) AS pods ORDER BY pods DESC, ns ASC SKIP 2 LIMIT $top").return);
    expect(r.distinct).toBe(true);
    expect(r.items.map((i) => i.alias)).toEqual(["ns", undefined, "pods"]);
    expect(r.items[1]!.expression).toEqual({ type: "call", name: "count", args: [], star: true });
    expect(r.items[2]!.expression).toEqual({ type: "call", name: "count", args: [{ type: "variable", name: "n" }], distinct: true });
    expect(r.orderBy.map((o) => o.descending)).toEqual([true, false]);
    expect(r.skip).toBe(2);
    expect(r.limit).toEqual({ param: "top" });
  });

  it("parses RETURN * and a query without MATCH", () => {
    expect(parseQuery("MATCH (a)-->(b) RETURN *").return.star).toBe(true);
    expect(parseQuery("RETURN 1 + 1 AS two").matches).toEqual([]);
  });

  it("prints a model back to text that parses to the same model", () => {
    const queries = [
      'MATCH p = (a:Pod {namespace: "shop"})-[r:POD_EXEC|TOKEN_STEAL*2..5]->(b)<--(c:Node), (`odd var`:Pod {`odd key`: 1}) WHERE a.x >= -1 AND NOT (b:HasInsight OR c.name STARTS WITH "x") XOR `odd var`.v IS NOT NULL RETURN DISTINCT a, count(DISTINCT b) AS n ORDER BY n DESC SKIP 1 LIMIT $lim',
      "MATCH (a)-[*]-(b), (c)-[*3]->(d) OPTIONAL MATCH (d)-[:X*..2]->(e) RETURN *",
      "MATCH (n) WHERE (n.a + 1) * 2 = 4 AND n.s IN [1, 2] RETURN n.a - (1 - 2), -n.b, exists(n.c), count(*)",
    ];
    for (const q of queries) {
      const model: QueryModel = parseQuery(q);
      expect(strip(parseQuery(printQuery(model)))).toEqual(strip(model));
    }
  });
});

describe("parseQuery: errors name line and column and give a hint", () => {
  it("reports an unclosed node pattern at the offending token", () => {
    expect(errorOf("MATCH (p:Pod\nRETURN p")).toMatch(/^line 2, column 1: expected '\)' but found 'RETURN' \(hint: close the node pattern/);
  });

  it("reports a missing RETURN at the end of the query", () => {
    expect(errorOf("MATCH (p:Pod)")).toMatch(/^line 1, column 14: expected RETURN but found end of query \(hint: a query ends with RETURN/);
  });

  it("rejects write clauses as read-only", () => {
    for (const [q, at] of [
      ["MATCH (n)\n  DETACH DELETE n", "line 2, column 3: DETACH"],
      ["CREATE (n:Pod)", "line 1, column 1: CREATE"],
      ["MATCH (n) SET n.x = 1 RETURN n", "line 1, column 11: SET"],
      ["MERGE (n) RETURN n", "line 1, column 1: MERGE"],
      ["MATCH (n) REMOVE n.x RETURN n", "line 1, column 11: REMOVE"],
    ] as const) {
      const message = errorOf(q);
      expect(message.startsWith(at)).toBe(true);
      expect(message).toContain("queries are read-only");
    }
  });

  it("rejects unknown labels but not unknown relationship types", () => {
    expect(errorOf("MATCH (a)\nMATCH (b:Pood) RETURN b")).toMatch(/^line 2, column 7: unknown label :Pood \(hint: labels are node kinds/);
    expect(() => parseQuery("MATCH (a)-[:SOMETHING_NEW]->(b) RETURN b")).not.toThrow();
    expect(() => parseQuery("MATCH (a:permissionset), (b:CLOUDIDENTITY) RETURN a, b")).not.toThrow();
  });

  it("rejects undefined variables, misplaced aggregates and unknown functions", () => {
    expect(errorOf("MATCH (a) RETURN b")).toMatch(/^line 1, column 18: variable `b` is not defined/);
    expect(errorOf("MATCH (a)\nWHERE count(*) > 1 RETURN a")).toMatch(/^line 2, column 7: count\(\) is an aggregate and cannot be used here/);
    expect(errorOf("MATCH (a) RETURN count(count(a))")).toMatch(/cannot be nested/);
    expect(errorOf("MATCH (a) RETURN frob(a)")).toMatch(/^line 1, column 18: unknown function frob\(\)/);
    expect(errorOf("MATCH (a) RETURN exists(a)")).toMatch(/exists\(\) takes one property/);
    expect(errorOf("MATCH (a)-[r]->(b), (c)-[r]->(d) RETURN a")).toMatch(/`r` is already bound/);
  });

  it("reports lexical errors, both-way arrows, empty queries and non-integer ranges", () => {
    expect(errorOf('MATCH (a)\nWHERE a.name = "oops\nRETURN a')).toMatch(/^line 2, column 16: unexpected character '"' \(hint: close the string/);
    expect(errorOf("MATCH (a) WHERE a.x = 1 ^ 2 RETURN a")).toMatch(/^line 1, column 25: unexpected character '\^'/);
    expect(errorOf("MATCH (a)<-[:X]->(b) RETURN a")).toMatch(/^line 1, column 10: a relationship cannot point both ways/);
    expect(errorOf("   ")).toMatch(/the query is empty/);
    expect(errorOf("MATCH (a)-[*1.5]->(b) RETURN a")).toMatch(/^line 1, column 13: expected an integer/);
    expect(errorOf("MATCH (a) RETURN a a")).toMatch(/^line 1, column 20: unexpected 'a' after the end of the query/);
    expect(errorOf("MATCH (a) WHERE RETURN a")).toMatch(/^line 1, column 17: expected an expression but found 'RETURN'/);
  });
});

function prop(variable: string, key: string): Expression {
  return { type: "property", object: { type: "variable", name: variable }, key };
}

function lit(value: string | number | boolean | null): Expression {
  return { type: "literal", value };
}
