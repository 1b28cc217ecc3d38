// Replay overhead: an orchestration fanning out N trivial activities through the local Durable
// engine (real replay engine, history in Azurite) vs the same activities called directly.
import { performance } from "node:perf_hooks";
import { DurableEngine } from "../shared/host/durable/engine.js";
import { InstanceStore } from "../shared/host/durable/store.js";
import type { StorageConnection } from "../shared/storage/connection.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

export async function run(storage: StorageConnection): Promise<BenchResult[]> {
  const n = Math.max(10, Math.round(1000 * benchScale()));
  const activity = async (i: number) => i * 2;

  const t0 = performance.now();
  let direct = 0;
  for (let i = 0; i < n; i++) direct += await activity(i);
  const baselineMs = performance.now() - t0;

  const store = new InstanceStore(storage, `bench${Date.now()}`);
  const engine = new DurableEngine({
    store,
    activityConcurrency: 8,
    orchestrations: {
      fan: function* (ctx: any) {
        const tasks = [];
        for (let i = 0; i < n; i++) tasks.push(ctx.df.callActivity("double", i));
        const results: number[] = yield ctx.df.Task.all(tasks);
        return results.reduce((a, b) => a + b, 0);
      },
    },
    activities: { double: activity },
  });
  const before = { ...storage.metrics };
  const t1 = performance.now();
  const id = await engine.startNew("fan", { instanceId: `fan-${Date.now()}` });
  const status = await engine.waitForCompletion(id, 600_000);
  const engineMs = performance.now() - t1;
  if (status.output !== direct) throw new Error(`fan-out result ${status.output} != ${direct}`);
  const transactions = storage.metrics.tableTransactions - before.tableTransactions;
  return [
    { name: `durable fan-out ${n} activities: wall time`, value: Math.round(engineMs), unit: "ms", baseline: Math.round(baselineMs * 1000) / 1000, ratio: ratio(engineMs, baselineMs), note: "baseline: same activities awaited in a loop" },
    { name: `durable fan-out ${n} activities: Table transactions`, value: transactions, unit: "tx", note: `${engine.stats.episodes} replay episodes` },
  ];
}
