// Benchmark: live collection of a generated cluster (5,000 pods × VANTAGE_BENCH_SCALE) from the
// Kubernetes API emulator, against a baseline of raw paginated GETs of the same lists with fetch in
// the same run; plus the inventory diff of a first and an unchanged second snapshot.
import { collectSnapshot } from "../shared/kubernetes/collect/index.js";
import { COLLECTED_RESOURCES, listPath, METADATA_ONLY_ACCEPT } from "../shared/kubernetes/collect/resources.js";
import { diffInventory, inventoryOf } from "../shared/kubernetes/inventory.js";
import { startKubernetesEmulator } from "../demo/runtime/kubernetes/server.js";

import type { BenchResult } from "./types.js";

const PAGE_SIZE = 500;

function generateCluster(pods: number): unknown[] {
  const objects: unknown[] = [];
  for (let i = 0; i < 20; i++)
    objects.push({ apiVersion: "v1", kind: "Node", metadata: { name: `aks-apps-12345678-vmss0000${String(i).padStart(2, "0")}`, labels: { "kubernetes.azure.com/agentpool": "apps" } } });
  const replicas = 10;
  const deployments = Math.max(1, Math.round(pods / replicas));
  for (let d = 0; d < deployments; d++) {
    const ns = `team-${Math.floor(d / 5)}`;
    const name = `svc-${d}`;
    const labels = { app: name };
    objects.push({
      apiVersion: "apps/v1", kind: "Deployment", metadata: { name, namespace: ns, labels },
      spec: { replicas, selector: { matchLabels: labels }, template: { metadata: { labels }, spec: {
        serviceAccountName: name,
        containers: [{ name: "app", image: `vantagedemo.azurecr.io/bench/${name}:1.0.${d % 7}`, ports: [{ containerPort: 8080 }],
          env: [{ name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: `${name}-db`, key: "password" } } }] }],
      } } },
    });
    objects.push({ apiVersion: "v1", kind: "Service", metadata: { name, namespace: ns }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } });
    objects.push({ apiVersion: "v1", kind: "ServiceAccount", metadata: { name, namespace: ns } });
    objects.push({ apiVersion: "v1", kind: "Secret", metadata: { name: `${name}-db`, namespace: ns }, stringData: { password: "VANTAGE-SECRET-MARKER" } });
  }
  return objects;
}

async function measure<T>(fn: () => Promise<T>): Promise<{ result: T; ms: number; peakRssDeltaMb: number }> {
  global.gc?.();
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
  const t0 = performance.now();
  try {
    const result = await fn();
    peak = Math.max(peak, process.memoryUsage().rss);
    return { result, ms: performance.now() - t0, peakRssDeltaMb: (peak - start) / 1024 / 1024 };
  } finally {
    clearInterval(timer);
  }
}

const ratio = (value: number, baseline: number) => (baseline === 0 ? (value === 0 ? 1 : Infinity) : Math.round((value / baseline) * 1000) / 1000);

export async function run(): Promise<BenchResult[]> {
  const scale = Number(process.env.VANTAGE_BENCH_SCALE ?? "1") || 1;
  const pods = Math.max(10, Math.round(5000 * scale));
  const emulator = await startKubernetesEmulator({ objects: generateCluster(pods) });
  try {
    // Baseline: the same lists, fetched raw and parsed, nothing else.
    const before = emulator.requests.count;
    const baseline = await measure(async () => {
      let items = 0;
      for (const r of COLLECTED_RESOURCES) {
        const path = listPath(r.group, r.versions[0]!, r.plural);
        let token: string | undefined;
        do {
          const q = new URLSearchParams({ limit: String(PAGE_SIZE), ...(token ? { continue: token } : {}) });
          const res = await fetch(`${emulator.url}${path}?${q}`, { headers: { accept: r.metadataOnly ? METADATA_ONLY_ACCEPT : "application/json" } });
          const body = (await res.json()) as { items?: unknown[]; metadata?: { continue?: string } };
          items += body.items?.length ?? 0;
          token = body.metadata?.continue;
        } while (token);
      }
      return items;
    });
    const baselineRequests = emulator.requests.count - before;

    const mid = emulator.requests.count;
    const first = await measure(() => collectSnapshot({ server: emulator.url }, { cluster: { name: "bench" }, pageSize: PAGE_SIZE }));
    const collectRequests = emulator.requests.count - mid;
    const second = await collectSnapshot({ server: emulator.url }, { cluster: { name: "bench" }, pageSize: PAGE_SIZE });

    const firstItems = inventoryOf(first.result);
    const initial = diffInventory([], firstItems);
    const stored = firstItems.map(({ key, hash }) => ({ key, hash }));
    const again = diffInventory(stored, inventoryOf(second));
    const writesAgain = again.upserts.length + again.deletes.length;
    const writesFirst = initial.upserts.length + initial.deletes.length;

    return [
      { name: `snapshot.collect.wallTime (${first.result.pods.length} pods)`, value: Math.round(first.ms), unit: "ms", baseline: Math.round(baseline.ms), ratio: ratio(first.ms, baseline.ms) },
      { name: "snapshot.collect.peakRssDelta", value: Math.round(first.peakRssDeltaMb * 10) / 10, unit: "MB", baseline: Math.round(baseline.peakRssDeltaMb * 10) / 10, ratio: ratio(first.peakRssDeltaMb, baseline.peakRssDeltaMb) },
      { name: "snapshot.collect.requests", value: collectRequests, unit: "requests", baseline: baselineRequests, ratio: ratio(collectRequests, baselineRequests) },
      { name: "snapshot.inventory.writes (unchanged vs first)", value: writesAgain, unit: "rows", baseline: writesFirst, ratio: ratio(writesAgain, writesFirst) },
    ];
  } finally {
    await emulator.stop();
  }
}
