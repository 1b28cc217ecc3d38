// VANTAGE_WALK_LIMITS / VANTAGE_QUERY_LIMITS: keys merge over the defaults; anything else is one
// line naming the setting, at start (configFromEnv, checkSettings) and in the CLI (exit 2).
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import { DEFAULT_LIMITS as QUERY_DEFAULTS } from "../../shared/explorer/model.js";
import { DEFAULT_LIMITS as WALK_DEFAULTS } from "../../shared/scanner/image/limits.js";
import { parseLimitOverrides, queryLimitsFromEnv, walkLimitsFromEnv } from "../../shared/settings/limits.js";
import { checkSettings, configFromEnv } from "../../shared/workflows/config.js";

const credential = { getToken: async () => null };

describe("parsing", () => {
  it("unset or empty: no overrides, so the defaults stand", () => {
    expect(walkLimitsFromEnv({})).toEqual({});
    expect(queryLimitsFromEnv({ VANTAGE_QUERY_LIMITS: "  " })).toEqual({});
  });

  it("known keys with positive integers are taken as given", () => {
    expect(walkLimitsFromEnv({ VANTAGE_WALK_LIMITS: '{"maxImageEntries": 250000, "maxFileBytes": 1048576}' })).toEqual({ maxImageEntries: 250_000, maxFileBytes: 1_048_576 });
    expect(queryLimitsFromEnv({ VANTAGE_QUERY_LIMITS: '{"maxRows": 5, "timeBudgetMs": 2000}' })).toEqual({ maxRows: 5, timeBudgetMs: 2000 });
  });

  it("every default key is accepted (the settings cover every limit)", () => {
    expect(walkLimitsFromEnv({ VANTAGE_WALK_LIMITS: JSON.stringify(WALK_DEFAULTS) })).toEqual(WALK_DEFAULTS);
    expect(queryLimitsFromEnv({ VANTAGE_QUERY_LIMITS: JSON.stringify(QUERY_DEFAULTS) })).toEqual(QUERY_DEFAULTS);
  });

  const bad: [string, string, RegExp][] = [
    ["an unknown key", '{"maxImageEntrys": 5}', /^VANTAGE_WALK_LIMITS: unknown limit "maxImageEntrys" \(known: maxLayerBytes, maxEntries, .*maxImageEntries\)$/],
    ["zero", '{"maxEntries": 0}', /^VANTAGE_WALK_LIMITS: maxEntries must be a positive integer \(got 0\)$/],
    ["a negative value", '{"maxEntries": -5}', /maxEntries must be a positive integer \(got -5\)/],
    ["a fraction", '{"maxEntries": 1.5}', /maxEntries must be a positive integer \(got 1.5\)/],
    ["a string number", '{"maxEntries": "1000"}', /maxEntries must be a positive integer \(got "1000"\)/],
    ["beyond exact integers", '{"maxEntries": 1e300}', /maxEntries must be a positive integer/],
    ["null", '{"maxEntries": null}', /maxEntries must be a positive integer \(got null\)/],
    ["an array", "[1, 2]", /^VANTAGE_WALK_LIMITS must be a JSON object of limits \(got \[1,2\]\)$/],
    ["a bare number", "5", /must be a JSON object of limits \(got 5\)/],
    ["not JSON", "{maxEntries: 5}", /^VANTAGE_WALK_LIMITS must be a JSON object of limits, e\.g\. \{"maxLayerBytes": 1000\} \(/],
    ["an inherited name", '{"toString": 5}', /unknown limit "toString"/],
  ];
  for (const [what, raw, message] of bad) {
    it(`${what}: one line naming the setting`, () => {
      let error: Error | undefined;
      try {
        walkLimitsFromEnv({ VANTAGE_WALK_LIMITS: raw });
      } catch (err) {
        error = err as Error;
      }
      expect(error?.message).toMatch(message);
      expect(error?.message).not.toContain("\n");
      expect(error?.name).toBe("InputError");
    });
  }

  it("query limits are checked against the query keys, not the walk keys", () => {
    expect(() => queryLimitsFromEnv({ VANTAGE_QUERY_LIMITS: '{"maxEntries": 5}' })).toThrow(/^VANTAGE_QUERY_LIMITS: unknown limit "maxEntries" \(known: maxRows, /);
    expect(() => parseLimitOverrides("X", '{"maxRows": 0}', QUERY_DEFAULTS)).toThrow(/^X: maxRows must be a positive integer/);
  });
});

describe("at start", () => {
  it("the configuration carries the overrides", () => {
    const config = configFromEnv({ VANTAGE_WALK_LIMITS: '{"maxImageEntries": 7}', VANTAGE_QUERY_LIMITS: '{"maxRows": 3}' }, { credential });
    expect(config.walkLimits).toEqual({ maxImageEntries: 7 });
    expect(config.queryLimits).toEqual({ maxRows: 3 });
  });

  it("checkSettings stops on a malformed limits setting, and passes a good one", () => {
    expect(() => checkSettings({ VANTAGE_QUERY_LIMITS: '{"maxRows": -1}' })).toThrow(/^VANTAGE_QUERY_LIMITS: maxRows must be a positive integer \(got -1\)$/);
    expect(() => checkSettings({ VANTAGE_WALK_LIMITS: '{"maxEntries": 10}', VANTAGE_QUERY_LIMITS: '{"maxRows": 10}' })).not.toThrow();
  });
});

describe("the CLI", () => {
  const saved = { walk: process.env.VANTAGE_WALK_LIMITS, query: process.env.VANTAGE_QUERY_LIMITS };
  afterEach(() => {
    for (const [name, value] of [["VANTAGE_WALK_LIMITS", saved.walk], ["VANTAGE_QUERY_LIMITS", saved.query]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  function capture(cwd: string) {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd }, out: () => out.join(""), err: () => err.join("") };
  }

  it("a malformed VANTAGE_WALK_LIMITS: vantage sbom and scan exit 2 with one line", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vantage-limits-"));
    try {
      process.env.VANTAGE_WALK_LIMITS = '{"maxEntries": "many"}';
      for (const command of ["sbom", "scan"]) {
        const c = capture(dir);
        expect(await main([command, `dir:${dir}`], c.io)).toBe(2);
        expect(c.err()).toBe(`vantage ${command}: VANTAGE_WALK_LIMITS: maxEntries must be a positive integer (got "many")\n`);
        expect(c.out()).toBe("");
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a lowered maxEntries stops vantage sbom on a directory with more files, naming the limit", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vantage-limits-"));
    try {
      for (let i = 0; i < 12; i++) await writeFile(join(dir, `f${i}`), "x");
      process.env.VANTAGE_WALK_LIMITS = '{"maxEntries": 5}';
      const c = capture(dir);
      expect(await main(["sbom", `dir:${dir}`, "--format", "json"], c.io)).toBe(2);
      expect(c.err()).toMatch(/more than maxEntries \(5\) files/);
      delete process.env.VANTAGE_WALK_LIMITS;
      const ok = capture(dir);
      expect(await main(["sbom", `dir:${dir}`, "--format", "json"], ok.io)).toBe(0);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("VANTAGE_QUERY_LIMITS maxRows truncates a local vantage query; a malformed one exits 2", async () => {
    const dir = await mkdtemp(join(tmpdir(), "vantage-limits-"));
    try {
      const nodes = Array.from({ length: 8 }, (_, i) => ({ id: `pod:ns/p${i}`, kind: "pod", name: `p${i}`, namespace: "ns", properties: {} }));
      await writeFile(join(dir, "graph.json"), JSON.stringify({ graph: { nodes, edges: [] } }));
      const run = async () => {
        const c = capture(dir);
        const code = await main(["query", "MATCH (p:Pod) RETURN p.name ORDER BY p.name", "--graph", "graph.json", "--format", "json"], c.io);
        return { code, c };
      };
      const all = await run();
      expect(JSON.parse(all.c.out())).toMatchObject({ truncated: false, rows: expect.any(Array) });
      expect(JSON.parse(all.c.out()).rows).toHaveLength(8);
      process.env.VANTAGE_QUERY_LIMITS = '{"maxRows": 3}';
      const few = await run();
      expect(few.code).toBe(0);
      expect(JSON.parse(few.c.out())).toEqual({ columns: ["p.name"], rows: [["p0"], ["p1"], ["p2"]], truncated: true });
      process.env.VANTAGE_QUERY_LIMITS = '{"rows": 3}';
      const bad = await run();
      expect(bad.code).toBe(2);
      expect(bad.c.err()).toMatch(/^vantage query: VANTAGE_QUERY_LIMITS: unknown limit "rows" \(known: maxRows, /);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
