// Explorer benchmark: p50/p95 latency of every template on a generated AKS estate of 30,000 pods
// (VANTAGE_BENCH_SCALE=0.1 → 3,000), against hand-written traversals of two templates measured in
// the same run. The estate is generated directly as a graph with a seeded PRNG, so runs compare.
import { pathToFileURL } from "node:url";
import { GraphView, TEMPLATES, runTemplate } from "../shared/explorer/index.js";
import type { GraphEdge, GraphNode, Insight, PathsReport } from "../shared/graph/model.js";
import { benchScale, ratio, type BenchResult } from "./types.js";
import { prng } from "../test/support/prng.js";


/** A realistic-shaped estate: namespaces, nodes, pods with 1–3 containers, shared images, RBAC. */
export function generateEstate(pods: number, seed = 42): PathsReport {
  const rand = prng(seed);
  const pick = <T>(list: T[]): T => list[Math.floor(rand() * list.length)]!;
  // Image popularity is skewed: a few base images run everywhere.
  const skewed = <T>(list: T[]): T => list[Math.floor(list.length * rand() ** 2.5)]!;
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const insights: Insight[] = [];
  const add = (n: GraphNode) => (nodes.push(n), n.id);
  const link = (from: string, kind: string, to: string, properties?: Record<string, unknown>) =>
    edges.push(properties ? { kind, from, to, properties } : { kind, from, to });

  const nsCount = Math.max(3, Math.round(pods / 100));
  const nodeCount = Math.max(3, Math.round(pods / 30));
  const imageCount = Math.max(10, Math.round(pods / 10));
  const vulnCount = Math.max(20, Math.round(pods / 4));

  const namespaces = Array.from({ length: nsCount }, (_, i) => add({ id: `namespace:ns${i}`, kind: "namespace", name: `ns${i}`, properties: {} }));
  const kubeNodes = Array.from({ length: nodeCount }, (_, i) => {
    const id = add({ id: `node:aks-${i}`, kind: "node", name: `aks-${i}`, properties: {} });
    if (rand() < 0.1) insights.push({ kind: "internet-exposed", node: id });
    return id;
  });
  const severities = (r: number) => (r < 0.05 ? "critical" : r < 0.25 ? "high" : r < 0.7 ? "medium" : "low");
  const vulns = Array.from({ length: vulnCount }, (_, i) =>
    add({
      id: `vulnerability:CVE-2024-${10000 + i}`,
      kind: "vulnerability",
      name: `CVE-2024-${10000 + i}`,
      properties: { severity: severities(rand()), knownExploited: rand() < 0.02, remoteCodeExecution: rand() < 0.1 },
    }),
  );
  const images = Array.from({ length: imageCount }, (_, i) => {
    const id = add({ id: `image:acr.io/app${i}:1.${i % 7}`, kind: "image", name: `acr.io/app${i}:1.${i % 7}`, properties: {} });
    const n = Math.floor(rand() * 30);
    const seen = new Set<string>();
    for (let k = 0; k < n; k++) {
      const v = pick(vulns);
      if (seen.has(v)) continue;
      seen.add(v);
      const fixed = rand() < 0.6;
      link(id, "HAS_VULNERABILITY", v, fixed ? { fixStatus: "fixed", fixedVersion: "9.9" } : { fixStatus: "not-fixed" });
    }
    return id;
  });
  const cloudIdentities = Array.from({ length: Math.max(2, Math.round(pods / 300)) }, (_, i) =>
    add({ id: `cloudidentity:0000-${i}`, kind: "cloudidentity", name: `mi-${i}`, properties: {} }),
  );
  const serviceAccounts: string[] = [];
  const permissionSets: string[] = [];
  namespaces.forEach((nsId, i) => {
    const ns = `ns${i}`;
    for (let k = 0; k < 5; k++) {
      const sa = add({ id: `identity:serviceaccount:${ns}/sa${k}`, kind: "identity", name: `sa${k}`, namespace: ns, properties: {} });
      serviceAccounts.push(sa);
      const ps = add({ id: `permissionset:${ns}/role${k}::rb${k}`, kind: "permissionset", name: `role${k}::rb${k}`, namespace: ns, properties: {} });
      permissionSets.push(ps);
      link(sa, "PERMISSION_DISCOVER", ps);
      if (rand() < 0.05) {
        const wide = add({ id: `permissionset:wide-${ns}-${k}::crb`, kind: "permissionset", name: `wide-${ns}-${k}::crb`, properties: { clusterAdmin: rand() < 0.2 } });
        link(sa, "PERMISSION_DISCOVER", wide);
        link(wide, "POD_CREATE", pick(kubeNodes));
      }
      if (rand() < 0.05) link(sa, "CLOUD_IDENTITY_ASSUME", pick(cloudIdentities));
    }
  });
  for (let p = 0; p < pods; p++) {
    const nsIndex = Math.floor(rand() * nsCount);
    const ns = `ns${nsIndex}`;
    const hostNetwork = rand() < 0.02;
    const pod = add({ id: `pod:${ns}/pod-${p}`, kind: "pod", name: `pod-${p}`, namespace: ns, properties: { hostNetwork } });
    link(namespaces[nsIndex]!, "CONTAINS", pod);
    const kubeNode = pick(kubeNodes);
    link(pod, "RUNS_ON", kubeNode);
    if (rand() < 0.03) insights.push({ kind: "internet-exposed", node: pod });
    const sa = serviceAccounts[nsIndex * 5 + Math.floor(rand() * 5)]!;
    const token = add({ id: `volume:${ns}/pod-${p}/token`, kind: "volume", name: "token", namespace: ns, properties: { type: "projected" } });
    link(token, "TOKEN_STEAL", sa);
    const containers = 1 + (rand() < 0.4 ? 1 : 0) + (rand() < 0.1 ? 1 : 0);
    for (let c = 0; c < containers; c++) {
      const privileged = rand() < 0.03;
      const container = add({ id: `container:${ns}/pod-${p}/c${c}`, kind: "container", name: `c${c}`, namespace: ns, properties: { privileged } });
      link(pod, "CONTAINS", container);
      link(container, "IS_RUNNING", skewed(images));
      link(container, "VOLUME_DISCOVER", token);
      link(container, "IDENTITY_ASSUME", sa);
      if (privileged) link(container, "CE_PRIV_MOUNT", kubeNode);
      if (rand() < 0.005) link(container, "EXPLOIT_CONTAINERD_SOCK", kubeNode);
      if (rand() < 0.02) {
        const hp = add({ id: `volume:${ns}/pod-${p}/host${c}`, kind: "volume", name: `host${c}`, namespace: ns, properties: { type: "hostPath", path: "/var/log" } });
        link(container, "VOLUME_DISCOVER", hp);
        link(hp, rand() < 0.5 ? "EXPLOIT_HOST_READ" : "EXPLOIT_HOST_WRITE", kubeNode);
      }
    }
  }
  const chokePoints = Array.from({ length: 200 }, () => ({ node: pick(nodes).id, pathsCut: 1 + Math.floor(rand() * 500) }));
  return { graph: { nodes, edges }, insights, paths: [], chokePoints };
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
  out: Map<string, string[]>;
}

