// In-process Durable Functions backend. The orchestrator code is executed by the real
// durable-functions replay engine (its Orchestrator/TaskOrchestrationExecutor), exactly as the
// Functions host's out-of-process protocol drives it: give it the history, read back its actions,
// run what is new, append the outcomes, replay. What the Durable extension does in Azure (sequence
// numbering, retries with backoff timers, sub-orchestrations, continueAsNew) is done here, and state
// lives in Table storage so a killed host resumes from history.
import { randomUUID } from "node:crypto";
import { createRequire } from "node:module";
import type { OrchestrationHandler } from "durable-functions";
import { ConflictError, ensureError, InputError, NotFoundError } from "../../errors.js";
import { isFinalStatus, toInstanceStatus, type ActivityHandler, type InstanceStatus, type OrchestrationClient } from "../../platform/orchestration.js";
import { events, EventType, scheduledIds, completedIds, type HistoryEvent } from "./history.js";
import type { InstanceRecord, InstanceStore } from "./store.js";

const require = createRequire(import.meta.url);
// The replay engine itself; the package exposes it only under lib/.
const { Orchestrator } = require("durable-functions/lib/src/orchestrations/Orchestrator.js");
const { DurableOrchestrationInput, DummyOrchestrationContext } = require("durable-functions/lib/src/util/testingUtils.js");
const { ReplaySchema } = require("durable-functions/lib/src/orchestrations/ReplaySchema.js");

export class NonDeterminismError extends Error {
  override readonly name = "NonDeterministicOrchestrationError";
}

export interface EngineOptions {
  store: InstanceStore;
  orchestrations: Record<string, OrchestrationHandler>;
  activities: Record<string, ActivityHandler>;
  now?: () => Date;
  log?: (level: "info" | "warn" | "error", message: string) => void;
  /** Activities running at once across all instances. */
  activityConcurrency?: number;
}

interface RetryState {
  isWaitingOnTimer: boolean;
  attemptNumber: number;
  retryOptions: {
    firstRetryIntervalInMilliseconds: number;
    maxNumberOfAttempts: number;
    backoffCoefficient?: number;
    maxRetryIntervalInMilliseconds?: number;
  };
  innerTask: { actionObj: any };
}

type Work =
  | { kind: "activity"; id: number; name: string; input: unknown }
  | { kind: "timer"; id: number; fireAt: Date }
  | { kind: "sub"; id: number; name: string; instanceId: string; input: unknown };

const ActionType = { CallActivity: 0, CallActivityWithRetry: 1, CallSubOrchestrator: 2, CallSubOrchestratorWithRetry: 3, ContinueAsNew: 4, CreateTimer: 5 };

function decodeActionInput(input: unknown): unknown {
  // The library JSON-encodes string inputs once more (Utils.processInput).
  if (typeof input === "string") {
    try {
      return JSON.parse(input);
    } catch {
      return input;
    }
  }
  return input;
}

/**
 * What must be identical on replay: the action's type and target, as the Durable extension checks
 * (inputs are not compared: they may legitimately be objects the orchestrator mutates later).
 */
function actionSignature(a: any): string {
  if (a.actionType === ActionType.CreateTimer) return "timer";
  return `${a.actionType}|${a.functionName ?? ""}|${a.instanceId ?? ""}`;
}

export class DurableEngine implements OrchestrationClient {
  private readonly store: InstanceStore;
  private readonly now: () => Date;
  private readonly log: NonNullable<EngineOptions["log"]>;
  private readonly chains = new Map<string, Promise<void>>();
  /** Outcomes waiting for the next episode, tagged with the execution that scheduled them. */
  private readonly inbox = new Map<string, { executionId: string; event: HistoryEvent }[]>();
  private readonly cache = new Map<string, { record: InstanceRecord; history: HistoryEvent[] }>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly waiters = new Map<string, Set<(s: InstanceStatus) => void>>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private running = 0;
  private readonly queue: (() => void)[] = [];
  private stopped = false;
  /** Counts for tests and benchmarks. */
  readonly stats = { episodes: 0, activitiesRun: 0 };

  constructor(private readonly options: EngineOptions) {
    this.store = options.store;
    this.now = options.now ?? (() => new Date());
    this.log = options.log ?? (() => {});
  }

  // ---- client API -------------------------------------------------------------------------

  async startNew(name: string, opts: { instanceId?: string; input?: unknown } = {}): Promise<string> {
    return this.start(name, opts.instanceId ?? randomUUID().replace(/-/g, ""), opts.input);
  }

