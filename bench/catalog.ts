// Catalog benchmarks, each against a baseline measured in the same run:
//  1. Layer-walk throughput: a ≥ 500 MB gzip layer built from this machine's /usr (plus the real dpkg
//     status), walked by the streaming walker vs a raw zlib gunzip of the same bytes to nowhere; runs
//     alternate over a warm page cache and the medians are compared. Goal ratio ≤ 1.15.
//     With every cataloger on, the goal is ≥ 0.85× raw gunzip's throughput (time ratio ≤ 1/0.85).
//  2. Peak RSS cataloging a 2 GB OCI image (4 distinct gzip layers of real files) with the real
//     catalogers, in a child process, vs a child that only gunzips the same layers. Goal ≤ 160 MB.
//  3. Cached rescan of that image in the same child: layer bytes fetched (goal 0) and wall time (goal
//     < 100 ms) vs the first scan.
// Built inputs are cached under the temp dir. VANTAGE_BENCH_SCALE=0.1 gives a quick run.
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { lstat, mkdir, opendir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";
import tar from "tar-stream";
import { CATALOGERS } from "../shared/scanner/catalogers/index.js";
import type { Cataloger } from "../shared/scanner/catalogers/types.js";
import { LAYER_CONCURRENCY } from "../shared/scanner/image/catalog-layers.js";
import { GUNZIP_CHUNK_BYTES } from "../shared/scanner/image/decompress.js";
import { walkLayer } from "../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../shared/scanner/image/limits.js";

import { benchScale, ratio, type BenchResult } from "./types.js";

const MB = 1024 * 1024;
const IMAGE_LAYERS = 4;
/** Throughput rounds (baseline, minimal walk and full walk once each, order rotating). */
const ROUNDS = 5;
const OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
const OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
const OCI_LAYER_GZIP = "application/vnd.oci.image.layer.v1.tar+gzip";

/** The walk's own cost: two path-only catalogers, as cheap as catalogers get. */
const MINIMAL: Cataloger[] = [
  { name: "os-release", matches: (p) => p === "etc/os-release" || p === "usr/lib/os-release", parse: () => ({ packages: [] }) },
  { name: "dpkg", matches: (p) => p === "var/lib/dpkg/status", parse: (_p, c) => ({ packages: [], warnings: [`${c.length}`] }) },
];

interface SourceFile {
  abs: string;
  /** Path inside the layer. */
  name: string;
  size: number;
  mode: number;
}

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

/** Files of /usr (≤ 64 MB each) worth at least `bytes` of tar, looping with `copyN/` prefixes on small machines. */
async function* sourceFiles(bytes: number): AsyncGenerator<SourceFile> {
  let total = 0;
  for (let round = 0; total < bytes; round++) {
    let any = false;
    for await (const f of usrFiles("/usr")) {
      if (total >= bytes) return;
      if (f.size > 64 * MB) continue;
      any = true;
      yield { abs: f.abs, name: `${round ? `copy${round}/` : ""}usr/${f.rel}`, size: f.size, mode: f.mode };
      total += f.size + 512;
    }
    if (!any) throw new Error("bench: /usr has no readable files to build layers from");
  }
}

/** The real package database and os-release, so the real catalogers have something to find. */
const BASE_FILES: SourceFile[] = [
  ["/var/lib/dpkg/status", "var/lib/dpkg/status"],
  ["/etc/os-release", "etc/os-release"],
]
  .filter(([abs]) => existsSync(abs))
  .map(([abs, name]) => ({ abs, name, size: 0, mode: 0o644 }));

function hashing(hash: ReturnType<typeof createHash>, count: { n: number }): Transform {
  return new Transform({
    transform(chunk: Buffer, _e, cb) {
      hash.update(chunk);
      count.n += chunk.length;
      cb(null, chunk);
    },
  });
}

interface BuiltLayer {
  /** sha256 of the gzip blob. */
  digest: string;
  /** sha256 of the tar (the config's diff id). */
  diffId: string;
  size: number;
  tarBytes: number;
}

/** Packs `files` (unreadable ones skipped) into a gzip tar at `out`. */
async function writeLayer(out: string, files: AsyncIterable<SourceFile> | Iterable<SourceFile>): Promise<BuiltLayer> {
  const pack = tar.pack();
  const tarHash = createHash("sha256");
  const gzHash = createHash("sha256");
  const tarCount = { n: 0 };
  const gzCount = { n: 0 };
  const done = pipeline(pack, hashing(tarHash, tarCount), createGzip(), hashing(gzHash, gzCount), createWriteStream(out));
  const add = (name: string, content: Buffer, mode: number) =>
    new Promise<void>((resolve, reject) => pack.entry({ name, size: content.length, mode }, content, (err) => (err ? reject(err) : resolve())));
  for await (const f of files) {
    let content: Buffer;
    try {
      content = await readFile(f.abs);
    } catch {
      continue;
    }
    await add(f.name, content, f.mode);
  }
  pack.finalize();
  await done;
  return { digest: `sha256:${gzHash.digest("hex")}`, diffId: `sha256:${tarHash.digest("hex")}`, size: gzCount.n, tarBytes: tarCount.n };
}

/** Builds (once, cached under the temp dir) a gzip layer of at least `bytes` tar bytes. */
export async function benchLayer(bytes: number): Promise<string> {
  const file = join(tmpdir(), `vantage-bench-layer-${Math.round(bytes / MB)}MB.tar.gz`);
  if (existsSync(file)) return file;
  async function* files() {
    yield* BASE_FILES;
    yield* sourceFiles(bytes);
  }
  await writeLayer(`${file}.part`, files());
  await rename(`${file}.part`, file);
  return file;
}

export interface BenchImage {
  dir: string;
  /** Layer blobs in manifest order. */
  layers: { path: string; size: number }[];
}

/**
 * Builds (once, cached under the temp dir) an OCI image layout of IMAGE_LAYERS gzip layers totalling
 * at least `bytes` of tar: consecutive, disjoint slices of /usr (the first with the dpkg status and
 * os-release), so every layer has its own digest and none is a cache hit for another.
 */
export async function benchImage(bytes: number): Promise<BenchImage> {
  const dir = join(tmpdir(), `vantage-bench-image-${Math.round(bytes / MB)}MB`);
  if (!existsSync(join(dir, "index.json"))) await buildImage(dir, bytes);
  const blob = (digest: string) => join(dir, "blobs", "sha256", digest.slice("sha256:".length));
  const index = JSON.parse(await readFile(join(dir, "index.json"), "utf8")) as { manifests: { digest: string }[] };
  const manifest = JSON.parse(await readFile(blob(index.manifests[0].digest), "utf8")) as { layers: { digest: string; size: number }[] };
  return { dir, layers: manifest.layers.map((l) => ({ path: blob(l.digest), size: l.size })) };
}

async function buildImage(dir: string, bytes: number): Promise<void> {
  const part = `${dir}.part`;
  await rm(part, { recursive: true, force: true });
  const blobs = join(part, "blobs", "sha256");
  await mkdir(blobs, { recursive: true });
  const per = Math.ceil(bytes / IMAGE_LAYERS);
  const slices: SourceFile[][] = Array.from({ length: IMAGE_LAYERS }, (_, i) => (i === 0 ? [...BASE_FILES] : []));
  let total = 0;
  for await (const f of sourceFiles(bytes)) {
    slices[Math.min(IMAGE_LAYERS - 1, Math.floor(total / per))].push(f);
    total += f.size + 512;
  }
  // Two layers at a time: gzip runs on libuv's pool, so this uses two cores.
  const built: BuiltLayer[] = new Array(IMAGE_LAYERS);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < IMAGE_LAYERS; i = next++) {
      const tmp = join(blobs, `layer-${i}.part`);
      built[i] = await writeLayer(tmp, slices[i]);
      await rename(tmp, join(blobs, built[i].digest.slice("sha256:".length)));
    }
  };
  await Promise.all([worker(), worker()]);
  const putJson = async (doc: unknown) => {
    const body = Buffer.from(JSON.stringify(doc));
    const digest = `sha256:${createHash("sha256").update(body).digest("hex")}`;
    await writeFile(join(blobs, digest.slice("sha256:".length)), body);
    return { digest, size: body.length };
  };
  const architecture = process.arch === "x64" ? "amd64" : process.arch;
  const config = await putJson({ architecture, os: "linux", config: {}, rootfs: { type: "layers", diff_ids: built.map((l) => l.diffId) } });
  const manifest = await putJson({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, ...config },
    layers: built.map((l) => ({ mediaType: OCI_LAYER_GZIP, digest: l.digest, size: l.size })),
  });
  await writeFile(join(part, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(join(part, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: OCI_MANIFEST, ...manifest, annotations: { "org.opencontainers.image.ref.name": "bench" } }] }));
  await rm(dir, { recursive: true, force: true });
  await rename(part, dir);
}

