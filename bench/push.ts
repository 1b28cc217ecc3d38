// Push → findings benchmark: the demo stack as `vantage start` runs it (real Distribution
// registry whose webhook reaches the local host's bridge), onboarded so the demo registry is known;
// then N new builds of shop/storefront, each with one extra ~100 MB gzip layer of incompressible
// bytes (so every push is a new digest and a full layer walk), pushed one at a time. Latency runs
// from the end of the push (the manifest PUT answered) until the image's record carries `scannedAt`.
// Baseline, in the same run and on the same images: catalogTarget + matchSbom called directly
// against the same registry (no webhook, no orchestration, no layer cache), so the ratio is the
// pipeline's overhead. VANTAGE_BENCH_SCALE shrinks the layer size and the image count (≥ 3).
import { join } from "node:path";
import { buildImage, type BuiltImage, type LayerSpec } from "../demo/runtime/images/builder.js";
import { RegistryClient } from "../shared/registry/client.js";
import { pushImage } from "../demo/runtime/images/layout.js";
import { loadFeedDir } from "../shared/scanner/feed/load-dir.js";
import { catalogTarget } from "../shared/scanner/image/index.js";
import { matchSbom } from "../shared/scanner/match/match.js";
import { SEVERITIES } from "../shared/scanner/model.js";
import type { ImageRecord } from "../shared/workflows/state.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { pushScanInstanceId } from "../shared/workflows/instance-ids.js";
import { DemoStack, demoImageSpecs, packageRoot, type DemoImageSpec } from "../demo/runtime/stack.js";
import { prng } from "./prng.js";
import { REGISTRY_BINARY, registryAvailable } from "../demo/runtime/registry/distribution.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const MB = 1024 * 1024;
const REPOSITORY = "shop/storefront";
const POLL_MS = 25;
const SCAN_TIMEOUT_MS = 120_000;

export interface PushBenchOptions {
  /** Images pushed and measured (default max(3, round(10 × scale))). */
  images?: number;
  /** Bytes of random file content in the extra layer (default round(100 MB × scale)). */
  layerBytes?: number;
  log?: (message: string) => void;
}

/** Deterministic incompressible bytes: one mulberry32 word per 4 bytes. */
export function randomBytes(size: number, seed: number): Buffer {
  const rnd = prng(seed);
  const buf = Buffer.alloc(size);
  const words = new Uint32Array(buf.buffer, buf.byteOffset, Math.floor(size / 4));
  for (let i = 0; i < words.length; i++) words[i] = (rnd() * 4294967296) >>> 0;
  for (let i = words.length * 4; i < size; i++) buf[i] = (rnd() * 256) >>> 0;
  return buf;
}

/** The storefront demo image plus one gzip layer holding `layerBytes` of random content. */
export async function buildBenchImage(spec: DemoImageSpec, layerBytes: number, seed: number): Promise<BuiltImage> {
  const layers: LayerSpec[] = spec.layers.map((l) => ({ files: Object.entries(l.files).map(([path, content]) => ({ path, content })), compression: "gzip" as const }));
  layers.push({ files: [{ path: `opt/storefront/assets/bench-${seed}.bin`, content: randomBytes(layerBytes, seed) }], compression: "gzip" });
  return buildImage(layers, { platform: { os: "linux", architecture: spec.architecture ?? "amd64" } });
}

