// Each hostile input through a real entry point of a real local host running in a child process
// (test/support/host-process.ts): the answer is clear (an error naming the limit, or the bounded
// answer), GET /api/health keeps answering within 1 s while the input is processed, and the child's
// peak RSS and the wall time stay under generous bounds. One child serves every case of this file.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHostProcess, type HostProcess, type Measured } from "../support/host-process.js";
import { dpkgStatus } from "../scanner/image/helpers.js";
import {
  base256SizeHeader,
  gzipBomb,
  longNameChain,
  manyEntriesLayer,
  nestedJar,
  notChain,
  overlappingJar,
  tar,
  tarHeader,
  writeHostileLayout,
  zstdBombLayer,
  zstdWideWindow,
  type HostileLayer,
  type TarItem,
} from "./generators.js";

/**
 * Generous bounds (the numbers measured are in docs/security.md). The child idles at about 250 MB
 * and the bombs below decompress to 512 MiB–1 GiB, so a reader that buffered one would cross
 * PEAK_RSS_MB; a parser that spun would cross WALL_MS; a host thread that did the work itself would
 * miss HEALTH_MS. None of them is a speed test.
 */
const HEALTH_MS = 1000;
const PEAK_RSS_MB = 512;
const WALL_MS = 30_000;

const MB = 1024 * 1024;
const ZSTD = "application/vnd.oci.image.layer.v1.tar+zstd";

let host: HostProcess;
let layouts: string;
const measured: string[] = [];

beforeAll(async () => {
  layouts = await mkdtemp(join(tmpdir(), "vantage-hostile-"));
  host = await startHostProcess({ layouts });
  // One ordinary image first: the worker pool, the feed and the code paths are warm, so each case
  // measures its input and not the host's first scan.
  const digest = await writeHostileLayout(join(layouts, "hostile/ordinary"), [gz([osRelease, status])]);
  const { result } = await host.scan("hostile/ordinary", digest);
  expect(result, host.log()).toMatchObject({ ok: true });
}, 60_000);

afterAll(async () => {
  const exit = await host?.stop();
  console.info(`hostile inputs through the host (wall, worst health, polls, peak RSS):\n${measured.join("\n")}\nthe child's lifetime peak RSS: ${Math.round((exit?.maxRssKb ?? NaN) / 1024)} MB`);
  // The child's own account of its whole life (every case): still under the bound.
  expect(exit?.maxRssKb).toBeGreaterThan(0);
  expect(exit!.maxRssKb! / 1024).toBeLessThan(PEAK_RSS_MB);
  await rm(layouts, { recursive: true, force: true });
});

/** The bounds every case must keep, with the numbers in the failure message. */
function bounded<T>(m: Measured<T>): Measured<T> {
  const numbers = `${JSON.stringify({ wallMs: m.wallMs, healthWorstMs: m.healthWorstMs, polls: m.healthPolls, peakRssMb: m.peakRssMb })}\n${host.log()}`;
  measured.push(`${expect.getState().currentTestName?.split(" > ").pop()?.slice(0, 60)}: ${numbers.split("\n")[0]}`);
  expect(m.healthPolls, numbers).toBeGreaterThan(0);
  expect(m.healthWorstMs, numbers).toBeLessThanOrEqual(HEALTH_MS);
  expect(m.peakRssMb, numbers).toBeLessThan(PEAK_RSS_MB);
  expect(m.wallMs, numbers).toBeLessThan(WALL_MS);
  return m;
}

const osRelease: TarItem = { name: "etc/os-release", data: 'ID=debian\nVERSION_ID="12"\n' };
const status: TarItem = { name: "var/lib/dpkg/status", data: dpkgStatus([["bash", "5.2"]]) };
const gz = (items: TarItem[]): HostileLayer => ({ data: gzipSync(tar(items)) });

let repos = 0;
/** Writes an image of `layers` (in `order`) as a new repository and scans it through an ImagePushed delivery. */
async function scanImage(layers: HostileLayer[], order?: number[]) {
  const repository = `hostile/case${++repos}`;
  const digest = await writeHostileLayout(join(layouts, repository), layers, order);
  const m = bounded(await host.measure(() => host.scan(repository, digest)));
  const { outcome, result } = m.result;
  expect(outcome, host.log()).toMatchObject({ action: "started" });
  const image = (await host.request("/api/images")).body.images.find((i: { digest: string }) => i.digest === digest);
  return { ...m, scan: result as { ok: boolean; error?: string; skipped?: string }, image };
}

