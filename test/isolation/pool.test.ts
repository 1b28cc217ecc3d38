// The worker pool: deadlines cancel, heap limits stop one worker, host calls reach back, the event
// loop stays responsive, and results equal running the same task on the calling thread.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { afterAll, describe, expect, it } from "vitest";
import { PoolLimitError, TaskPool, DEFAULT_DEADLINES, poolSettingsFromEnv } from "../../shared/isolation/pool.js";
import { node, report, edge } from "../explorer/fixtures.js";
import type { PathsReport } from "../../shared/graph/model.js";
import { InputError, LimitExceededError } from "../../shared/errors.js";

const pool = new TaskPool({ threads: 2, heapMb: 96, deadlines: { ...DEFAULT_DEADLINES, selfTest: 30_000 }, inline: false });
const inline = new TaskPool({ threads: 1, heapMb: 96, deadlines: DEFAULT_DEADLINES, inline: true });
afterAll(() => pool.close());

const graph: PathsReport = report(
  [node("pod:shop/web"), node("container:shop/web/app"), node("pod:shop/db")],
  [edge("pod:shop/web", "CONTAINS", "container:shop/web/app")],
);

describe("task pool", () => {
  it("cancels a task past its deadline with an error naming the limit, and the event loop stays responsive", async () => {
    const h = monitorEventLoopDelay({ resolution: 10 });
    h.enable();
    const t = Date.now();
    const err = await pool.run("selfTest", { spinMs: 60_000 }, { deadlineMs: 800 }).catch((e: unknown) => e);
    h.disable();
    expect(err).toBeInstanceOf(PoolLimitError);
    expect((err as PoolLimitError).limit).toBe("deadline");
    expect((err as Error).message).toMatch(/selfTest exceeded its deadline of 800 ms and was cancelled/);
    expect(Date.now() - t).toBeLessThan(10_000);
    // The spinning happened on another thread: this one kept ticking.
    expect(h.max / 1e6).toBeLessThan(500);
    // The pool still works afterwards.
    await expect(pool.run("selfTest", {})).resolves.toEqual({ ok: true });
  });

  it("stops a worker past its heap limit and reports it; other tasks are unaffected", async () => {
    const [bomb, fine] = await Promise.allSettled([pool.run("selfTest", { allocateMb: 4000 }), pool.run("selfTest", { spinMs: 50 })]);
    expect(bomb.status).toBe("rejected");
    const err = (bomb as PromiseRejectedResult).reason as PoolLimitError;
    expect(err).toBeInstanceOf(PoolLimitError);
    expect(err.limit).toBe("heap");
    expect(err.message).toMatch(/heap limit of 96 MB/);
    expect(fine.status).toBe("fulfilled");
  });

  it("runs explorer queries with graphs fetched once per worker and version through host calls", async () => {
    let fetched = 0;
    const host = {
      graph: async () => {
        fetched++;
        return graph;
      },
    };
    const input = {
      query: "MATCH (p:Pod)-[:CONTAINS]->(c:Container) RETURN p, c",
      params: {},
      limits: {},
      targets: [{ cluster: "shop", clusterId: "c1", digest: "sha256:1" }],
      single: true,
    };
    const single = new TaskPool({ threads: 1, heapMb: 128, deadlines: DEFAULT_DEADLINES, inline: false });
    try {
      const a = await single.run("explorerQuery", input, { host });
      const b = await single.run("explorerQuery", input, { host });
      expect(a).toEqual({ columns: ["p", "c"], rows: [["pod:shop/web", "container:shop/web/app"]], truncated: false });
      expect(b).toEqual(a);
      expect(fetched).toBe(1);
      await single.run("explorerQuery", { ...input, targets: [{ ...input.targets[0]!, digest: "sha256:2" }] }, { host });
      expect(fetched).toBe(2);
      // Same answer on the calling thread.
      expect(await inline.run("explorerQuery", input, { host })).toEqual(a);
      // Query errors keep their message and status across the thread boundary.
      await expect(single.run("explorerQuery", { ...input, query: "MATCH (p:Nope) RETURN p" }, { host })).rejects.toThrow(InputError);
      const limit = await single.run("explorerQuery", { ...input, params: { L: Array.from({ length: 20_000 }, (_, i) => i) } }, { host }).catch((e: unknown) => e);
      expect(limit).toBeInstanceOf(LimitExceededError);
      expect((limit as LimitExceededError).status).toBe(413);
      expect((limit as Error).message).toMatch(/maxListItems/);
      // A task asking for a host call it was not offered fails clearly.
      await expect(single.run("explorerQuery", { ...input, targets: [{ ...input.targets[0]!, clusterId: "c9" }] }, {})).rejects.toThrow(/host call graph is not offered/);
    } finally {
      await single.close();
    }
  });

  it("reads its settings from app settings and refuses nonsense", () => {
    expect(poolSettingsFromEnv({}).heapMb).toBe(1024);
    expect(poolSettingsFromEnv({ VANTAGE_POOL: "inline" }).inline).toBe(true);
    expect(poolSettingsFromEnv({ VANTAGE_TASK_DEADLINES: '{"catalogImage": 1000}' }).deadlines.catalogImage).toBe(1000);
    expect(() => poolSettingsFromEnv({ VANTAGE_TASK_HEAP_MB: "lots" })).toThrow(/VANTAGE_TASK_HEAP_MB/);
    expect(() => poolSettingsFromEnv({ VANTAGE_TASK_DEADLINES: '{"nope": 1}' })).toThrow(/VANTAGE_TASK_DEADLINES/);
  });
});