  async getStatus(instanceId: string): Promise<InstanceStatus | undefined> {
    const r = this.cache.get(instanceId)?.record ?? (await this.store.get(instanceId));
    return r ? toInstanceStatus(r) : undefined;
  }

  async waitForCompletion(instanceId: string, timeoutMs = 60_000): Promise<InstanceStatus> {
    const current = await this.getStatus(instanceId);
    if (!current) throw new NotFoundError(`no orchestration instance "${instanceId}"`);
    if (isFinalStatus(current.runtimeStatus)) return current;
    return new Promise((resolve, reject) => {
      const set = this.waiters.get(instanceId) ?? new Set();
      this.waiters.set(instanceId, set);
      const timer = setTimeout(() => {
        set.delete(done);
        reject(new Error(`orchestration ${instanceId} did not finish within ${timeoutMs} ms`));
      }, timeoutMs);
      const done = (s: InstanceStatus) => {
        clearTimeout(timer);
        resolve(s);
      };
      set.add(done);
    });
  }

  /** Re-arms everything a previous (killed) host left in flight, from the stored history. */
  async resumeAll(): Promise<number> {
    const open = await this.store.listByStatus(["Pending", "Running"]);
    for (const record of open) {
      const history = await this.store.loadHistory(record.instanceId);
      // History is written before the row, so after a crash it may be ahead: it is the truth.
      const started = history.find((e) => e.EventType === EventType.ExecutionStarted);
      if (started && !history.some((e) => e.EventType === EventType.OrchestratorCompleted)) {
        // A new execution (start or continueAsNew) whose row was not written yet.
        record.input = JSON.parse(String(started.Input ?? "null"));
        record.actionLog = [];
      }
      record.historyLength = history.length;
      this.cache.set(record.instanceId, { record, history });
      const pending = [...scheduledIds(history)].filter((id) => !completedIds(history).has(id));
      const work: Work[] = [];
      for (const id of pending) {
        const e = history.find((h) => h.EventId === id && h.EventType !== EventType.OrchestratorStarted);
        if (!e) continue;
        if (e.EventType === EventType.TaskScheduled) work.push({ kind: "activity", id, name: String(e.Name), input: JSON.parse(String(e.Input)) });
        else if (e.EventType === EventType.TimerCreated) work.push({ kind: "timer", id, fireAt: new Date(e.FireAt as Date) });
        else if (e.EventType === EventType.SubOrchestrationInstanceCreated) {
          work.push({ kind: "sub", id, name: String(e.Name), instanceId: String(e.InstanceId), input: JSON.parse(String(e.Input)) });
        }
      }
      this.log("info", `resuming ${record.name} ${record.instanceId}: ${work.length} pending task(s)`);
      // Always replay once: history may be ahead of the row (a crash between the two writes).
      this.enqueue(record.instanceId, true);
      for (const w of work) this.dispatch(record.instanceId, record.executionId, w, true);
    }
    return open.length;
  }