async function timeIt(fn: () => Promise<unknown>): Promise<number> {
  const t = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - t) / 1e9;
}

async function rawGunzip(file: string): Promise<number> {
  let n = 0;
  const z = createGunzip({ chunkSize: GUNZIP_CHUNK_BYTES });
  createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(z);
  for await (const c of z) n += (c as Buffer).length;
  return n;
}

/** Reads a file to nowhere, so every timed run starts from the same (warm) page cache. */
async function warm(file: string): Promise<void> {
  for await (const _c of createReadStream(file, { highWaterMark: 1024 * 1024 }));
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

// The child processes. Peak RSS is the child's own VmHWM: getrusage's maxRSS is NOT usable here, as
// Linux carries the forked parent's (the bench runner's) high-water mark across exec into it.
const PEAK_RSS = `const peakRss = () => {
  try { return Number(/VmHWM:\\s*(\\d+)\\s*kB/.exec(readFileSync("/proc/self/status", "utf8"))[1]) * 1024; }
  catch { return process.resourceUsage().maxRSS * 1024; }
};`;

/** Catalogs argv[2] with the real catalogers, then rescans it 3 times from the in-memory layer cache. */
const CATALOG_CHILD = `import { readFileSync } from "node:fs";
${PEAK_RSS}
const { catalogTarget, MemoryLayerCache } = await import(process.argv[1]);
const target = process.argv[2];
const stats = () => ({ layers: 0, layersFromCache: 0, layerBytesFetched: 0, decompressedBytes: 0, entries: 0 });
const layerCache = new MemoryLayerCache();
const first = stats();
let t = performance.now();
const sbom = await catalogTarget(target, { layerCache, stats: first });
const firstMs = performance.now() - t;
const peak = peakRss();
const rescans = [];
for (let i = 0; i < 3; i++) {
  const s = stats();
  t = performance.now();
  const again = await catalogTarget(target, { layerCache, stats: s });
  rescans.push({ ms: performance.now() - t, stats: s, packages: again.packages.length });
}
process.stdout.write(JSON.stringify({ peak, firstMs, first, packages: sbom.packages.length, rescans }));`;

/** Streams the layer files in argv through zlib gunzip to nowhere, as many at once and in chunks as catalogTarget does. */
const GUNZIP_CHILD = `import { createReadStream, readFileSync } from "node:fs";
import { createGunzip } from "node:zlib";
${PEAK_RSS}
const files = process.argv.slice(1);
let next = 0, bytes = 0;
const t = performance.now();
const worker = async () => {
  for (let i = next++; i < files.length; i = next++) {
    const z = createGunzip({ chunkSize: ${GUNZIP_CHUNK_BYTES} });
    createReadStream(files[i], { highWaterMark: 256 * 1024 }).pipe(z);
    for await (const c of z) bytes += c.length;
  }
};
await Promise.all(Array.from({ length: ${LAYER_CONCURRENCY} }, worker));
process.stdout.write(JSON.stringify({ peak: peakRss(), ms: performance.now() - t, bytes }));`;

function runChild<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script, ...args], { stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    child.on("error", reject);
    child.on("close", (code, signal) => {
      if (code !== 0) return reject(new Error(`bench child exited with ${signal ?? code}`));
      try {
        resolve(JSON.parse(out) as T);
      } catch {
        reject(new Error(`bench child printed no result: ${out.slice(0, 200)}`));
      }
    });
  });
}

