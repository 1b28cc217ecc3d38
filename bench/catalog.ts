// Layer-walk benchmark: a ≥ 500 MB gzip layer built from this machine's /usr (plus the real dpkg
// status), walked by the streaming walker vs a raw zlib gunzip of the same bytes to nowhere, and a
// cached rescan that must fetch 0 layer bytes. VANTAGE_BENCH_SCALE=0.1 gives a quick run.
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { lstat, opendir, readFile, rename, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import tar from "tar-stream";
import { CATALOGERS } from "../shared/scanner/catalogers/index.js";
import type { Cataloger } from "../shared/scanner/catalogers/types.js";
import { catalogLayers, emptyStats } from "../shared/scanner/image/catalog-layers.js";
import { MemoryLayerCache } from "../shared/scanner/image/layer-facts.js";
import { walkLayer } from "../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../shared/scanner/image/limits.js";

import type { BenchResult } from "./types.js";

const MB = 1024 * 1024;

/** The walk's own cost: two path-only catalogers, as cheap as catalogers get. */
const MINIMAL: Cataloger[] = [
  { name: "os-release", matches: (p) => p === "etc/os-release" || p === "usr/lib/os-release", parse: () => ({ packages: [] }) },
  { name: "dpkg", matches: (p) => p === "var/lib/dpkg/status", parse: (_p, c) => ({ packages: [], warnings: [`${c.length}`] }) },
];

async function* usrFiles(root: string): AsyncGenerator<{ abs: string; rel: string; size: number; mode: number }> {
  const stack = [""];
  while (stack.length) {
    const rel = stack.pop()!;
    let dir;
    try {
      dir = await opendir(join(root, rel));
    } catch {
      continue;
    }
    for await (const d of dir) {
      const r = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) stack.push(r);
      else if (d.isFile()) {
        try {
          const st = await lstat(join(root, r));
          yield { abs: join(root, r), rel: r, size: st.size, mode: st.mode & 0o777 };
        } catch {
          /* vanished */
        }
      }
    }
  }
}

/** Builds (once, cached under the temp dir) a gzip layer of at least `bytes` tar bytes. */
export async function benchLayer(bytes: number): Promise<string> {
  const file = join(tmpdir(), `vantage-bench-layer-${Math.round(bytes / MB)}MB.tar.gz`);
  if (existsSync(file)) return file;
  const pack = tar.pack();
  const out = pipeline(pack, createGzip(), createWriteStream(`${file}.part`));
  const add = (name: string, content: Buffer, mode = 0o644) =>
    new Promise<void>((resolve, reject) => pack.entry({ name, size: content.length, mode }, content, (err) => (err ? reject(err) : resolve())));
  for (const [src, name] of [["/var/lib/dpkg/status", "var/lib/dpkg/status"], ["/etc/os-release", "etc/os-release"]]) {
    if (existsSync(src)) await add(name, await readFile(src));
  }
  let total = 0;
  // Loop over /usr as often as needed (prefixing copies) to reach the size on small machines.
  for (let round = 0; total < bytes; round++) {
    for await (const f of usrFiles("/usr")) {
      if (total >= bytes) break;
      if (f.size > 64 * MB) continue;
      let content: Buffer;
      try {
        content = await readFile(f.abs);
      } catch {
        continue;
      }
      await add(`${round ? `copy${round}/` : ""}usr/${f.rel}`, content, f.mode);
      total += content.length + 512;
    }
  }
  pack.finalize();
  await out;
  await rename(`${file}.part`, file);
  return file;
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function rawGunzip(file: string): Promise<number> {
  let n = 0;
  const z = createGunzip({ chunkSize: 128 * 1024 });
  createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(z);
  for await (const c of z) n += (c as Buffer).length;
  return n;
}

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env.VANTAGE_BENCH_SCALE ?? "1") || 1;
  const file = await benchLayer(Math.round(500 * MB * scale));
  const compressed = (await stat(file)).size;
  const limits = resolveLimits({});
  const walk = (catalogers: readonly Cataloger[]) => walkLayer(createReadStream(file, { highWaterMark: 256 * 1024 }), { layer: "bench", catalogers, limits });
  let tarBytes = 0;
  const raw: number[] = [];
  const walked: number[] = [];
  // Alternate runs so page cache and CPU frequency treat both alike; keep the best of each.
  for (let i = 0; i < 2; i++) {
    raw.push(await timeIt(async () => (tarBytes = await rawGunzip(file))));
    walked.push(await timeIt(() => walk(MINIMAL)));
  }
  const full = CATALOGERS.length ? await timeIt(() => walk(CATALOGERS)) : NaN;
  const tRaw = Math.min(...raw);
  const tWalk = Math.min(...walked);
  const mbps = (t: number) => Math.round((tarBytes / MB / t) * 10) / 10;

  // Cached rescan: the second catalog of the same layer digest must not read it at all.
  const cache = new MemoryLayerCache();
  const layer = { digest: "sha256:" + "b".repeat(64), open: async () => createReadStream(file) };
  await catalogLayers([layer], { catalogers: MINIMAL, limits, cache, stats: emptyStats() });
  const rescan = emptyStats();
  await catalogLayers([layer], { catalogers: MINIMAL, limits, cache, stats: rescan });

  const results: BenchResult[] = [
    { name: "layer walk throughput (tar MB/s; baseline raw gunzip)", value: mbps(tWalk), unit: "MB/s", baseline: mbps(tRaw), ratio: round(tWalk / tRaw) },
    { name: "cached rescan layer bytes fetched (baseline: layer size)", value: rescan.layerBytesFetched, unit: "bytes", baseline: compressed, ratio: rescan.layerBytesFetched / compressed },
  ];
  if (!Number.isNaN(full)) {
    results.splice(1, 0, { name: "layer walk with all catalogers (tar MB/s; baseline raw gunzip)", value: mbps(full), unit: "MB/s", baseline: mbps(tRaw), ratio: round(full / tRaw) });
  }
  return results;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
