import { describe, expect, it } from "vitest";
import * as df from "durable-functions";
import { DurableEngine } from "../../shared/host/durable/engine.js";
import type { ActivityHandler } from "../../shared/platform/orchestration.js";
import { InstanceStore } from "../../shared/host/durable/store.js";
import { testStorage, uniqueName } from "../support/storage.js";

function engineWith(orchestrations: Record<string, any>, activities: Record<string, ActivityHandler>, store?: InstanceStore) {
  const s = store ?? new InstanceStore(testStorage(), uniqueName("t"));
  return { engine: new DurableEngine({ store: s, orchestrations, activities }), store: s };
}

describe("durable engine (real durable-functions replay)", () => {
  it("fans out and in, passing inputs and results through JSON", async () => {
    const calls: number[] = [];
    const { engine } = engineWith(
      {
        fan: function* (ctx: any): Generator<any, unknown, any> {
          const n: number = ctx.df.getInput().n;
          const tasks = [];
          for (let i = 0; i < n; i++) tasks.push(ctx.df.callActivity("square", i));
          const results: number[] = yield ctx.df.Task.all(tasks);
          ctx.df.setCustomStatus({ done: results.length });
          return results.reduce((a, b) => a + b, 0);
        },
      },
      { square: async (i: number) => { calls.push(i); return i * i; } },
    );
    const id = await engine.startNew("fan", { instanceId: "fan-1", input: { n: 20 } });
    const status = await engine.waitForCompletion(id, 20_000);
    expect(status.runtimeStatus).toBe("Completed");
    expect(status.output).toBe([...Array(20).keys()].reduce((a, i) => a + i * i, 0));
    expect(status.customStatus).toEqual({ done: 20 });
    expect(calls.sort((a, b) => a - b)).toEqual([...Array(20).keys()]);
  });

  it("retries a failing activity per RetryOptions, then succeeds", async () => {
    let attempts = 0;
    const { engine } = engineWith(
      {
        retry: function* (ctx: any): Generator<any, unknown, any> {
          const opts = new df.RetryOptions(10, 4);
          return yield ctx.df.callActivityWithRetry("flaky", opts, "x");
        },
      },
      { flaky: async (x: string) => { attempts++; if (attempts < 3) throw new Error(`transient ${attempts}`); return `${x}:${attempts}`; } },
    );
    const s = await engine.waitForCompletion(await engine.startNew("retry", { instanceId: "r1" }), 20_000);
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.output).toBe("x:3");
    expect(attempts).toBe(3);
  });

  it("fails the instance with the error once retries are exhausted", async () => {
    let attempts = 0;
    const { engine } = engineWith(
      { retry: function* (ctx: any): Generator<any, unknown, any> { return yield ctx.df.callActivityWithRetry("bad", new df.RetryOptions(5, 2), null); } },
      { bad: async () => { attempts++; throw new Error("permanent 403 AuthorizationFailed"); } },
    );
    const s = await engine.waitForCompletion(await engine.startNew("retry", { instanceId: "r2" }), 20_000);
    expect(s.runtimeStatus).toBe("Failed");
    expect(s.error).toContain("permanent 403 AuthorizationFailed");
    expect(attempts).toBe(2);
  });

  it("lets an orchestrator catch a failed activity and carry on", async () => {
    const { engine } = engineWith(
      {
        catcher: function* (ctx: any): Generator<any, unknown, any> {
          try { yield ctx.df.callActivity("boom", null); } catch (e) { return `caught: ${(e as Error).message}`; }
          return "not reached";
        },
      },
      { boom: async () => { throw new Error("kaput"); } },
    );
    const s = await engine.waitForCompletion(await engine.startNew("catcher", { instanceId: "c1" }), 20_000);
    expect(s.output).toContain("kaput");
  });

  it("fires durable timers deterministically from history time", async () => {
    const { engine } = engineWith(
      {
        sleeper: function* (ctx: any): Generator<any, unknown, any> {
          const start: Date = ctx.df.currentUtcDateTime;
          yield ctx.df.createTimer(new Date(start.getTime() + 150));
          const after: Date = ctx.df.currentUtcDateTime;
          return after.getTime() - start.getTime();
        },
      },
      {},
    );
    const s = await engine.waitForCompletion(await engine.startNew("sleeper", { instanceId: "s1" }), 20_000);
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.output as number).toBeGreaterThanOrEqual(150);
  });

  it("runs sub-orchestrations and continueAsNew", async () => {
    const { engine } = engineWith(
      {
        parent: function* (ctx: any): Generator<any, unknown, any> {
          const a = yield ctx.df.callSubOrchestrator("child", 2);
          const b = yield ctx.df.callSubOrchestrator("child", 5, "child-fixed-id");
          return a + b;
        },
        child: function* (ctx: any): Generator<any, unknown, any> { return yield ctx.df.callActivity("double", ctx.df.getInput()); },
        counter: function* (ctx: any): Generator<any, unknown, any> {
          const n: number = ctx.df.getInput();
          const v = yield ctx.df.callActivity("double", n);
          if (n < 3) { ctx.df.continueAsNew(n + 1); return; }
          return v;
        },
      },
      { double: async (n: number) => n * 2 },
    );
    const p = await engine.waitForCompletion(await engine.startNew("parent", { instanceId: "p1" }), 20_000);
    expect(p.output).toBe(14);
    expect((await engine.getStatus("child-fixed-id"))?.runtimeStatus).toBe("Completed");
    const c = await engine.waitForCompletion(await engine.startNew("counter", { instanceId: "cnt", input: 0 }), 20_000);
    expect(c.output).toBe(6);
    expect(c.input).toBe(3);
  });

  it("refuses a second start of a running instance id", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { engine } = engineWith(
      { slow: function* (ctx: any): Generator<any, unknown, any> { return yield ctx.df.callActivity("wait", null); } },
      { wait: async () => { await gate; return "ok"; } },
    );
    await engine.startNew("slow", { instanceId: "dup" });
    await expect(engine.startNew("slow", { instanceId: "dup" })).rejects.toThrow(/already/);
    release();
    expect((await engine.waitForCompletion("dup", 20_000)).output).toBe("ok");
    // Finished instances may be started again (a new execution).
    await engine.startNew("slow", { instanceId: "dup" });
    expect((await engine.waitForCompletion("dup", 20_000)).runtimeStatus).toBe("Completed");
  });

  it("resumes after a kill without re-running completed activities", async () => {
    const runs: Record<string, number> = {};
    const orchestrations = {
      pipeline: function* (ctx: any): Generator<any, unknown, any> {
        const a = yield ctx.df.callActivity("step", "a");
        const b = yield ctx.df.callActivity("step", "b");
        return `${a}${b}`;
      },
    };
    let hang = true;
    const activities: Record<string, ActivityHandler> = {
      step: async (name: string) => {
        runs[name] = (runs[name] ?? 0) + 1;
        if (name === "b" && hang) await new Promise(() => {}); // the host dies while b runs
        return name.toUpperCase();
      },
    };
    const store = new InstanceStore(testStorage(), uniqueName("k"));
    const first = new DurableEngine({ store, orchestrations, activities });
    await first.startNew("pipeline", { instanceId: "kill-1" });
    for (let i = 0; i < 200 && !runs.b; i++) await new Promise((r) => setTimeout(r, 25));
    expect(runs).toEqual({ a: 1, b: 1 });
    first.stop();

    hang = false;
    const second = new DurableEngine({ store, orchestrations, activities });
    expect(await second.resumeAll()).toBe(1);
    const s = await second.waitForCompletion("kill-1", 20_000);
    expect(s.output).toBe("AB");
    expect(runs).toEqual({ a: 1, b: 2 });
  });

  it("fails a non-deterministic orchestrator with a clear error", async () => {
    let flip = 0;
    const { engine } = engineWith(
      {
        wobbly: function* (ctx: any): Generator<any, unknown, any> {
          // Reading mutable outside state is exactly what orchestrators must not do.
          const name = flip++ === 0 ? "one" : "two";
          yield ctx.df.callActivity(name, null);
          yield ctx.df.callActivity("one", null);
          return "done";
        },
      },
      { one: async () => 1, two: async () => 2 },
    );
    const s = await engine.waitForCompletion(await engine.startNew("wobbly", { instanceId: "nd" }), 20_000);
    expect(s.runtimeStatus).toBe("Failed");
    expect(s.error).toMatch(/Non-deterministic orchestrator/);
    expect(s.error).toContain('callActivity("two")');
  });

  it("keeps large activity results in Blob, resumes with them, and fails (not hangs) on an unstorable output", async () => {
    const big = "x".repeat(400_000);
    const store = new InstanceStore(testStorage(), uniqueName("big"));
    const orchestrations = {
      large: function* (ctx: any): Generator<any, unknown, any> {
        const a: string = yield ctx.df.callActivity("make", 1);
        const b: string = yield ctx.df.callActivity("make", 2);
        return a.length + b.length;
      },
      huge: function* (ctx: any): Generator<any, unknown, any> {
        yield ctx.df.callActivity("make", 1);
        return "y".repeat(2_000_000); // more than any Table entity holds
      },
    };
    let made = 0;
    const activities = { make: async () => { made++; return big; } };
    const engine = new DurableEngine({ store, orchestrations, activities });
    const s = await engine.waitForCompletion(await engine.startNew("large", { instanceId: "big-1" }), 20_000);
    expect(s.output).toBe(800_000);
    // A fresh host reads the offloaded events back from history.
    const history = await new InstanceStore(testStorage(), (store as any).instances.table.replace(/Instances$/, "")).loadHistory("big-1");
    const results = history.filter((e) => e.EventType === 5).map((e) => JSON.parse(String(e.Result)) as string);
    expect(results.map((r) => r.length)).toEqual([400_000, 400_000]);
    expect(made).toBe(2);

    const h = await engine.waitForCompletion(await engine.startNew("huge", { instanceId: "big-2" }), 20_000);
    expect(h.runtimeStatus).toBe("Failed");
    expect(h.error).toMatch(/could not run this orchestration: .*exceed a Table entity/);
    expect((await engine.getStatus("big-2"))?.runtimeStatus).toBe("Failed");
  });

  it("never lets a result of an ended execution complete a task of the next one", async () => {
    const { engine } = engineWith(
      {
        loop: function* (ctx: any): Generator<any, unknown, any> {
          if (ctx.df.getInput() === 0) {
            // The timer wins; the slow activity's result arrives after continueAsNew.
            yield ctx.df.Task.any([ctx.df.callActivity("slow", "old"), ctx.df.createTimer(new Date(ctx.df.currentUtcDateTime.getTime() + 50))]);
            ctx.df.continueAsNew(1);
            return;
          }
          return yield ctx.df.callActivity("fast", "new");
        },
      },
      {
        slow: async (x: string) => { await new Promise((r) => setTimeout(r, 300)); return `slow:${x}`; },
        fast: async (x: string) => { await new Promise((r) => setTimeout(r, 900)); return `fast:${x}`; },
      },
    );
    const s = await engine.waitForCompletion(await engine.startNew("loop", { instanceId: "gen", input: 0 }), 20_000);
    expect(s.output).toBe("fast:new");
  });

  it("fails an orchestration that waits for something the local host never delivers", async () => {
    const { engine } = engineWith({ ev: function* (ctx: any): Generator<any, unknown, any> { return yield ctx.df.waitForExternalEvent("approval"); } }, {});
    const s = await engine.waitForCompletion(await engine.startNew("ev", { instanceId: "ev1" }), 20_000);
    expect(s.runtimeStatus).toBe("Failed");
    expect(s.error).toMatch(/does not support waitForExternalEvent\("approval"\)/);
  });

  it.each([
    ["the first episode's history is saved but its row is not", "one", 2],
    ["a completing episode's history is saved but its row is not", "one", 3],
    ["continueAsNew rewrote the history but not the row", "again", 3],
  ])("resumes when the host died after %s", async (_what, name, crashAtUpsert) => {
    const orchestrations = {
      one: function* (ctx: any): Generator<any, unknown, any> { return yield ctx.df.callActivity("act", "x"); },
      again: function* (ctx: any): Generator<any, unknown, any> {
        const n: number = ctx.df.getInput();
        yield ctx.df.callActivity("act", n);
        if (n < 1) { ctx.df.continueAsNew(n + 1); return; }
        return "done";
      },
    };
    const activities = { act: async (x: unknown) => `act:${x}` };
    const hub = uniqueName("crash");
    const store = new InstanceStore(testStorage(), hub);
    // The host dies inside the Nth instance-row write: history is saved, the row never is.
    const upsert = store.instances.upsert.bind(store.instances);
    let calls = 0;
    (store.instances as any).upsert = (...args: Parameters<typeof upsert>) => (++calls === crashAtUpsert ? new Promise(() => {}) : upsert(...args));
    const first = new DurableEngine({ store, orchestrations, activities });
    await first.startNew(name, { instanceId: "c1", input: 0 });
    for (let i = 0; i < 200 && calls < crashAtUpsert; i++) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    first.stop();
    const second = new DurableEngine({ store: new InstanceStore(testStorage(), hub), orchestrations, activities });
    expect(await second.resumeAll()).toBe(1);
    const s = await second.waitForCompletion("c1", 20_000);
    expect(s.runtimeStatus).toBe("Completed");
    expect(s.output).toBe(name === "one" ? "act:x" : "done");
  });
});
