// The worker pool that keeps heavy work off the host's event loop: image cataloging, SBOM matching,
// graph building and explorer queries run in worker threads (Piscina), each task with a wall-clock
// deadline and each worker with a heap limit (resourceLimits). A task past its deadline is
// cancelled (its thread terminated) and a worker past its heap limit dies alone; both end in a
// PoolLimitError naming the limit, and the host keeps answering.
//
// Workers run JavaScript: from dist/ (npm start, Azure) the worker is this module's sibling; from
// the TypeScript sources (vitest) it is the compiled twin under dist/, which `npm ci` builds
// (`prepare`) and the test setup rebuilds when a source file is newer.
import { existsSync } from "node:fs";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { MessageChannel } from "node:worker_threads";
import { Piscina } from "piscina";
import { RequestError, requestErrorFrom } from "../errors.js";
import { packageRoot } from "../package-root.js";
import { setWorkerInitialHeap } from "./heap-tuning.js";
import { serveHostCalls, type HostHandlers } from "./host-calls.js";
import { TASKS, type HostCalls, type TaskInput, type TaskName, type TaskOutput } from "./tasks.js";
import type { WorkerReply } from "./worker.js";
import type { FeedIndex } from "../scanner/feed/model.js";

export interface PoolSettings {
  /** Worker threads (default: the machine's parallelism, at most 2 — the host thread needs a share). */
  threads: number;
  /** Old-generation heap per worker, MB. */
  heapMb: number;
  /** Old generation a worker starts with, MB (default 64, see heap-tuning.ts); at most heapMb. */
  initialHeapMb?: number;
  /** Wall-clock deadline per task name, ms. */
  deadlines: Record<TaskName, number>;
  /** Run tasks on the calling thread (no isolation): benchmarks' baseline and debugging. */
  inline: boolean;
}

export const DEFAULT_DEADLINES: Record<TaskName, number> = {
  catalogImage: 15 * 60_000,
  matchSbom: 2 * 60_000,
  scanImage: 17 * 60_000,
  evaluatePosture: 2 * 60_000,
  buildGraph: 5 * 60_000,
  explorerQuery: 30_000,
  warmUp: 60_000,
  selfTest: 10_000,
};

const DEFAULT_INITIAL_HEAP_MB = 64;

type Env = Record<string, string | undefined>;

/**
 * Settings from app settings: VANTAGE_POOL (`inline` to disable), VANTAGE_POOL_THREADS,
 * VANTAGE_TASK_HEAP_MB, VANTAGE_TASK_INITIAL_HEAP_MB, VANTAGE_TASK_DEADLINES (JSON).
 */
export function poolSettingsFromEnv(env: Env = process.env): PoolSettings {
  const num = (name: string, fallback: number) => {
    const v = env[name];
    if (v === undefined || v === "") return fallback;
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0) throw new Error(`${name} must be a positive number (got "${v}")`);
    return n;
  };
  let deadlines = { ...DEFAULT_DEADLINES };
  if (env.VANTAGE_TASK_DEADLINES) {
    const parsed = JSON.parse(env.VANTAGE_TASK_DEADLINES) as Record<string, unknown>;
    for (const [k, v] of Object.entries(parsed)) {
      if (!(k in DEFAULT_DEADLINES) || typeof v !== "number" || v <= 0) throw new Error(`VANTAGE_TASK_DEADLINES: ${k} must be a known task with a positive number of ms`);
    }
    deadlines = { ...deadlines, ...(parsed as Record<TaskName, number>) };
  }
  const heapMb = num("VANTAGE_TASK_HEAP_MB", 1024);
  return {
    threads: Math.floor(num("VANTAGE_POOL_THREADS", Math.max(1, Math.min(2, availableParallelism())))),
    heapMb,
    initialHeapMb: Math.min(heapMb, num("VANTAGE_TASK_INITIAL_HEAP_MB", DEFAULT_INITIAL_HEAP_MB)),
    deadlines,
    inline: env.VANTAGE_POOL === "inline",
  };
}

/** A task stopped by the pool: `limit` names what it exceeded. */
export class PoolLimitError extends Error {
  override readonly name = "PoolLimitError";
  constructor(
    readonly task: TaskName,
    readonly limit: "deadline" | "heap",
    message: string,
  ) {
    super(message);
  }
}

export interface RunOptions {
  /** The host calls this task may make (only these). */
  host?: Partial<HostCalls>;
  /** Overrides the task's deadline. */
  deadlineMs?: number;
}

