// Explorer benchmark: p50/p95 latency of every template on a real security graph of a generated AKS
// cluster of 30,000 pods (VANTAGE_BENCH_SCALE=0.1 → 3,000), against hand-written traversals of two
// templates measured in the same run. The cluster is the graph benchmark's generator (realistic RBAC,
// public LoadBalancers, host-access DaemonSets), its images get seeded scan findings (severities,
// known-exploited and RCE vulnerabilities, per-image fix statuses), and `buildSecurityGraph` turns
// both into the graph the templates run on — the same vocabulary as production, paths and choke
// points included. Seeded, so runs compare.
import { pathToFileURL } from "node:url";
import { GraphView, TEMPLATES, runTemplate } from "../shared/explorer/index.js";
import { buildSecurityGraph, type GraphEdge, type GraphNode, type ImageFindings, type PathsReport } from "../shared/graph/index.js";
import type { Snapshot } from "../shared/kubernetes/model.js";
import type { Finding, FixStatus, Severity } from "../shared/scanner/model.js";
import { prng } from "./prng.js";
import { generateCluster } from "./graph.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

/** Templates are timed returning every row (not the UI's first 1,000), so row counts are real. */
const LIMITS = { timeBudgetMs: 60_000, maxBindings: 50_000_000, maxRows: Number.MAX_SAFE_INTEGER };

/**
 * Seeded scan findings for every image the snapshot runs. Vulnerabilities come from one pool (a CVE
 * has one severity, KEV and RCE flag everywhere) with skewed popularity, as images share base layers;
 * the fix status is per image and package (the same CVE can be fixed in one image and not in another).
 */
export function generateImageFindings(snapshot: Snapshot, seed = 7): ImageFindings[] {
  const rand = prng(seed);
  const refs = [...new Set(snapshot.pods.flatMap((p) => p.containers.map((c) => c.image)))];
  const poolSize = Math.max(200, refs.length * 12);
  const severityOf = (r: number): Severity => (r < 0.06 ? "critical" : r < 0.26 ? "high" : r < 0.7 ? "medium" : r < 0.95 ? "low" : "unknown");
  const pool = Array.from({ length: poolSize }, (_, i) => {
    const severity = severityOf(rand());
    const serious = severity === "critical" || severity === "high";
    const packages = [`pkg-${i % 400}`, ...(rand() < 0.15 ? [`pkg-${(i * 7 + 13) % 400}`] : [])];
    return {
      id: `CVE-${2019 + (i % 6)}-${10000 + i}`,
      severity,
      knownExploited: rand() < (serious ? 0.05 : 0.005),
      rce: rand() < (serious ? 0.12 : 0.02),
      epss: Math.round(rand() * 1000) / 1000,
      packages,
    };
  });
  const fixStatusOf = (r: number): FixStatus => (r < 0.55 ? "fixed" : r < 0.85 ? "not-fixed" : r < 0.95 ? "wont-fix" : "unknown");
  return refs.map((ref) => {
    // About one image in ten is clean (distroless, freshly rebuilt); the rest carry 5–150 findings.
    const count = rand() < 0.1 ? 0 : 5 + Math.floor(145 * rand() ** 2);
    const findings: Finding[] = [];
    const seen = new Set<number>();
    for (let k = 0; k < count; k++) {
      const index = Math.floor(poolSize * rand() ** 3); // base-image CVEs show up in most images
      if (seen.has(index)) continue;
      seen.add(index);
      const v = pool[index]!;
      for (const pkg of v.packages) {
        const fixStatus = fixStatusOf(rand());
        findings.push({
          id: v.id, aliases: [], severity: v.severity,
          package: { name: pkg, version: "1.0.0", type: "deb", purl: `pkg:deb/debian/${pkg}@1.0.0` },
          fixStatus, fixedVersion: fixStatus === "fixed" ? `1.0.${1 + Math.floor(rand() * 9)}` : null,
          exploitability: { knownExploited: v.knownExploited, epss: v.epss, epssPercentile: v.epss, publicExploit: v.knownExploited, remoteCodeExecution: v.rce },
          advisories: [],
        });
      }
    }
    return { ref, findings };
  });
}

/** The benchmark's input: the graph benchmark's cluster of `pods` pods plus seeded image findings. */
export function generateEstate(pods: number, seed = 7): { snapshot: Snapshot; images: ImageFindings[] } {
  const { snapshot } = generateCluster(pods);
  return { snapshot, images: generateImageFindings(snapshot, seed) };
}

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function time(fn: () => unknown, iterations: number): number[] {
  fn(); // warm-up: JIT and the on-demand property indexes
  const samples: number[] = [];
  for (let i = 0; i < iterations; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
  }
  return samples;
}

/** What a hand-written traversal would index once, like GraphView (built outside the timing). */
export interface HandIndex {
  report: PathsReport;
  byId: Map<string, GraphNode>;
  out: Map<string, GraphEdge[]>;
}