describe("hostile images, scanned by the host on an ImagePushed delivery", () => {
  it("a gzip bomb layer (512 MiB of zeros in 0.5 MB) streams through: the image's packages, bounded memory", async () => {
    const r = await scanImage([gz([osRelease, status]), { data: gzipBomb(512 * MB) }]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });

  it("a zstd bomb layer (1 GiB of RLE blocks in 35 KB) streams through; a 2 GiB zstd window is refused naming maxZstdWindow", async () => {
    const r = await scanImage([{ data: zstdBombLayer(1024 * MB, [osRelease, status]), mediaType: ZSTD }]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
    const wide = await scanImage([gz([osRelease, status]), { data: zstdWideWindow(31), mediaType: ZSTD }]);
    expect(wide.scan).toMatchObject({ ok: false, error: expect.stringMatching(/zstd window of 2147483648 bytes exceeds maxZstdWindow \(134217728\)/) });
    expect(wide.image).toBeUndefined(); // nothing partial written
  });

  it("a tar bomb of a million empty entries is walked within its entry budget", async () => {
    const r = await scanImage([gz([osRelease, status]), { data: manyEntriesLayer(1_048_576) }]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });

  it("tar headers declaring huge sizes (1 TiB base-256, 8 GiB octal) over a short stream: a clear error, nothing allocated for them", async () => {
    const tib = gzipSync(Buffer.concat([base256SizeHeader("var/lib/dpkg/status", 1n << 40n), Buffer.alloc(4096)]));
    const r = await scanImage([gz([osRelease]), { data: tib }]);
    expect(r.scan).toMatchObject({ ok: false, error: expect.stringMatching(/layer sha256:[0-9a-f]{64}.*(truncated|end)/i) });
    expect(r.image).toBeUndefined();
    const octal = gzipSync(Buffer.concat([tarHeader("opt/big", 8 * 1024 ** 3 - 1), Buffer.alloc(4096)]));
    const r2 = await scanImage([{ data: octal }]);
    expect(r2.scan).toMatchObject({ ok: false, error: expect.stringMatching(/layer sha256:[0-9a-f]{64}.*(truncated|end)/i) });
  });

  it("a chain of 64 GNU long names of 1 MB each: bounded, and a 2 MB long name is refused naming the bound", async () => {
    const r = await scanImage([gz([osRelease, status]), { data: longNameChain(64, 1000 * 1024) }]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
    const huge = await scanImage([{ data: longNameChain(1, 2 * MB) }]);
    expect(huge.scan).toMatchObject({ ok: false, error: expect.stringMatching(/tar metadata entry larger than 1048576 bytes/) });
  });

  it("a jar whose 20,000 entries overlap one deflated bomb is inflated once", async () => {
    const r = await scanImage([gz([osRelease, status, { name: "app/lib/bomb.jar", data: overlappingJar(20_000, 8 * MB, 4 * MB) }])]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });

  it("jars nested 200 deep are read 3 levels down", async () => {
    const r = await scanImage([gz([osRelease, status, { name: "app/deep.jar", data: nestedJar(200) }])]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });

  it("a manifest listing one bomb layer 5,000 times reads it once", async () => {
    // Charged 5,000 times, its 64 MiB would exceed maxImageBytes (64 GiB): success means read once.
    const r = await scanImage([gz([osRelease, status]), { data: gzipBomb(64 * MB) }], [0, ...Array<number>(5000).fill(1)]);
    expect(r.scan, host.log()).toMatchObject({ ok: true });
    expect(r.image).toMatchObject({ packages: 1 });
  });
});

describe("hostile requests", () => {
  const query = (body: unknown) => host.measure(() => host.request("/api/query", { method: "POST", body }));

  it("collect($L + [a.id]) over a list at the item limit: 413 naming the limit", async () => {
    const L = Array.from({ length: 10_000 }, (_, i) => i);
    const over = bounded(await query({ query: "MATCH (a:Pod) RETURN collect($L + [a.id]) AS c", params: { L: [...L, 1] } }));
    expect(over.result).toMatchObject({ status: 413, body: { error: { message: expect.stringMatching(/^query exceeded maxListItems \(10000\)/) } } });
    const at = bounded(await query({ query: "MATCH (a:Pod) RETURN collect($L + [a.id]) AS c", params: { L } }));
    expect(at.result).toMatchObject({ status: 413, body: { error: { message: expect.stringMatching(/^query exceeded maxListItems \(10000\): a list concatenation would hold 10001 items/) } } });
  });

  it("a.id + b.id IN $L over every pair of 1,500 pods: 413 naming the limit it reached", async () => {
    const L = Array.from({ length: 10_000 }, (_, i) => `pod:ns/p${i}pod:ns/p${i}`);
    const r = bounded(await query({ query: "MATCH (a:Pod), (b:Pod) WHERE a.id + b.id IN $L RETURN count(*) AS n", params: { L } }));
    expect(r.result).toMatchObject({ status: 413, body: { error: { message: expect.stringMatching(/^query exceeded (maxBindings|timeBudgetMs)/) } } });
  });

  it("a 2,000× NOT chain: 400 with the nesting bound", async () => {
    const r = bounded(await query({ query: notChain(2000) }));
    expect(r.result).toMatchObject({ status: 400 });
  });

  it("a malformed principal: 401, for every shape", async () => {
    for (const bad of ["%%%", Buffer.from("not json").toString("base64"), Buffer.from(JSON.stringify({ claims: 5 })).toString("base64")]) {
      const r = bounded(await host.measure(() => host.request("/api/findings", { headers: { "x-ms-client-principal-id": "", "x-ms-client-principal": bad } })));
      expect(r.result, bad).toMatchObject({ status: 401, body: { error: { message: expect.stringMatching(/x-ms-client-principal/) } } });
    }
  });

  it("a pricings/write event for a subscription nobody onboarded is ignored: nothing written", async () => {
    const sub = "33333333-3333-4333-8333-333333333333";
    const resourceUri = `/subscriptions/${sub}/providers/Microsoft.Security/pricings/Containers`;
    const event = { id: crypto.randomUUID(), topic: `/subscriptions/${sub}`, subject: resourceUri, eventType: "Microsoft.Resources.ResourceWriteSuccess", eventTime: new Date().toISOString(), data: { operationName: "Microsoft.Security/pricings/write", resourceUri, subscriptionId: sub, status: "Succeeded" }, dataVersion: "2", metadataVersion: "1" };
    const r = bounded(await host.measure(() => host.request("/api/events", { method: "POST", body: [event] })));
    expect(r.result).toMatchObject({ status: 200, body: { outcomes: [{ action: "ignored", reason: expect.stringMatching(new RegExp(`${sub}.*not a subscription Vantage can onboard`)) }] } });
    const subs = (await host.request("/api/subscriptions")).body.subscriptions as { subscriptionId: string }[];
    expect(subs.map((s) => s.subscriptionId)).not.toContain(sub);
  });
});
