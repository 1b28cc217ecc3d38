// Re-match benchmark: the daily rescan re-matches stored SBOMs against a fresh feed without
// re-cataloging. 10,000 deterministic SBOMs with realistic package mixes are serialized, then
// parsed and matched against the demo index and a synthetic 20k-advisory index. Baseline: parsing
// the same SBOMs alone, in the same run. VANTAGE_BENCH_SCALE (0–1] shrinks the SBOM count.
import { defaultFeedDir } from "../shared/cli/commands/scan.js";
import { buildFeedIndex } from "../shared/scanner/feed/build.js";
import { loadFeedDir } from "../shared/scanner/feed/load-dir.js";
import type { FeedIndex } from "../shared/scanner/feed/model.js";
import { matchSbom } from "../shared/scanner/match/match.js";
import type { Package, PackageType, Sbom } from "../shared/scanner/model.js";
import { benchScale, ratio, type BenchResult } from "./types.js";
import { prng } from "./prng.js";


const DEB: [string, string, string][] = [
  ["libc6", "glibc", "2.36-9+deb12u"], ["libssl3", "openssl", "3.0.11-1~deb12u"], ["libcurl4", "curl", "7.88.1-10+deb12u"],
  ["libwebp7", "libwebp", "1.2.4-0.2+deb12u"], ["openssh-client", "openssh", "1:9.2p1-2+deb12u"], ["zlib1g", "zlib", "1:1.2.13.dfsg-"],
  ["liblog4j2-java", "apache-log4j2", "2.1"], ["libxml2", "libxml2", "2.9.14+dfsg-1.3~deb12u"], ["tzdata", "tzdata", "2024a-0+deb12u"],
];
const NPM = ["lodash", "ejs", "semver", "follow-redirects", "axios", "express", "debug", "ms", "minimist", "qs", "@babel/traverse", "react"];
const PYPI = ["PyYAML", "pillow", "torch", "numpy", "requests", "urllib3", "Django", "jinja2"];

function mkPkg(type: PackageType, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { name, version, type, purl: `pkg:${type}/${encodeURIComponent(name)}@${encodeURIComponent(version)}`, locations: [], cataloger: type, ...extra };
}

export function generateSboms(count: number, seed = 42): Sbom[] {
  const rnd = prng(seed);
  const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
  const out: Sbom[] = [];
  for (let i = 0; i < count; i++) {
    const packages: Package[] = [];
    for (let j = 0; j < 80 + Math.floor(rnd() * 120); j++) {
      const kind = rnd();
      if (kind < 0.45) {
        const [name, src, prefix] = pick(DEB);
        const v = `${prefix}${1 + Math.floor(rnd() * 5)}`;
        packages.push(mkPkg("deb", `${name}${j}`, v, { sourceName: rnd() < 0.3 ? src : `${src}${j}`, sourceVersion: v }));
      } else if (kind < 0.8) {
        packages.push(mkPkg("npm", pick(NPM), `${Math.floor(rnd() * 8)}.${Math.floor(rnd() * 20)}.${Math.floor(rnd() * 30)}`));
      } else {
        packages.push(mkPkg("pypi", pick(PYPI), `${Math.floor(rnd() * 6)}.${Math.floor(rnd() * 12)}.${Math.floor(rnd() * 5)}`));
      }
    }
    out.push({ schemaVersion: 1, target: `bench/image-${i}:latest`, artifact: { digest: `sha256:${i.toString(16).padStart(64, "0")}`, os: { family: "debian", version: "12" } }, packages, warnings: [] });
  }
  return out;
}

/** 20,000 advisories over npm, PyPI and Debian names; the popular names get ~10 each, the rest are ones the SBOMs lack. */
export function syntheticIndex(seed = 7): FeedIndex {
  const rnd = prng(seed);
  const records: unknown[] = [];
  for (let i = 0; i < 20_000; i++) {
    const kind = i % 3;
    const [ecosystem, name, type] =
      kind === 0 ? ["npm", i < 120 ? NPM[i % NPM.length]! : `pkg-${i}`, "SEMVER"] : kind === 1 ? ["PyPI", i < 120 ? PYPI[i % PYPI.length]! : `py-${i}`, "ECOSYSTEM"] : ["Debian:12", i < 120 ? DEB[i % DEB.length]![1] : `src-${i}`, "ECOSYSTEM"];
    const fixed = kind === 2 ? `${1 + Math.floor(rnd() * 3)}.${Math.floor(rnd() * 9)}-${1 + Math.floor(rnd() * 3)}` : `${1 + Math.floor(rnd() * 6)}.${Math.floor(rnd() * 12)}.0`;
    records.push({
      id: `BENCH-${i}`, aliases: [`CVE-2099-${10000 + i}`], modified: "2024-01-01T00:00:00Z",
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
      affected: [{ package: { ecosystem, name }, ranges: [{ type, events: [{ introduced: "0" }, { fixed }] }] }],
    });
  }
  return buildFeedIndex({ records }, { builtAt: new Date(0) });
}

function time(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

export async function run(): Promise<BenchResult[]> {
  const count = Math.max(1, Math.round(10_000 * benchScale()));
  const serialized = generateSboms(count).map((s) => JSON.stringify(s));
  const demo = await loadFeedDir(defaultFeedDir());
  const synthetic = syntheticIndex();

  // Warm-up (JIT, group caches) on a slice, then the measured passes.
  for (const text of serialized.slice(0, 50)) matchSbom(JSON.parse(text) as Sbom, demo);
  const parseMs = time(() => {
    for (const text of serialized) JSON.parse(text);
  });
  let demoFindings = 0;
  let synthFindings = 0;
  const demoMs = time(() => {
    for (const text of serialized) demoFindings += matchSbom(JSON.parse(text) as Sbom, demo).length;
  });
  const synthMs = time(() => {
    for (const text of serialized) synthFindings += matchSbom(JSON.parse(text) as Sbom, synthetic).length;
  });
  if (demoFindings === 0 || synthFindings === 0) throw new Error("rematch benchmark produced no findings: the generator or the matcher is broken");
  const row = (name: string, value: number, findings: number): BenchResult => ({
    name,
    value: Math.round(value * 10) / 10,
    unit: "ms",
    baseline: Math.round(parseMs * 10) / 10,
    ratio: ratio(value, parseMs),
    note: `baseline = JSON.parse of the same SBOMs; ${findings} findings`,
  });
  return [row(`rematch ${count} SBOMs (demo index)`, demoMs, demoFindings), row(`rematch ${count} SBOMs (20k-advisory index)`, synthMs, synthFindings)];
}