  /** Resolves when no episode, activity or sub-orchestration is in flight (timers may remain). */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Stops dispatching: pending callbacks become no-ops (what a killed process looks like). */
  stop(): void {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  // ---- lifecycle --------------------------------------------------------------------------

  private async start(name: string, instanceId: string, input: unknown, parent?: InstanceRecord["parent"]): Promise<string> {
    if (!this.options.orchestrations[name]) throw new NotFoundError(`unknown orchestration "${name}"`);
    if (!instanceId || instanceId.length > 256 || /[/\\#?\u0000-\u001f]/.test(instanceId)) {
      throw new InputError(`invalid instance id "${instanceId}"`);
    }
    const existing = this.cache.get(instanceId)?.record ?? (await this.store.get(instanceId));
    if (existing && !isFinalStatus(existing.runtimeStatus)) {
      // Durable's startNew would silently replace a running instance; refusing keeps triggers idempotent.
      throw new ConflictError(`orchestration instance "${instanceId}" is already ${existing.runtimeStatus.toLowerCase()}`, "InstanceAlreadyRunning");
    }
    const at = this.now();
    const record: InstanceRecord = {
      instanceId,
      name,
      runtimeStatus: "Pending",
      input: input ?? null,
      createdTime: at.toISOString(),
      lastUpdatedTime: at.toISOString(),
      executionId: randomUUID(),
      historyLength: 0,
      actionLog: [],
      parent,
    };
    const history = [events.orchestratorStarted(at), events.executionStarted(at, name, input)];
    await this.store.save(record, history, 0, existing?.historyLength ?? 0);
    this.cache.set(instanceId, { record, history });
    this.enqueue(instanceId);
    return instanceId;
  }

  /** Runs one episode per instance at a time; completions that arrive meanwhile join the next. */
  private enqueue(instanceId: string, force = false): void {
    if (this.stopped) return;
    const prev = this.chains.get(instanceId) ?? Promise.resolve();
    const next = prev
      .then(() => (this.stopped ? undefined : this.episode(instanceId, force)))
      .catch((err) => this.failInstance(instanceId, ensureError(err)));
    this.chains.set(instanceId, next);
    this.track(next);
  }

  private track(p: Promise<unknown>): void {
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  private async load(instanceId: string) {
    let entry = this.cache.get(instanceId);
    if (!entry) {
      const record = await this.store.get(instanceId);
      if (!record) throw new Error(`instance ${instanceId} vanished`);
      // A finished instance needs no history (episodes stop at once) and is not cached.
      if (isFinalStatus(record.runtimeStatus)) return { record, history: [] as HistoryEvent[] };
      entry = { record, history: await this.store.loadHistory(instanceId) };
      this.cache.set(instanceId, entry);
    }
    return entry;
  }

  private async episode(instanceId: string, force = false): Promise<void> {
    const { record, history } = await this.load(instanceId);
    if (isFinalStatus(record.runtimeStatus)) return;
    const persistedLength = record.historyLength;
    const newEvents = (this.inbox.get(instanceId) ?? []).filter((x) => x.executionId === record.executionId).map((x) => x.event);
    this.inbox.delete(instanceId);
    // The first episode of an execution is the one whose history has no completed episode yet.
    const isFirst = !history.some((e) => e.EventType === EventType.OrchestratorCompleted);
    if (!isFirst && newEvents.length === 0 && !force) return;
    if (newEvents.length > 0 || !isFirst) history.push(events.orchestratorStarted(this.now()), ...newEvents);
    this.stats.episodes++;

    const handler = this.options.orchestrations[record.name];
    const orchestrator = new Orchestrator(handler);
    const trigger = new DurableOrchestrationInput(
      instanceId, history, record.input, undefined, undefined, undefined, ReplaySchema.V1, false, record.parent?.instanceId ?? "",
    );
    const context = new DummyOrchestrationContext(record.name, randomUUID(), (level: string, ...args: unknown[]) => {
      // Replays re-log; the Functions host suppresses those with context.df.isReplaying too.
      if (!context.df?.isReplaying) this.log(level === "error" ? "error" : "info", args.map(String).join(" "));
    });

    let state: any;
    let failure: Error | undefined;
    try {
      state = await orchestrator.handle(trigger, context);
    } catch {
      failure = ensureError(orchestrator.taskOrchestrationExecutor?.exception ?? new Error("orchestrator failed"));
    }
    const executor = orchestrator.taskOrchestrationExecutor;
    const at = this.now();
    record.lastUpdatedTime = at.toISOString();

    if (!failure) {
      const actions: any[] = (state.actions as any[][]).flat();
      const signatures = actions.filter((a) => a.actionType !== ActionType.ContinueAsNew).map(actionSignature);
      const mismatch = findMismatch(record.actionLog, signatures);
      if (mismatch) failure = new NonDeterminismError(mismatch);
      else record.actionLog = signatures;
      record.customStatus = state.customStatus ?? record.customStatus;

      if (!failure && state.isDone) {
        const cont = actions.find((a) => a.actionType === ActionType.ContinueAsNew);
        if (cont) {
          const input = decodeActionInput(cont.input);
          const fresh = [events.orchestratorStarted(at), events.executionStarted(at, record.name, input)];
          const previousLength = persistedLength;
          history.splice(0, history.length, ...fresh);
          Object.assign(record, { input, runtimeStatus: "Pending", executionId: randomUUID(), actionLog: [], output: undefined });
          await this.store.save(record, history, 0, previousLength);
          this.enqueue(instanceId);
          return;
        }
        record.runtimeStatus = "Completed";
        record.output = state.output ?? null;
        await this.store.save(record, history, persistedLength, persistedLength);
        this.finished(record);
        return;
      }
    }
    if (failure) {
      record.runtimeStatus = "Failed";
      record.error = failure.message;
      this.log("error", `orchestration ${record.name} ${instanceId} failed: ${failure.message}`);
      await this.store.save(record, history, persistedLength, persistedLength);
      this.finished(record, failure);
      return;
    }

    // Schedule what the orchestrator now waits on and the history has not scheduled yet.
    const scheduled = scheduledIds(history);
    const work: Work[] = [];
    const unsupported = Object.keys((executor.openEvents ?? {}) as Record<string, unknown>).map((name) => `waitForExternalEvent("${name}")`);
    for (const [key, task] of Object.entries(executor.openTasks as Record<string, any>)) {
      const id = Number(key);
      if (!Number.isInteger(id) || scheduled.has(id)) continue;
      const w = this.workFor(instanceId, id, task, at);
      if (!w) {
        unsupported.push(`action type ${task?.actionObj?.actionType ?? "?"}`);
        continue;
      }
      work.push(w);
      if (w.kind === "activity") history.push(events.taskScheduled(at, id, w.name, w.input));
      else if (w.kind === "timer") history.push(events.timerCreated(at, id, w.fireAt));
      else history.push(events.subOrchestrationCreated(at, id, w.name, w.instanceId, w.input));
    }
    if (unsupported.length > 0) {
      // Waiting on something this host never delivers would hang the instance for ever.
      record.runtimeStatus = "Failed";
      record.error = `the local host does not support ${unsupported.join(", ")} (external events, entities and durable HTTP are not used by Vantage)`;
      await this.store.save(record, history, persistedLength, persistedLength);
      this.finished(record, new Error(record.error));
      return;
    }
    history.push(events.orchestratorCompleted(at));
    record.runtimeStatus = "Running";
    await this.store.save(record, history, persistedLength, persistedLength);
    for (const w of work) this.dispatch(instanceId, record.executionId, w, false);
  }

  private workFor(instanceId: string, id: number, task: any, at: Date): Work | undefined {
    let action = task.actionObj;
    const parent: RetryState | undefined = task.parent && "retryOptions" in task.parent ? task.parent : undefined;
    if (parent && (typeof action !== "object" || action === null)) {
      if (parent.isWaitingOnTimer) {
        // The retry back-off, computed like the Durable extension: first * coefficient^(n-1), capped.
        const o = parent.retryOptions;
        const attempt = parent.attemptNumber - 1;
        let delay = o.firstRetryIntervalInMilliseconds * Math.pow(o.backoffCoefficient ?? 1, attempt - 1);
        if (o.maxRetryIntervalInMilliseconds && o.maxRetryIntervalInMilliseconds > 0) delay = Math.min(delay, o.maxRetryIntervalInMilliseconds);
        if (parent.attemptNumber > o.maxNumberOfAttempts) delay = 0; // no further attempt: fail now
        return { kind: "timer", id, fireAt: new Date(at.getTime() + delay) };
      }
      action = parent.innerTask.actionObj;
    }
    if (!action || typeof action !== "object") return undefined;
    switch (action.actionType) {
      case ActionType.CallActivity:
      case ActionType.CallActivityWithRetry:
        return { kind: "activity", id, name: action.functionName, input: decodeActionInput(action.input) };
      case ActionType.CreateTimer:
        return { kind: "timer", id, fireAt: new Date(action.fireAt) };
      case ActionType.CallSubOrchestrator:
      case ActionType.CallSubOrchestratorWithRetry: {
        const attempt = parent ? `:${parent.attemptNumber}` : "";
        return { kind: "sub", id, name: action.functionName, instanceId: action.instanceId || `${instanceId}:${id}${attempt}`, input: decodeActionInput(action.input) };
      }
      default:
        return undefined;
    }
  }

  /**
   * Queues an outcome for the execution that scheduled it. A result that arrives after that
   * execution ended (continueAsNew, restart, a Task.any loser) must not complete the task with the
   * same sequence number in the next one, so episodes drop events of other executions.
   */
  private deliver(instanceId: string, executionId: string, event: HistoryEvent): void {
    if (this.stopped) return;
    const list = this.inbox.get(instanceId) ?? [];
    list.push({ executionId, event });
    this.inbox.set(instanceId, list);
    this.enqueue(instanceId);
  }

  private dispatch(instanceId: string, executionId: string, w: Work, resuming: boolean): void {
    if (this.stopped) return;
    if (w.kind === "timer") {
      const delay = Math.max(0, w.fireAt.getTime() - this.now().getTime());
      // setTimeout caps at ~24.8 days: re-arm until the fire time is really reached.
      const max = 2 ** 31 - 1;
      const t = setTimeout(() => {
        this.timers.delete(t);
        if (delay > max) return this.dispatch(instanceId, executionId, w, resuming);
        this.deliver(instanceId, executionId, events.timerFired(this.now(), w.id, w.fireAt));
      }, Math.min(delay, max));
      this.timers.add(t);
      return;
    }
    if (w.kind === "sub") {
      const p = (async () => {
        const child = this.cache.get(w.instanceId)?.record ?? (await this.store.get(w.instanceId));
        if (resuming && child) {
          if (child.runtimeStatus === "Completed") return this.deliver(instanceId, executionId, events.subOrchestrationCompleted(this.now(), w.id, child.output));
          if (child.runtimeStatus === "Failed") return this.deliver(instanceId, executionId, events.subOrchestrationFailed(this.now(), w.id, new Error(child.error)));
          return; // still running: its own resume will report back
        }
        try {
          await this.start(w.name, w.instanceId, w.input, { instanceId, taskId: w.id, executionId });
        } catch (err) {
          this.deliver(instanceId, executionId, events.subOrchestrationFailed(this.now(), w.id, ensureError(err)));
        }
      })();
      this.track(p);
      return;
    }
    const p = this.withSlot(async () => {
      if (this.stopped) return;
      const handler = this.options.activities[w.name];
      let outcome: HistoryEvent;
      try {
        if (!handler) throw new Error(`unknown activity "${w.name}"`);
        this.stats.activitiesRun++;
        const ctx = new DummyOrchestrationContext(w.name, randomUUID(), (level: string, ...args: unknown[]) =>
          this.log(level === "error" ? "error" : "info", `[${w.name}] ${args.map(String).join(" ")}`),
        );
        // Inputs and results cross a JSON boundary in Azure; do the same so nothing relies on identity.
        const result = await handler(JSON.parse(JSON.stringify(w.input ?? null)), ctx);
        outcome = events.taskCompleted(this.now(), w.id, result === undefined ? null : JSON.parse(JSON.stringify(result)));
      } catch (err) {
        outcome = events.taskFailed(this.now(), w.id, ensureError(err));
      }
      this.deliver(instanceId, executionId, outcome);
    });
    this.track(p);
  }

  private async withSlot<T>(fn: () => Promise<T>): Promise<T> {
    const limit = this.options.activityConcurrency ?? 8;
    if (this.running >= limit) await new Promise<void>((r) => this.queue.push(r));
    this.running++;
    try {
      return await fn();
    } finally {
      this.running--;
      this.queue.shift()?.();
    }
  }

  /**
   * The host itself could not run or persist an episode (storage refused a write, …): the instance
   * fails with that error rather than staying "Running" for ever, and whoever waits is told.
   */
  private async failInstance(instanceId: string, err: Error): Promise<void> {
    this.log("error", `orchestration ${instanceId}: ${err.stack ?? err.message}`);
    // The record may already say Completed in memory: it is its save that failed.
    const record = this.cache.get(instanceId)?.record;
    if (!record) return;
    record.runtimeStatus = "Failed";
    // Output and custom status may be what could not be stored.
    record.output = undefined;
    record.customStatus = undefined;
    record.error = `the host could not run this orchestration: ${err.message}`;
    record.lastUpdatedTime = this.now().toISOString();
    try {
      await this.store.instances.upsert(instanceId, "", record);
    } catch (saveErr) {
      try {
        await this.store.instances.upsert(instanceId, "", { ...record, input: null, actionLog: [] });
      } catch {
        this.log("error", `orchestration ${instanceId}: could not record the failure: ${ensureError(saveErr).message}`);
      }
    }
    this.finished(record, new Error(record.error));
  }

  private finished(record: InstanceRecord, failure?: Error): void {
    // A long-running host starts instances on every timer: keep only unfinished ones in memory.
    this.cache.delete(record.instanceId);
    this.inbox.delete(record.instanceId);
    const status = toInstanceStatus(record);
    for (const w of this.waiters.get(record.instanceId) ?? []) w(status);
    this.waiters.delete(record.instanceId);
    if (record.parent) {
      const { instanceId, taskId, executionId } = record.parent;
      this.deliver(
        instanceId,
        executionId ?? "",
        failure ? events.subOrchestrationFailed(this.now(), taskId, failure) : events.subOrchestrationCompleted(this.now(), taskId, record.output),
      );
    }
  }
}

function findMismatch(previous: string[], current: string[]): string | undefined {
  for (let i = 0; i < previous.length; i++) {
    if (current[i] !== previous[i]) {
      const was = describe(previous[i]);
      const now = current[i] === undefined ? "nothing" : describe(current[i]);
      return `Non-deterministic orchestrator: on replay, action #${i + 1} was ${now} but history has ${was}. Orchestrators must not use Date.now, random values, I/O or environment reads; do those in activities.`;
    }
  }
  return undefined;
}

function describe(sig: string): string {
  const [type, name] = sig.split("|");
  if (type === "timer") return "a timer";
  return `${["callActivity", "callActivityWithRetry", "callSubOrchestrator", "callSubOrchestratorWithRetry"][Number(type)] ?? `action ${type}`}("${name}")`;
}
