// Secret scanning inside the layer walk, against the same walk without it, in the same run:
// a layer of real third-party text (this project's node_modules sources, renamed out of the
// vendored-tree skip list so every file is a candidate) walked with all catalogers, with and
// without the secret scanner, rounds rotated. The findings count on that text is the
// false-positive floor: it should be (near) zero.
import { createReadStream, createWriteStream, existsSync } from "node:fs";
import { readdir, readFile, rename } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { pipeline } from "node:stream/promises";
import { createGzip } from "node:zlib";
import tar from "tar-stream";
import { packageRoot } from "../shared/package-root.js";
import { CATALOGERS } from "../shared/scanner/catalogers/index.js";
import { walkLayer } from "../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../shared/scanner/image/limits.js";
import { DEFAULT_SECRET_LIMITS, LayerSecretScanner } from "../shared/scanner/secrets/layer-scan.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const MB = 1024 * 1024;
const ROUNDS = 3;
const TEXT = /\.(js|mjs|cjs|ts|json|md|txt|yml|yaml)$/;

async function* textFiles(dir: string): AsyncGenerator<string> {
  for (const d of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, d.name);
    if (d.isDirectory()) yield* textFiles(p);
    else if (d.isFile() && TEXT.test(d.name)) yield p;
  }
}

/** A gzip layer of ≥ `bytes` of text files under srv/app/lib/ (built once, cached in the temp dir). */
async function textLayer(bytes: number): Promise<string> {
  const file = join(tmpdir(), `vantage-bench-secrets-${Math.round(bytes / MB)}MB.tar.gz`);
  if (existsSync(file)) return file;
  const root = join(packageRoot(), "node_modules");
  const pack = tar.pack();
  const done = pipeline(pack, createGzip(), createWriteStream(`${file}.part`));
  let total = 0;
  outer: for (let copy = 0; total < bytes; copy++) {
    for await (const abs of textFiles(root)) {
      const content = await readFile(abs);
      if (content.length > DEFAULT_SECRET_LIMITS.maxFileBytes) continue;
      const name = `srv/app/lib${copy}/${relative(root, abs).replaceAll("node_modules", "deps")}`;
      await new Promise<void>((resolve, reject) => pack.entry({ name, size: content.length, mode: 0o644 }, content, (err) => (err ? reject(err) : resolve())));
      total += content.length + 512;
      if (total >= bytes) break outer;
    }
  }
  pack.finalize();
  await done;
  await rename(`${file}.part`, file);
  return file;
}

export async function run(): Promise<BenchResult[]> {
  const file = await textLayer(Math.round(200 * MB * benchScale()));
  const limits = resolveLimits({});
  // The bench reads the whole layer: lift the per-layer and per-image byte budgets.
  const secretLimits = { ...DEFAULT_SECRET_LIMITS, maxLayerBytes: Number.MAX_SAFE_INTEGER, maxImageBytes: Number.MAX_SAFE_INTEGER };
  let tarBytes = 0;
  let findings = 0;
  let scanned = 0;
  const walk = async (secrets: boolean) => {
    const scanner = secrets ? new LayerSecretScanner(secretLimits) : undefined;
    const facts = await walkLayer(createReadStream(file, { highWaterMark: 256 * 1024 }), { layer: "bench", catalogers: CATALOGERS, limits, secrets: scanner });
    tarBytes = facts.bytes;
    if (facts.secrets) {
      findings = facts.secrets.findings.length;
      scanned = facts.secrets.scannedFiles;
    }
  };
  const t: Record<"base" | "secrets", number[]> = { base: [], secrets: [] };
  await walk(false); // warm the page cache
  for (let i = 0; i < ROUNDS; i++) {
    for (const k of i % 2 ? (["secrets", "base"] as const) : (["base", "secrets"] as const)) {
      const start = process.hrtime.bigint();
      await walk(k === "secrets");
      t[k].push(Number(process.hrtime.bigint() - start) / 1e9);
    }
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const mbps = (s: number) => Math.round((tarBytes / MB / s) * 10) / 10;
  const value = mbps(median(t.secrets));
  const baseline = mbps(median(t.base));
  return [
    {
      name: "layer walk with secret scanning (tar MB/s; baseline same walk without it)",
      value,
      unit: "MB/s",
      baseline,
      ratio: ratio(value, baseline),
      note: `${Math.round(tarBytes / MB)} MB of text, ${scanned} files read, ${findings} findings`,
    },
  ];
}
