// Isolation benchmarks, each against a baseline measured in the same run:
//  1. Host event-loop delay p99 while the worst hostile input (a gzip-bomb layer) is cataloged and a
//     worst-case explorer query runs, both in the worker pool; baseline: the same work run on the
//     host thread (VANTAGE_POOL=inline). Goal: ≤ 50 ms in the pool.
//  2. A normal scan (the scan activity's work: catalog + match of a small OCI image, the SBOM
//     serialised for storage) in the pool vs the same task on the calling thread, medians over
//     alternating runs with a warm pool. Goal ratio ≤ 1.1.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { buildImage, writeOciLayout, type LayerFile } from "../demo/runtime/images/index.js";
import type { PathsReport } from "../shared/graph/model.js";
import { DEFAULT_DEADLINES, TaskPool } from "../shared/isolation/index.js";
import type { FeedIndex } from "../shared/scanner/feed/model.js";
import { loadFeedDir } from "../shared/scanner/feed/index.js";
import { packageRoot } from "../shared/package-root.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const MB = 1024 * 1024;

function dpkgStatus(n: number): string {
  return Array.from({ length: n }, (_, i) => `Package: pkg${i}\nStatus: install ok installed\nVersion: 1.${i}-1\nArchitecture: amd64\n`).join("\n");
}

async function normalImage(dir: string): Promise<string> {
  const os: LayerFile[] = [
    { path: "etc/os-release", content: 'ID=debian\nVERSION_ID="12"\n' },
    { path: "var/lib/dpkg/status", content: dpkgStatus(400) },
  ];
  const npm: LayerFile[] = Array.from({ length: 300 }, (_, i) => ({ path: `app/node_modules/m${i}/package.json`, content: JSON.stringify({ name: `m${i}`, version: `1.0.${i}` }) }));
  const py: LayerFile[] = Array.from({ length: 100 }, (_, i) => ({ path: `usr/lib/python3/dist-packages/p${i}-1.${i}.dist-info/METADATA`, content: `Metadata-Version: 2.1\nName: p${i}\nVersion: 1.${i}\n` }));
  const image = await buildImage([{ files: os }, { files: npm }, { files: py }]);
  await writeOciLayout(dir, [{ image, tag: "v1" }]);
  return `oci:${dir}:v1`;
}

async function bombImage(dir: string, size: number): Promise<string> {
  // One huge file of zeros (about size/1000 on the wire) next to a real package database.
  const image = await buildImage([{ files: [{ path: "etc/os-release", content: 'ID=debian\nVERSION_ID="12"\n' }, { path: "var/lib/dpkg/status", content: dpkgStatus(10) }, { path: "opt/blob.bin", content: Buffer.alloc(size) }] }]);
  await writeOciLayout(dir, [{ image, tag: "bomb" }]);
  return `oci:${dir}:bomb`;
}

function podGraph(n: number): PathsReport {
  const nodes = Array.from({ length: n }, (_, i) => ({ id: `pod:ns/p${i}`, kind: "pod" as const, name: `p${i}`, namespace: "ns", properties: { i } }));
  return { graph: { nodes, edges: [] }, insights: [], paths: [], chokePoints: [] } as unknown as PathsReport;
}

async function p99While(work: () => Promise<unknown>): Promise<number> {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  await work();
  h.disable();
  return Math.round((h.percentile(99) / 1e6) * 10) / 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function run(): Promise<BenchResult[]> {
  const scale = benchScale();
  const work = await mkdtemp(join(tmpdir(), "vantage-bench-isolation-"));
  const settings = { threads: 2, heapMb: 1024, deadlines: { ...DEFAULT_DEADLINES, explorerQuery: 60_000 } };
  const pool = new TaskPool({ ...settings, inline: false });
  const inline = new TaskPool({ ...settings, inline: true });
  try {
    const feed: FeedIndex = await loadFeedDir(join(packageRoot(), "demo", "feed"));
    const normal = await normalImage(join(work, "normal"));
    const bomb = await bombImage(join(work, "bomb"), Math.max(16 * MB, Math.round(512 * MB * scale)));
    const graph = podGraph(300);
    const L = Array.from({ length: 10_000 }, (_, i) => [i]);
    const query = {
      query: "MATCH (a:Pod), (b:Pod), (c:Pod) WHERE [a.i] IN $L RETURN count(*)",
      params: { L },
      limits: { timeBudgetMs: Math.max(500, Math.round(3000 * scale)), maxBindings: 1e12 },
      targets: [{ cluster: "bench", clusterId: "bench", digest: "sha256:bench" }],
      single: true,
    };
    const host = { graph: async () => graph };
    const hostile = (p: TaskPool) => () =>
      Promise.allSettled([p.run("catalogImage", { target: bomb }), p.run("explorerQuery", query, { host })]);

    // Warm the pool (threads started, modules loaded, the feed sent) so the measurements are about the work.
    const feedHost = { feed: async () => feed };
    const normalScan = { target: normal, feedHash: feed.version.hash };
    await Promise.all([pool.run("scanImage", normalScan, { host: feedHost }), pool.run("explorerQuery", { ...query, params: { L: [] } }, { host })]);
    const pooled = await p99While(hostile(pool));
    const onThread = await p99While(hostile(inline));

    const scan = async (p: TaskPool) => {
      const t = performance.now();
      await p.run("scanImage", normalScan, { host: feedHost });
      return performance.now() - t;
    };
    // Both threads and this one warm for the scan itself (JIT), after the hostile work above.
    for (let i = 0; i < 4; i++) await Promise.all([scan(pool), scan(pool), scan(inline)]);
    const rounds = Math.max(5, Math.round(21 * Math.min(1, scale * 2)));
    const inPool: number[] = [];
    const inThread: number[] = [];
    for (let i = 0; i < rounds; i++) {
      if (i % 2) {
        inThread.push(await scan(inline));
        inPool.push(await scan(pool));
      } else {
        inPool.push(await scan(pool));
        inThread.push(await scan(inline));
      }
    }
    const a = median(inPool);
    const b = median(inThread);
    return [
      {
        name: "host event-loop delay p99, worst input + worst query in the pool",
        value: pooled,
        unit: "ms",
        baseline: onThread,
        ratio: ratio(pooled, onThread),
        note: `goal ≤ 50 ms; baseline = same work on the host thread; bomb layer ${Math.round(Math.max(16 * MB, 512 * MB * scale) / MB)} MB decompressed`,
      },
      { name: "normal scan (catalog + match + SBOM JSON) in the pool vs in-thread", value: Math.round(a), unit: "ms", baseline: Math.round(b), ratio: ratio(a, b), note: `goal ratio ≤ 1.1; median of ${rounds}, warm pool` },
    ];
  } finally {
    await pool.close();
    await rm(work, { recursive: true, force: true });
  }
}
