import { createServer, type IncomingMessage, type Server } from "node:http";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import { estate } from "./fixtures.js";

const dir = mkdtempSync(path.join(tmpdir(), "vantage-query-"));
const graphFile = path.join(dir, "paths.json");
writeFileSync(graphFile, JSON.stringify(estate()));
// Real manifests for the real manifest reader and graph builder: two nodes, a privileged agent
// DaemonSet, and a web Deployment behind a public LoadBalancer.
const MANIFESTS = {
  "nodes.yaml": `
apiVersion: v1
kind: Node
metadata: {name: aks-pool-1}
status: {addresses: [{type: InternalIP, address: 10.0.0.4}]}
---
apiVersion: v1
kind: Node
metadata: {name: aks-pool-2}
status: {addresses: [{type: InternalIP, address: 10.0.0.5}]}
`,
  "workloads.yaml": `
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: kube-system}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      containers:
        - {name: agent, image: "example.azurecr.io/agent:1.0", securityContext: {privileged: true}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - {name: nginx, image: "nginx:1.25", ports: [{containerPort: 80}], securityContext: {runAsNonRoot: true}}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  type: LoadBalancer
  selector: {app: web}
  ports: [{port: 80, targetPort: 80}]
status: {loadBalancer: {ingress: [{ip: 20.1.2.3}]}}
`,
};
for (const [name, text] of Object.entries(MANIFESTS)) writeFileSync(path.join(dir, name), text.trimStart());
const snapshotFile = path.join(dir, "snapshot.json");

async function run(command: string, ...args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main([command, ...args], { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: dir });
  return { code, out: out.join(""), err: err.join("") };
}
const vantage = (...args: string[]) => run("query", ...args);

beforeAll(async () => {
  // The snapshot file comes from the real `vantage snapshot` on the same manifests.
  const r = await run("snapshot", "--manifests", "nodes.yaml", "workloads.yaml", "--out", snapshotFile);
  expect(r.code, r.err).toBe(0);
});

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

  it("builds the graph from manifests, or from a snapshot file, with the real reader and graph builder", async () => {
    const queries: [string, unknown[][]][] = [
      // Offline, workload templates have no node: their pods land on node:unscheduled.
      ["MATCH (n:Node) RETURN n.id AS node ORDER BY node", [["node:aks-pool-1"], ["node:aks-pool-2"], ["node:unscheduled"]]],
      [PRIVILEGED, [["container:kube-system/agent/agent"]]],
      ["MATCH (p:Pod) WHERE hasInsight(p, 'exposed-to-internet') RETURN p.id", [["pod:shop/web"]]],
    ];
    for (const [query, rows] of queries) {
      const fromManifests = await vantage(query, "--manifests", "nodes.yaml", "workloads.yaml", "--format", "json");
      expect(fromManifests.code, fromManifests.err).toBe(0);
      expect(JSON.parse(fromManifests.out).rows, query).toEqual(rows);
      const fromSnapshot = await vantage(query, "--snapshot", "snapshot.json", "--format", "json");
      expect(fromSnapshot.out).toBe(fromManifests.out);
    }
    const missing = await vantage("MATCH (n) RETURN n", "--manifests", "nope.yaml");
    expect(missing.code).toBe(2);
    expect(missing.err).toContain("nope.yaml");
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
