// Benchmark: discover + bind every cluster of a 500-cluster subscription through the domain
// functions (real SDK clients, concurrency 8) against the ARM emulator, versus the same ARM calls
// made directly, one after another, over a bare keep-alive HTTPS client (global fetch cannot be
// given a private CA without undici, so node:https stands in for it). VANTAGE_BENCH_SCALE shrinks it.
import { bindCluster, discoverClusters, ensureDataReadRole, ensureOperatorIdentity, type ArmConnection } from "../shared/azure/index.js";
import { deterministicGuid } from "../shared/azure/ids.js";
import { syntheticEstate } from "../test/emulators/arm/estate.js";
import { EMULATOR_TOKEN, startArmEmulator, type ArmEmulator } from "../test/emulators/arm/server.js";
import { RawArmClient } from "../test/emulators/arm/client.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const SUBSCRIPTION = "33333333-3333-4333-8333-333333333333";
const CONCURRENCY = 8;

async function mapConcurrent<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

interface Run {
  ms: number;
  calls: number;
  bound: number;
}

async function withEmulator<R>(count: number, latencyMs: number, fn: (emu: ArmEmulator, conn: ArmConnection) => Promise<R>): Promise<R> {
  const emu = await startArmEmulator({ estate: syntheticEstate(count, SUBSCRIPTION), pageSize: 100, lroPolls: 1, latencyMs });
  try {
    const conn: ArmConnection = { endpoint: emu.endpoint, credential: emu.credential, subscriptionId: SUBSCRIPTION, tls: { ca: emu.caCert }, pollIntervalMs: 10 };
    return await fn(emu, conn);
  } finally {
    await emu.stop();
  }
}

/** Domain path: what an onboarding orchestration does. Setup (identity, role) is not timed. */
async function domainRun(count: number, latencyMs: number): Promise<Run> {
  return withEmulator(count, latencyMs, async (emu, conn) => {
    const identity = await ensureOperatorIdentity(conn, { resourceGroup: "rg-vantage", name: "vantage-operator", location: "westeurope" });
    const dataRole = await ensureDataReadRole(conn);
    const before = emu.calls.length;
    const started = performance.now();
    const clusters = await discoverClusters(conn);
    const results = await mapConcurrent(clusters, CONCURRENCY, (c) => bindCluster(conn, c, { principalId: identity.principalId, dataRoleDefinitionId: dataRole }));
    const ms = performance.now() - started;
    return { ms, calls: emu.calls.length - before, bound: results.filter((r) => r.state === "bound").length };
  });
}

/** Baseline: the same list pages and role-assignment PUTs, sequentially, no SDK. */
async function baselineRun(count: number, latencyMs: number): Promise<Run> {
  return withEmulator(count, latencyMs, async (emu, conn) => {
    const identity = await ensureOperatorIdentity(conn, { resourceGroup: "rg-vantage", name: "vantage-operator", location: "westeurope" });
    const dataRole = await ensureDataReadRole(conn);
    const raw = new RawArmClient(emu.endpoint, emu.caCert, EMULATOR_TOKEN);
    const before = emu.calls.length;
    const started = performance.now();
    let bound = 0;
    try {
      let url: string | undefined = `/subscriptions/${SUBSCRIPTION}/providers/Microsoft.ContainerService/managedClusters?api-version=2024-02-01`;
      const ids: string[] = [];
      while (url) {
        const page = (await raw.send("GET", url)).body as { value: { id: string }[]; nextLink?: string };
        ids.push(...page.value.map((c) => c.id));
        url = page.nextLink;
      }
      for (const id of ids) {
        const name = deterministicGuid("data-read-assignment", id, identity.principalId, dataRole);
        const res = await raw.send("PUT", `${id}/providers/Microsoft.Authorization/roleAssignments/${name}?api-version=2022-04-01`, {
          properties: { roleDefinitionId: dataRole, principalId: identity.principalId, principalType: "ServicePrincipal" },
        });
        if (res.status === 201) bound++;
      }
    } finally {
      raw.close();
    }
    return { ms: performance.now() - started, calls: emu.calls.length - before, bound };
  });
}

export async function run(): Promise<BenchResult[]> {
  const count = Math.max(10, Math.round(500 * benchScale()));
  // Warm both paths (module loading, JIT, TLS) so neither pays start-up costs in the measurement.
  await domainRun(10, 0);
  await baselineRun(10, 0);
  const results: BenchResult[] = [];
  // 0 ms: pure client overhead (emulator and client share one thread, so concurrency cannot help);
  // 20 ms: a per-call ARM latency, where bounded concurrency is what makes onboarding fast.
  for (const latencyMs of [0, 20]) {
    const domain = await domainRun(count, latencyMs);
    const baseline = await baselineRun(count, latencyMs);
    if (domain.bound !== count || baseline.bound !== count) {
      throw new Error(`bench: expected ${count} bound clusters, got ${domain.bound} (domain) and ${baseline.bound} (baseline)`);
    }
    results.push({
      name: `onboard.discover_and_bind.${count}_clusters.latency_${latencyMs}ms.wall`,
      value: round(domain.ms),
      unit: "ms",
      baseline: round(baseline.ms),
      ratio: ratio(domain.ms, baseline.ms),
      note: `domain functions, real SDK clients, concurrency ${CONCURRENCY} vs sequential bare HTTPS; simulated ARM latency ${latencyMs} ms per call`,
    });
    if (latencyMs === 0) {
      results.push({
        name: "onboard.arm_calls_per_cluster",
        value: round(domain.calls / count, 3),
        unit: "calls",
        baseline: round(baseline.calls / count, 3),
        ratio: ratio(domain.calls, baseline.calls),
        note: "discovery pages + one role-assignment PUT per cluster; the baseline makes the same calls",
      });
    }
  }
  return results;
}

function round(n: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
}

// `node dist/bench/onboard.js` runs it alone.
if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)), (e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
