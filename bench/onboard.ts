// Benchmark: discover + bind every cluster of a 500-cluster subscription through the domain
// functions (real SDK clients, concurrency 8) against the ARM emulator, versus the same ARM calls
// made directly, one after another, over a bare keep-alive HTTPS client (global fetch cannot be
// given a private CA without undici, so node:https stands in for it). VANTAGE_BENCH_SCALE shrinks it.
// Then the real onboardSubscription orchestration, run by the local host's Durable engine with its
// state in a real Azurite, against the same estate: wall time, ARM calls and Table transactions,
// with the sequential bare-HTTPS run above as the baseline.
import { createCatalog } from "../functions/catalog.js";
import { createDependencies } from "../shared/workflows/dependencies.js";
import { bindCluster, discoverClusters, ensureDataReadRole, ensureOperatorIdentity, type ArmConnection } from "../shared/azure/index.js";
import { deterministicGuid } from "../shared/azure/ids.js";
import { startAzurite } from "../shared/host/azurite.js";
import type { InstanceStatus } from "../shared/platform/orchestration.js";
import { LocalHost } from "../shared/host/local-host.js";
import { storageFromEnv, type StorageConnection } from "../shared/storage/connection.js";
import { ORCHESTRATIONS } from "../shared/workflows/names.js";
import type { OnboardSummary } from "../shared/workflows/onboard.js";
import { syntheticEstate } from "../demo/runtime/arm/estate.js";
import { EMULATOR_TOKEN, startArmEmulator, type ArmEmulator } from "../demo/runtime/arm/server.js";
import { RawArmClient } from "../demo/runtime/arm/client.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const SUBSCRIPTION = "33333333-3333-4333-8333-333333333333";
/** The warm-up orchestration's subscription, so its Table rows never mix with the measured run's. */
const WARMUP_SUBSCRIPTION = "44444444-4444-4444-8444-444444444444";
const CONCURRENCY = 8;
/** syntheticEstate's extra resource group, where the operator identity is created (as in the demo). */
const OPERATOR = { resourceGroup: "rg-vantage", name: "vantage-posture-operator", location: "westeurope" };
/** Keeps a full-scale run near two minutes; a hang fails the benchmark instead of stalling `npm run bench`. */
const ORCHESTRATION_TIMEOUT_MS = 120_000;

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

interface OrchestrationRun extends Run {
  tableTransactions: number;
}

/**
 * The real onboardSubscription orchestration through LocalHost's Durable engine (activity
 * concurrency 8, like the domain run), configured as the demo stack configures it. Snapshot is
 * skipped: synthetic clusters have no Kubernetes API. The emulator is fresh, so its whole call log
 * is this orchestration's (identity, roles, discovery, binds, registries). Table transactions are
 * counted from startNew until the engine is idle (history, instance record and pipeline state).
 */
async function orchestrationRun(storage: StorageConnection, count: number, subscriptionId: string, instanceId: string): Promise<OrchestrationRun> {
  const emu = await startArmEmulator({ estate: syntheticEstate(count, subscriptionId), pageSize: 100, lroPolls: 1 });
  // An episode that throws (e.g. a storage write the service rejects) is only logged by the engine,
  // and the instance stays Running for ever: catch that log line to fail now, with its cause.
  const crash: { error?: Error } = {};
  const crashPrefix = `error: orchestration ${instanceId}: `;
  const deps = createDependencies({
    storage,
    // No app settings from the caller's environment: the benchmark always measures the defaults.
    env: {},
    config: { armEndpoint: emu.endpoint, credential: emu.credential, armCa: emu.caCert, armPollIntervalMs: 50, armRetryDelayMs: 100, operator: OPERATOR },
  });
  const host = new LocalHost({
    catalog: createCatalog(deps),
    storage,
    taskHub: deps.config.taskHub,
    log: (message) => {
      if (!crash.error && message.startsWith(crashPrefix)) {
        crash.error = new Error(`bench: the Durable engine's episode for ${instanceId} threw, leaving it Running: ${message.slice(crashPrefix.length).split("\n")[0]}`);
      }
    },
    env: {},
    port: 0,
  });
  try {
    await host.start();
    const txBefore = storage.metrics.tableTransactions;
    const started = performance.now();
    await host.engine.startNew(ORCHESTRATIONS.onboardSubscription, { instanceId, input: { subscriptionId, skipSnapshot: true } });
    const status = await waitForCompletionOrCrash(host, instanceId, crash);
    const ms = performance.now() - started;
    await host.engine.idle();
    const tableTransactions = storage.metrics.tableTransactions - txBefore;
    if (status.runtimeStatus !== "Completed") throw new Error(`bench: onboarding orchestration ${status.runtimeStatus}: ${status.error ?? ""}`);
    const summary = status.output as OnboardSummary;
    // Every synthetic cluster is bindable (running, Entra ID with Azure RBAC).
    const bindable = summary.clusters.discovered - summary.clusters.unbindable;
    if (!summary.ok || summary.clusters.discovered !== count || bindable !== count || summary.clusters.bound !== bindable) {
      throw new Error(`bench: orchestration expected ${count} bindable clusters bound, got ${JSON.stringify(summary.clusters)}${summary.error ? ` (${summary.error})` : ""}`);
    }
    return { ms, calls: emu.calls.length, bound: summary.clusters.bound, tableTransactions };
  } finally {
    await host.stop();
    await emu.stop();
  }
}