/** Nearest-rank percentile (p in 0–100) of unsorted samples. */
export function percentile(samples: number[], p: number): number {
  if (!samples.length) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function imageBytes(image: BuiltImage): number {
  let n = image.manifestBytes.length;
  for (const blob of image.blobs.values()) n += blob.length;
  return n;
}

async function waitForScan(deps: Dependencies, digest: string): Promise<ImageRecord> {
  const { state } = deps;
  const deadline = performance.now() + SCAN_TIMEOUT_MS;
  for (;;) {
    const record = (await state.images.get("image", digest))?.value;
    if (record?.scannedAt) return record;
    if (record?.error) throw new Error(`scan of ${digest} failed: ${record.error}`);
    if (performance.now() > deadline) throw new Error(`no findings for pushed ${digest} within ${SCAN_TIMEOUT_MS / 1000} s`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const round1 = (x: number) => Math.round(x * 10) / 10;

export async function run(options: PushBenchOptions = {}): Promise<BenchResult[]> {
  if (!registryAvailable()) throw new Error(`push bench needs Distribution's registry at ${REGISTRY_BINARY}: apt-get install -y docker-registry`);
  const scale = benchScale();
  const count = Math.max(3, options.images ?? Math.round(10 * scale));
  const layerBytes = Math.max(1024, Math.round(options.layerBytes ?? 100 * MB * scale));
  const userLog = options.log ?? (() => {});
  // The bridge logs "… started <pushScanInstanceId(digest)>" once it has handled the webhook and
  // started the scan orchestration: the moment splits the latency into delivery and scan.
  const scanStarted = new Map<string, number>();
  const log = (message: string) => {
    const m = /\b(scan-[0-9a-f]{32})\b/.exec(message);
    if (m && !scanStarted.has(m[1]!)) scanStarted.set(m[1]!, performance.now());
    userLog(message);
  };
  const spec = demoImageSpecs().find((s) => s.ref.includes(`/${REPOSITORY}:`));
  if (!spec) throw new Error(`demo image spec for ${REPOSITORY} not found`);
  const feed = await loadFeedDir(join(packageRoot(), "demo", "feed"));

  const stack = new DemoStack({ port: 0, log });
  try {
    await stack.start();
    if (!stack.registry) throw new Error("the demo stack started without its Distribution registry");
    await stack.onboardAll();
    const host = stack.registry.host;
    const client = new RegistryClient(host, { plainHttp: true });

    const baselineOnce = async (digest: string) => {
      const t0 = performance.now();
      const sbom = await catalogTarget(`registry:${host}/${REPOSITORY}@${digest}`, { plainHttp: true });
      const findings = matchSbom(sbom, feed);
      return { ms: performance.now() - t0, findings: findings.length };
    };
    const pushOnce = async (image: BuiltImage, tag: string) => {
      const t0 = performance.now();
      await pushImage(client, REPOSITORY, tag, image);
      const pushed = performance.now();
      const record = await waitForScan(stack.deps, image.manifestDigest);
      const seen = performance.now();
      // Let the orchestration finish before the baseline runs, so the two never share the CPU.
      await stack.host.engine.idle();
      const started = scanStarted.get(pushScanInstanceId(image.manifestDigest));
      return { pushMs: pushed - t0, latencyMs: seen - pushed, deliveryMs: started === undefined ? undefined : started - pushed, record };
    };

    // Warm-up (JIT, connections, first orchestration) on a small image; not measured.
    const warm = await buildBenchImage(spec, 64 * 1024, 1_000_000);
    await pushOnce(warm, "bench-warmup");
    await baselineOnce(warm.manifestDigest);

    const latency: number[] = [];
    const pushMs: number[] = [];
    const baseline: number[] = [];
    const delivery: number[] = [];
    let sizeBytes = 0;
    for (let i = 0; i < count; i++) {
      let image: BuiltImage | undefined = await buildBenchImage(spec, layerBytes, i + 1);
      sizeBytes = Math.max(sizeBytes, imageBytes(image));
      const digest = image.manifestDigest;
      const p = await pushOnce(image, `bench-${i}`);
      image = undefined; // ~3× the layer size in memory: let it go before the next build.
      const b = await baselineOnce(digest);
      const piped = SEVERITIES.reduce((n, s) => n + (p.record.counts[s] ?? 0), 0);
      if (piped !== b.findings) throw new Error(`pipeline stored ${piped} findings for ${digest}, the direct scan found ${b.findings}`);
      latency.push(p.latencyMs);
      pushMs.push(p.pushMs);
      baseline.push(b.ms);
      if (p.deliveryMs !== undefined) delivery.push(p.deliveryMs);
      userLog(`push ${i + 1}/${count}: push ${Math.round(p.pushMs)} ms, push→findings ${Math.round(p.latencyMs)} ms (scan started at +${p.deliveryMs === undefined ? "?" : Math.round(p.deliveryMs)} ms), direct scan ${Math.round(b.ms)} ms`);
    }

    const sizeMb = round1(sizeBytes / MB);
    const l50 = round1(percentile(latency, 50));
    const l95 = round1(percentile(latency, 95));
    const b50 = round1(percentile(baseline, 50));
    const b95 = round1(percentile(baseline, 95));
    const about = `${count} pushes of a ${sizeMb} MB image; nearest-rank percentiles; polled every ${POLL_MS} ms`;
    const results: BenchResult[] = [
      { name: "push → findings latency p50 (baseline: direct catalog+match p50)", value: l50, unit: "ms", baseline: b50, ratio: ratio(l50, b50), note: about },
      { name: "push → findings latency p95 (baseline: direct catalog+match p95)", value: l95, unit: "ms", baseline: b95, ratio: ratio(l95, b95), note: about },
      { name: "push duration p50 (blobs + manifest PUT)", value: round1(percentile(pushMs, 50)), unit: "ms", note: `${count} pushes` },
      { name: "pushed image size", value: sizeMb, unit: "MB", note: "compressed blobs + manifest" },
    ];
    if (delivery.length === count) {
      results.splice(2, 0, { name: "push → scan orchestration started p50 (webhook delivery)", value: round1(percentile(delivery, 50)), unit: "ms", note: `p95 ${round1(percentile(delivery, 95))} ms` });
    }
    return results;
  } finally {
    await stack.stop();
  }
}