export function workerFile(): string {
  const here = fileURLToPath(import.meta.url);
  const file = here.endsWith(".js") ? join(dirname(here), "worker.js") : join(packageRoot(), "dist", "shared", "isolation", "worker.js");
  if (!existsSync(file)) throw new Error(`the pool worker ${file} is missing: run \`npm run build\` (npm ci builds it)`);
  return file;
}

export class TaskPool {
  private piscina?: Piscina;

  constructor(readonly settings: PoolSettings) {}

  private get pool(): Piscina {
    if (!this.piscina) setWorkerInitialHeap(Math.min(this.settings.heapMb, this.settings.initialHeapMb ?? DEFAULT_INITIAL_HEAP_MB));
    this.piscina ??= new Piscina({
      filename: workerFile(),
      minThreads: 0,
      maxThreads: this.settings.threads,
      // Warm workers keep their feed and graph caches; idle ones go after a minute.
      idleTimeout: 60_000,
      resourceLimits: { maxOldGenerationSizeMb: this.settings.heapMb, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, this.settings.heapMb / 16)) },
    });
    return this.piscina;
  }

  get stats(): { threads: number; queued: number; completed: number } {
    return { threads: this.piscina?.threads.length ?? 0, queued: this.piscina?.queueSize ?? 0, completed: this.piscina?.completed ?? 0 };
  }

  async run<N extends TaskName>(task: N, input: TaskInput<N>, options: RunOptions = {}): Promise<TaskOutput<N>> {
    const deadline = options.deadlineMs ?? this.settings.deadlines[task];
    const host = (options.host ?? {}) as HostCalls;
    if (this.settings.inline) return this.inline(task, input, host, deadline);
    const { port1, port2 } = new MessageChannel();
    serveHostCalls(port1, host as unknown as HostHandlers);
    try {
      const reply = (await this.pool.run({ task, input, port: port2 }, { transferList: [port2], signal: AbortSignal.timeout(deadline) })) as WorkerReply;
      if ("requestError" in reply) throw requestErrorFrom(reply.requestError);
      return reply.value as TaskOutput<N>;
    } catch (err) {
      if (err instanceof RequestError) throw err;
      throw this.explain(task, err, deadline);
    } finally {
      port1.close();
    }
  }

  private async inline<N extends TaskName>(task: N, input: TaskInput<N>, host: HostCalls, deadline: number): Promise<TaskOutput<N>> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new PoolLimitError(task, "deadline", `${task} exceeded its deadline of ${deadline} ms and was abandoned (inline mode cannot stop it)`)), deadline);
      timer.unref();
    });
    try {
      const fn = TASKS[task] as (input: TaskInput<N>, host: HostCalls) => Promise<TaskOutput<N>>;
      return await Promise.race([fn(input, host), late]);
    } finally {
      clearTimeout(timer);
    }
  }

  private explain(task: TaskName, err: unknown, deadline: number): Error {
    const e = err as Error & { code?: string };
    if (e?.name === "AbortError" || e?.code === "ABORT_ERR") {
      return new PoolLimitError(task, "deadline", `${task} exceeded its deadline of ${deadline} ms and was cancelled (VANTAGE_TASK_DEADLINES)`);
    }
    if (e?.code === "ERR_WORKER_OUT_OF_MEMORY" || /memory limit|heap out of memory/i.test(e?.message ?? "")) {
      return new PoolLimitError(task, "heap", `${task} exceeded its heap limit of ${this.settings.heapMb} MB and was stopped (VANTAGE_TASK_HEAP_MB)`);
    }
    return e instanceof Error ? e : new Error(String(err));
  }

  /**
   * Starts every worker thread and has it load the scan path (and `feed`, when given) now, e.g. while
   * a host starts, rather than on the first scan. Idle workers still retire after a minute.
   */
  async warm(feed?: FeedIndex): Promise<void> {
    if (this.settings.inline) return;
    const input = { feedHash: feed?.version.hash };
    const host = feed ? { feed: async () => feed } : {};
    await Promise.all(Array.from({ length: this.settings.threads }, () => this.run("warmUp", input, { host })));
  }

  async close(): Promise<void> {
    const p = this.piscina;
    this.piscina = undefined;
    await p?.destroy();
  }
}

let shared: TaskPool | undefined;

/** The process's pool, from app settings on first use. */
export function taskPool(): TaskPool {
  shared ??= new TaskPool(poolSettingsFromEnv());
  return shared;
}

/** Ends the process's pool (the host's stop, tests). */
export async function closeTaskPool(): Promise<void> {
  const p = shared;
  shared = undefined;
  await p?.close();
}