export function handIndex(report: PathsReport): HandIndex {
  const byId = new Map(report.graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, GraphEdge[]>();
  for (const e of report.graph.edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e);
  return { report, byId, out };
}

const EMPTY: GraphEdge[] = [];

/** The `to` nodes of `from`'s out-edges of `kind` whose node kind is `nodeKind`. */
function* follow({ byId, out }: HandIndex, from: string, kind: string, nodeKind: string): Generator<GraphNode> {
  for (const e of out.get(from) ?? EMPTY) {
    if (e.kind !== kind) continue;
    const to = byId.get(e.to);
    if (to?.kind === nodeKind) yield to;
  }
}

const byKey = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Hand-written "pods running images with high severity vulnerabilities": pod -CONTAINS-> container
 * -IS_RUNNING-> image -IMAGE_VULNERABLE-> vulnerability, distinct vulnerabilities per (pod, image).
 */
export function podsWithHighVulnerabilities(index: HandIndex, severities: readonly string[] = ["critical", "high"]): unknown[][] {
  const wanted = new Set(severities);
  const rows: [string, string | null, string, number][] = [];
  for (const pod of index.report.graph.nodes) {
    if (pod.kind !== "pod") continue;
    const perImage = new Map<string, Set<string>>();
    for (const container of follow(index, pod.id, "CONTAINS", "container")) {
      for (const image of follow(index, container.id, "IS_RUNNING", "image")) {
        for (const v of follow(index, image.id, "IMAGE_VULNERABLE", "vulnerability")) {
          if (!wanted.has(v.properties.severity as string)) continue;
          let set = perImage.get(image.name);
          if (!set) perImage.set(image.name, (set = new Set()));
          set.add(v.id);
        }
      }
    }
    for (const [image, set] of perImage) rows.push([pod.id, pod.namespace ?? null, image, set.size]);
  }
  return rows.sort((a, b) => b[3] - a[3] || byKey(a[0], b[0]) || byKey(a[2], b[2]));
}

/** Hand-written "privileged containers": pod -CONTAINS-> container with `privileged: true`. */
export function privilegedContainers(index: HandIndex): unknown[][] {
  const rows: [string, string | null, string][] = [];
  for (const pod of index.report.graph.nodes) {
    if (pod.kind !== "pod") continue;
    for (const c of follow(index, pod.id, "CONTAINS", "container")) {
      if (c.properties.privileged === true) rows.push([c.id, pod.namespace ?? null, pod.name]);
    }
  }
  return rows.sort((a, b) => byKey(a[0], b[0]));
}

/** True when both row lists hold the same rows (order and duplicates aside). */
export function sameRows(a: readonly unknown[][], b: readonly unknown[][]): boolean {
  const key = (row: unknown[]) => JSON.stringify(row);
  const left = new Set(a.map(key));
  const right = new Set(b.map(key));
  return left.size === right.size && [...left].every((k) => right.has(k));
}

/** Runs a template with the benchmark's limits (every row). */
export function templateRows(id: string, view: GraphView): unknown[][] {
  return runTemplate(id, {}, view, LIMITS).rows;
}

export async function run(): Promise<BenchResult[]> {
  const pods = Math.max(100, Math.round(30_000 * benchScale()));
  const iterations = pods >= 10_000 ? 7 : 15;
  const { snapshot, images } = generateEstate(pods);
  const results: BenchResult[] = [];

  const buildStart = performance.now();
  const report = buildSecurityGraph(snapshot, images);
  const findings = images.reduce((n, i) => n + i.findings.length, 0);
  results.push({
    name: "explorer.graph.build",
    value: round(performance.now() - buildStart),
    unit: "ms",
    note: `${snapshot.pods.length} pods, ${images.length} images, ${findings} findings → ${report.graph.nodes.length} nodes, ${report.graph.edges.length} edges, ${report.insights.length} insights, ${report.paths.length} paths${report.truncated ? " (truncated)" : ""}, ${report.chokePoints.length} choke points`,
  });

  const indexStart = performance.now();
  const view = new GraphView(report);
  results.push({ name: "explorer.index.build", value: round(performance.now() - indexStart), unit: "ms", note: "GraphView over the graph above" });

  const index = handIndex(report);
  const baselines: Record<string, () => unknown[][]> = {
    "pods-high-severity-vulnerabilities": () => podsWithHighVulnerabilities(index),
    "privileged-containers": () => privilegedContainers(index),
  };
  for (const template of TEMPLATES) {
    const rows = templateRows(template.id, view);
    const hand = baselines[template.id];
    if (hand && !sameRows(hand(), rows)) throw new Error(`baseline for ${template.id} does not return the template's rows`);
    const samples = time(() => runTemplate(template.id, {}, view, LIMITS), iterations);
    const handSamples = hand ? time(hand, iterations) : undefined;
    const note = `${rows.length} ${rows.length === 1 ? "row" : "rows"}${rows.length === 0 ? " (matches nothing)" : ""}`;
    for (const p of [50, 95]) {
      const value = round(percentile(samples, p));
      const result: BenchResult = { name: `explorer.template.${template.id}.p${p}`, value, unit: "ms", note };
      if (handSamples) {
        result.baseline = round(percentile(handSamples, p));
        result.ratio = ratio(value, result.baseline);
        result.note = `${note}; baseline: hand-written traversal, same graph, same rows`;
      }
      results.push(result);
    }
  }
  return results;
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  run().then(
    (rows) => {
      for (const r of rows) process.stdout.write(`${JSON.stringify(r)}\n`);
    },
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exitCode = 1;
    },
  );
}