export function handIndex(report: PathsReport): HandIndex {
  const byId = new Map(report.graph.nodes.map((n) => [n.id, n]));
  const out = new Map<string, string[]>();
  for (const e of report.graph.edges) (out.get(e.from) ?? out.set(e.from, []).get(e.from)!).push(e.to);
  return { report, byId, out };
}

/** Hand-written "pods running images with high severity vulnerabilities" (same rows and order). */
export function podsWithHighVulnerabilities({ report, byId, out }: HandIndex): unknown[][] {
  const rows: [string, string, string, number][] = [];
  for (const pod of report.graph.nodes) {
    if (pod.kind !== "pod") continue;
    const perImage = new Map<string, Set<string>>();
    for (const c of out.get(pod.id) ?? []) {
      if (byId.get(c)?.kind !== "container") continue;
      for (const i of out.get(c) ?? []) {
        const image = byId.get(i);
        if (image?.kind !== "image") continue;
        for (const v of out.get(i) ?? []) {
          const sev = byId.get(v)?.properties.severity;
          if (sev === "critical" || sev === "high") (perImage.get(image.name) ?? perImage.set(image.name, new Set()).get(image.name)!).add(v);
        }
      }
    }
    for (const [image, set] of perImage) rows.push([pod.id, pod.namespace ?? "", image, set.size]);
  }
  rows.sort((a, b) => b[3] - a[3] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0) || (a[2] < b[2] ? -1 : 1));
  return rows.slice(0, 1000);
}

/** Hand-written "privileged containers". */
export function privilegedContainers({ report, byId, out }: HandIndex): unknown[][] {
  const rows: [string, string, string][] = [];
  for (const pod of report.graph.nodes) {
    if (pod.kind !== "pod") continue;
    for (const id of out.get(pod.id) ?? []) {
      const c = byId.get(id);
      if (c?.kind === "container" && c.properties.privileged === true) rows.push([c.id, pod.namespace ?? "", pod.name]);
    }
  }
  rows.sort((a, b) => (a[0] < b[0] ? -1 : 1));
  return rows.slice(0, 1000);
}

export async function run(): Promise<BenchResult[]> {
  const pods = Math.max(100, Math.round(30_000 * benchScale()));
  const iterations = pods >= 10_000 ? 7 : 15;
  const report = generateEstate(pods);
  const results: BenchResult[] = [];

  const indexStart = performance.now();
  const view = new GraphView(report);
  results.push({
    name: "explorer.index.build",
    value: round(performance.now() - indexStart),
    unit: "ms",
    note: `${pods} pods, ${report.graph.nodes.length} nodes, ${report.graph.edges.length} edges`,
  });

  const index = handIndex(report);
  const baselines: Record<string, () => unknown> = {
    "pods-high-severity-vulnerabilities": () => podsWithHighVulnerabilities(index),
    "privileged-containers": () => privilegedContainers(index),
  };
  for (const template of TEMPLATES) {
    const samples = time(() => runTemplate(template.id, {}, view, { timeBudgetMs: 60_000, maxBindings: 50_000_000 }), iterations);
    const hand = baselines[template.id];
    const handSamples = hand ? time(hand, iterations) : undefined;
    for (const p of [50, 95]) {
      const value = round(percentile(samples, p));
      const result: BenchResult = { name: `explorer.template.${template.id}.p${p}`, value, unit: "ms" };
      if (handSamples) {
        result.baseline = round(percentile(handSamples, p));
        result.ratio = ratio(value, result.baseline);
        result.note = "baseline: hand-written traversal, same graph";
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
