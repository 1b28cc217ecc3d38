// The limits settings through a real host in a child process (test/support/host-process.ts): the
// app settings VANTAGE_WALK_LIMITS and VANTAGE_QUERY_LIMITS, set in the child's environment, reach
// the image scans an ImagePushed delivery starts and the queries POST /api/query runs. A lowered
// image entry budget stops a moderately sized image with an error naming the limit while
// GET /api/health keeps answering; lowered query limits change real answers.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostProcess, type HostProcess } from "../support/host-process.js";
import { dpkgStatus } from "../scanner/image/helpers.js";
import { manyEntriesLayer, tar, writeHostileLayout, type HostileLayer, type TarItem } from "./generators.js";

const HEALTH_MS = 1000;
const PODS = 40;
const MAX_IMAGE_ENTRIES = 50_000;

let host: HostProcess;
let layouts: string;

beforeAll(async () => {
  layouts = await mkdtemp(join(tmpdir(), "vantage-limits-"));
  host = await startHostProcess({
    layouts,
    pods: PODS,
    env: {
      VANTAGE_WALK_LIMITS: JSON.stringify({ maxImageEntries: MAX_IMAGE_ENTRIES }),
      VANTAGE_QUERY_LIMITS: JSON.stringify({ maxRows: 7, maxListItems: 100 }),
    },
  });
}, 60_000);

afterAll(async () => {
  await host?.stop();
  await rm(layouts, { recursive: true, force: true });
});

const osRelease: TarItem = { name: "etc/os-release", data: 'ID=debian\nVERSION_ID="12"\n' };
const status: TarItem = { name: "var/lib/dpkg/status", data: dpkgStatus([["bash", "5.2"]]) };
const base: HostileLayer = { data: gzipSync(tar([osRelease, status])) };

async function scan(repository: string, layers: HostileLayer[]) {
  const digest = await writeHostileLayout(join(layouts, repository), layers);
  const m = await host.measure(() => host.scan(repository, digest));
  const numbers = `${JSON.stringify({ wallMs: m.wallMs, healthWorstMs: m.healthWorstMs, polls: m.healthPolls, loopMaxMs: m.loopMaxMs })}\n${host.log()}`;
  expect(m.result.outcome, numbers).toMatchObject({ action: "started" });
  expect(m.healthPolls, numbers).toBeGreaterThan(0);
  expect(m.healthWorstMs, numbers).toBeLessThanOrEqual(HEALTH_MS);
  const image = (await host.request("/api/images")).body.images.find((i: { digest: string }) => i.digest === digest);
  return { scan: m.result.result as { ok: boolean; error?: string }, image, numbers };
}

describe("VANTAGE_WALK_LIMITS", () => {
  it("a lowered maxImageEntries stops a 65,536-entry image, naming the limit; nothing is written", async () => {
    const r = await scan("limits/over", [base, { data: manyEntriesLayer(65_536) }]);
    expect(r.scan, r.numbers).toMatchObject({ ok: false, error: expect.stringMatching(new RegExp(`more than maxImageEntries \\(${MAX_IMAGE_ENTRIES}\\) tar entries`)) });
    expect(r.image).toBeUndefined();
  });

  it("an image within the lowered budget is scanned as usual", async () => {
    const r = await scan("limits/under", [base, { data: manyEntriesLayer(16_384) }]);
    expect(r.scan, r.numbers).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });
});

describe("VANTAGE_QUERY_LIMITS", () => {
  it("maxRows: a query over every pod answers 7 rows, truncated", async () => {
    const graphs = (await host.request("/api/graphs")).body.graphs as { nodes: number }[];
    expect(graphs.map((g) => g.nodes)).toEqual([PODS]);
    const r = await host.request("/api/query", { method: "POST", body: { query: "MATCH (p:Pod) RETURN p.id AS id ORDER BY id" } });
    expect(r.status, JSON.stringify(r.body)).toBe(200);
    expect(r.body.rows).toHaveLength(7);
    expect(r.body.truncated).toBe(true);
  });

  it("maxListItems: a 101-item parameter is refused with 413 naming the limit; 100 items are answered", async () => {
    const query = "MATCH (p:Pod) WHERE p.i IN $L RETURN count(p) AS n";
    const over = await host.request("/api/query", { method: "POST", body: { query, params: { L: Array.from({ length: 101 }, (_, i) => i) } } });
    expect(over).toMatchObject({ status: 413, body: { error: { message: expect.stringMatching(/maxListItems \(100\)/) } } });
    const at = await host.request("/api/query", { method: "POST", body: { query, params: { L: Array.from({ length: 100 }, (_, i) => i) } } });
    expect(at, JSON.stringify(at.body)).toMatchObject({ status: 200, body: { rows: [["hostile", PODS]] } });
  });
});