interface CatalogChild {
  peak: number;
  firstMs: number;
  first: { layerBytesFetched: number; decompressedBytes: number; layers: number };
  packages: number;
  rescans: { ms: number; packages: number; stats: { layerBytesFetched: number; layersFromCache: number; layers: number } }[];
}

export async function run(): Promise<BenchResult[]> {
  const scale = benchScale();
  const file = await benchLayer(Math.round(500 * MB * scale));
  const image = await benchImage(Math.round(2048 * MB * scale));

  // 1. Throughput. Warm the page cache first, then rotate the order of baseline / minimal walk / full
  //    walk each round so cache state and CPU drift treat all three alike; compare medians.
  const limits = resolveLimits({});
  const walk = (catalogers: readonly Cataloger[]) => walkLayer(createReadStream(file, { highWaterMark: 256 * 1024 }), { layer: "bench", catalogers, limits });
  await warm(file);
  let tarBytes = 0;
  const runs: Record<"raw" | "minimal" | "full", { fn: () => Promise<unknown>; t: number[] }> = {
    raw: { fn: async () => (tarBytes = await rawGunzip(file)), t: [] },
    minimal: { fn: () => walk(MINIMAL), t: [] },
    full: { fn: () => walk(CATALOGERS), t: [] },
  };
  const order = (["raw", "minimal", "full"] as const).filter((k) => k !== "full" || CATALOGERS.length);
  for (let i = 0; i < ROUNDS; i++) {
    for (let j = 0; j < order.length; j++) {
      const r = runs[order[(i + j) % order.length]];
      r.t.push(await timeIt(r.fn));
    }
  }
  const tRaw = median(runs.raw.t);
  const mbps = (t: number) => Math.round((tarBytes / MB / t) * 10) / 10;
  const spread = (ts: number[]) => `runs ${ts.map((t) => mbps(t)).join("/")} MB/s`;
  const layerMb = Math.round(tarBytes / MB);
  const paired = (k: "minimal" | "full") => runs[k].t.map((t, i) => round(t / runs.raw.t[i])).join("/");

  // 2 + 3. Peak RSS and cached rescan, in child processes over a warm page cache: baseline and catalog
  //    children alternate, 3 of each, and the medians are compared (V8 frees Buffers lazily, so one
  //    peak can land a few tens of MB either way).
  for (const l of image.layers) await warm(l.path);
  const indexUrl = new URL("../shared/scanner/image/index.js", import.meta.url).href;
  const bases: { peak: number; ms: number; bytes: number }[] = [];
  const cats: CatalogChild[] = [];
  for (let i = 0; i < 3; i++) {
    bases.push(await runChild(GUNZIP_CHILD, image.layers.map((l) => l.path)));
    cats.push(await runChild(CATALOG_CHILD, [indexUrl, `oci:${image.dir}`]));
  }
  const cat = cats[0];
  for (const c of cats) {
    if (c.packages !== cat.packages || c.rescans.some((r) => r.packages !== cat.packages)) {
      throw new Error(`catalog runs disagree: ${cats.map((x) => [x.packages, ...x.rescans.map((r) => r.packages)].join("/")).join(", ")} packages`);
    }
  }
  const rescans = cats.flatMap((c) => c.rescans);
  const peak = median(cats.map((c) => c.peak));
  const basePeak = median(bases.map((b) => b.peak));
  const firstMs = median(cats.map((c) => c.firstMs));
  const rescanMs = median(rescans.map((r) => r.ms));
  const fetched = Math.max(...rescans.map((r) => r.stats.layerBytesFetched));
  const imageGz = image.layers.reduce((n, l) => n + l.size, 0);
  const imageTarMb = Math.round(cat.first.decompressedBytes / MB);
  const rss = (b: number) => Math.round((b / MB) * 10) / 10;
  const ms = (x: number) => Math.round(x * 10) / 10;
  const imageDesc = `${image.layers.length} layers, ${imageTarMb} MB tar / ${Math.round(imageGz / MB)} MB gzip, ${cat.packages} packages`;

  const results: BenchResult[] = [
    {
      name: "layer walk throughput (tar MB/s; baseline raw gunzip)",
      value: mbps(median(runs.minimal.t)),
      unit: "MB/s",
      baseline: mbps(tRaw),
      ratio: round(median(runs.minimal.t) / tRaw),
      note: `goal ratio ≤ 1.15; ${layerMb} MB tar, median of ${ROUNDS} alternated runs (walk ${spread(runs.minimal.t)}, gunzip ${spread(runs.raw.t)}; per-round ratios ${paired("minimal")})`,
    },
  ];
  if (runs.full.t.length) {
    results.push({
      name: "layer walk with all catalogers (tar MB/s; baseline raw gunzip)",
      value: mbps(median(runs.full.t)),
      unit: "MB/s",
      baseline: mbps(tRaw),
      ratio: round(median(runs.full.t) / tRaw),
      note: `goal ≥ 0.85× gunzip throughput (ratio ≤ ${round(1 / 0.85)}): ${median(runs.full.t) / tRaw <= 1 / 0.85 ? "met" : "NOT met"} at ${round(tRaw / median(runs.full.t))}×; median of ${ROUNDS} (${spread(runs.full.t)}; per-round ratios ${paired("full")})`,
    });
  }
  results.push(
    {
      name: `peak RSS cataloging a ${imageTarMb} MB image (MB; baseline gunzip-only child)`,
      value: rss(peak),
      unit: "MB",
      baseline: rss(basePeak),
      ratio: ratio(peak, basePeak),
      note: `goal ≤ 160 MB: ${peak <= 160 * MB ? "met" : "NOT met"}; oci: layout, ${imageDesc}; child VmHWM, median of 3 (${cats.map((c) => rss(c.peak)).join("/")} MB; gunzip ${bases.map((b) => rss(b.peak)).join("/")} MB); first scan ${ms(firstMs)} ms vs gunzip ${ms(median(bases.map((b) => b.ms)))} ms`,
    },
    {
      name: "cached rescan layer bytes fetched (baseline: image layer bytes)",
      value: fetched,
      unit: "bytes",
      baseline: imageGz,
      ratio: fetched / imageGz,
      note: `goal 0; worst of ${rescans.length} rescans; ${Math.min(...rescans.map((r) => r.stats.layersFromCache))}/${image.layers.length} layers from cache`,
    },
    {
      name: "cached rescan wall time (ms; baseline first scan)",
      value: ms(rescanMs),
      unit: "ms",
      baseline: ms(firstMs),
      ratio: ratio(rescanMs, firstMs),
      note: `goal < 100 ms; catalogTarget("oci:…") with a warm MemoryLayerCache; median of ${rescans.length} (3 per child; first rescans ${cats.map((c) => ms(c.rescans[0].ms)).join("/")} ms, max ${ms(Math.max(...rescans.map((r) => r.ms)))} ms)`,
    },
  );
  return results;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}