/**
 * waitForCompletion in one-second slices, so a crashed episode is noticed within a second and no
 * long wait timer outlives the benchmark (the engine has no way to cancel one). A completion still
 * resolves the moment the engine records it, so the wall time is not rounded to a slice.
 */
async function waitForCompletionOrCrash(host: LocalHost, instanceId: string, crash: { error?: Error }): Promise<InstanceStatus> {
  const deadline = performance.now() + ORCHESTRATION_TIMEOUT_MS;
  for (;;) {
    if (crash.error) throw crash.error;
    const slice = Math.min(1000, deadline - performance.now());
    if (slice <= 0) throw new Error(`bench: orchestration ${instanceId} did not finish within ${ORCHESTRATION_TIMEOUT_MS} ms`);
    try {
      return await host.engine.waitForCompletion(instanceId, Math.ceil(slice));
    } catch (err) {
      if (!(err instanceof Error) || !err.message.includes("did not finish within")) throw err;
    }
  }
}

/** Starts its own Azurite; a small warm-up orchestration first pays module loading and table creation. */
async function orchestrationBench(count: number): Promise<OrchestrationRun> {
  const azurite = await startAzurite();
  try {
    const storage = storageFromEnv({ AzureWebJobsStorage: azurite.connectionString });
    await orchestrationRun(storage, 10, WARMUP_SUBSCRIPTION, "bench-warmup");
    return await orchestrationRun(storage, count, SUBSCRIPTION, "bench");
  } finally {
    await azurite.stop();
  }
}

export async function run(): Promise<BenchResult[]> {
  const count = Math.max(10, Math.round(500 * benchScale()));
  // Warm both paths (module loading, JIT, TLS) so neither pays start-up costs in the measurement.
  await domainRun(10, 0);
  await baselineRun(10, 0);
  const results: BenchResult[] = [];
  let baselineNoLatency: Run | undefined;
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
      baselineNoLatency = baseline;
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

  // The orchestration runs against an emulator without added latency, so its baseline is the
  // sequential bare-HTTPS run at 0 ms measured above.
  const baseline = baselineNoLatency!;
  let orch: OrchestrationRun;
  try {
    orch = await orchestrationBench(count);
  } catch (err) {
    // Reported like run.ts reports a failed benchmark, without losing the rows measured above.
    results.push({ name: `onboard.orchestration.${count}_clusters: FAILED`, value: NaN, unit: "", note: err instanceof Error ? err.message : String(err) });
    return results;
  }
  results.push(
    {
      name: `onboard.orchestration.${count}_clusters.wall`,
      value: round(orch.ms),
      unit: "ms",
      baseline: round(baseline.ms),
      ratio: ratio(orch.ms, baseline.ms),
      note: "onboardSubscription (create, assign, discover, bind, registries, record; skipSnapshot) through LocalHost's Durable engine on Azurite vs the same ARM calls sequentially over bare HTTPS, latency 0 ms",
    },
    {
      name: `onboard.orchestration.${count}_clusters.arm_calls_per_cluster`,
      value: round(orch.calls / count, 3),
      unit: "calls",
      baseline: round(baseline.calls / count, 3),
      ratio: ratio(orch.calls, baseline.calls),
      note: "every emulator call of the orchestration, setup included (identity, roles, registries); the baseline makes only the list pages and the binds",
    },
    {
      name: `onboard.orchestration.${count}_clusters.table_transactions`,
      value: orch.tableTransactions,
      unit: "tx",
      note: "storage.metrics delta from startNew until the engine is idle: Durable history and instance state plus pipeline state; the baseline writes no Tables",
    },
    {
      name: `onboard.orchestration.${count}_clusters.table_transactions_per_cluster`,
      value: round(orch.tableTransactions / count, 3),
      unit: "tx",
      note: "the total above divided by the clusters onboarded",
    },
  );
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
