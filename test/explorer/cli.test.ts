import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { estate } from "./fixtures.js";

// The graph and manifest modules are built in parallel by other engineers; the CLI is tested
// against stand-ins that return the fixture estate.
const built = vi.hoisted(() => ({ snapshots: [] as unknown[], manifests: [] as string[][] }));
vi.mock("../../shared/graph/index.js", () => ({
  buildSecurityGraph: (snapshot: unknown) => {
    built.snapshots.push(snapshot);
    return estate();
  },
}));
vi.mock("../../shared/kubernetes/manifests/index.js", () => ({
  snapshotFromManifests: async (paths: string[]) => {
    built.manifests.push(paths);
    return { cluster: { name: "offline" }, pods: [] };
  },
}));

const { main } = await import("../../shared/cli/main.js");

const dir = mkdtempSync(path.join(tmpdir(), "vantage-query-"));
const graphFile = path.join(dir, "paths.json");
writeFileSync(graphFile, JSON.stringify(estate()));
const snapshotFile = path.join(dir, "snapshot.json");
writeFileSync(snapshotFile, JSON.stringify({ schemaVersion: 1, cluster: { name: "c" }, pods: [] }));

async function vantage(...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(["query", ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: dir });
  return { code, out: out.join(""), err: err.join("") };
}

const PRIVILEGED = "MATCH (c:Container) WHERE c.privileged = true RETURN c.id AS container ORDER BY container";

describe("vantage query (local graph)", () => {
  it("prints JSON exactly as the API body", async () => {
    const r = await vantage(PRIVILEGED, "--graph", "paths.json", "--format", "json");
    expect(r.code).toBe(0);
    expect(r.out).toBe('{"columns":["container"],"rows":[["container:kube-system/agent/agent"],["container:shop/db/pg"]],"truncated":false}\n');
  });

  it("prints CSV and tables", async () => {
    const csv = await vantage(PRIVILEGED, "--graph", graphFile, "--format", "csv");
    expect(csv.out).toBe("container\r\ncontainer:kube-system/agent/agent\r\ncontainer:shop/db/pg\r\n");
    const table = await vantage(PRIVILEGED, "--graph", graphFile);
    expect(table.out).toContain("container:shop/db/pg");
    expect(table.out).toMatch(/\(2 rows\)\n$/);
  });

  it("builds the graph from a snapshot file or from manifests", async () => {
    const fromSnapshot = await vantage("MATCH (n:Node) RETURN count(*) AS nodes", "--snapshot", "snapshot.json", "--format", "json");
    expect(fromSnapshot.code).toBe(0);
    expect(JSON.parse(fromSnapshot.out).rows).toEqual([[2]]);
    expect(built.snapshots.at(-1)).toMatchObject({ cluster: { name: "c" } });
    const fromManifests = await vantage("MATCH (n:Node) RETURN count(*)", "--manifests", "a.yaml", "b.yaml", "--format", "json");
    expect(fromManifests.code).toBe(0);
    expect(built.manifests.at(-1)).toEqual([path.join(dir, "a.yaml"), path.join(dir, "b.yaml")]);
  });

  it("runs templates with --param", async () => {
    const r = await vantage("--template", "top-choke-points", "--param", "top=2", "--graph", graphFile, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).rows.map((row: unknown[]) => row[0])).toEqual(["container:shop/db/pg", "identity:serviceaccount:shop/web"]);
    const bad = await vantage("--template", "top-choke-points", "--param", "top", "--graph", graphFile);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain("expected NAME=VALUE");
  });

  it("writes notes to stderr, never into the JSON body", async () => {
    const r = await vantage('MATCH (c {id: "container:shop/db/pg"})-[*]->(n:Node) RETURN DISTINCT n', "--graph", graphFile, "--format", "json");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ columns: ["n"], rows: [["node:aks-2"]], truncated: false });
    expect(r.err).toContain("capped at 8 hops");
  });
});

describe("vantage query errors exit 2 with one line", () => {
  it("names line and column of a syntax error, before reading any input", async () => {
    const r = await vantage("MATCH (p:Pod\nRETURN p", "--snapshot", "does-not-exist.json");
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^vantage query: line 2, column 1: expected '\)' but found 'RETURN'/);
    expect(r.err.trim().split("\n")).toHaveLength(1);
    expect(r.out).toBe("");
  });

  it("rejects write queries, missing or conflicting sources, bad files and formats", async () => {
    const cases: [string[], RegExp][] = [
      [["MATCH (n) DELETE n", "--graph", graphFile], /queries are read-only/],
      [["MATCH (n) RETURN n"], /needs one of --manifests/],
      [["MATCH (n) RETURN n", "--graph", graphFile, "--snapshot", snapshotFile], /use one of --snapshot, --graph, not several/],
      [["MATCH (n) RETURN n", "--snapshot", "missing.json"], /--snapshot missing\.json: no such file/],
      [["MATCH (n) RETURN n", "--graph", snapshotFile], /expected the JSON of `vantage paths --format json`/],
      [["MATCH (n) RETURN n", "--graph", graphFile, "--format", "xml"], /--format must be one of table, json, csv/],
      [["MATCH (n) RETURN n", "--graph", graphFile, "--bogus"], /Unknown option '--bogus'/],
      [["--template", "nope", "--graph", graphFile], /unknown template "nope"/],
      [[], /missing QUERY/],
    ];
    for (const [args, message] of cases) {
      const r = await vantage(...args);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.err).toMatch(message);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });
});

describe("vantage query --api", () => {
  let server: Server;
  let base: string;
  const received: unknown[] = [];

  beforeAll(async () => {
    server = createServer(async (req: IncomingMessage, res) => {
      let body = "";
      for await (const chunk of req) body += chunk;
      received.push({ method: req.method, url: req.url, body: JSON.parse(body) });
      const { query } = JSON.parse(body) as { query: string };
      res.setHeader("content-type", "application/json");
      if (query.includes("BROKEN")) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: { code: "BadInput", message: "line 1, column 7: unknown label :BROKEN" } }));
        return;
      }
      res.end(JSON.stringify({ columns: ["a", "b"], rows: [["x,y", 1]], truncated: true }));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("POSTs the query to URL/api/query and prints the answer", async () => {
    const r = await vantage("MATCH (n) RETURN n", "--api", base, "--format", "csv");
    expect(r.code).toBe(0);
    expect(received.at(-1)).toEqual({ method: "POST", url: "/api/query", body: { query: "MATCH (n) RETURN n" } });
    expect(r.out).toBe('a,b\r\n"x,y",1\r\n');
    expect(r.err).toContain("truncated");
  });

  it("sends a template rendered with its parameters", async () => {
    const r = await vantage("--template", "top-choke-points", "--param", "top=3", "--api", `${base}/`, "--format", "json");
    expect(r.code).toBe(0);
    expect((received.at(-1) as { body: { query: string } }).body.query).toContain("LIMIT 3");
  });

  it("turns API errors and unreachable servers into exit 2", async () => {
    const r = await vantage("MATCH (n:Node) WHERE n.name = 'BROKEN' RETURN n", "--api", base);
    expect(r.code).toBe(2);
    expect(r.err).toContain("unknown label :BROKEN");
    const down = await vantage("MATCH (n) RETURN n", "--api", "http://127.0.0.1:9");
    expect(down.code).toBe(2);
    expect(down.err).toContain("cannot reach the server");
  });
});
