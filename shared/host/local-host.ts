// The local Functions host: the catalog's HTTP functions on loopback, timers on their NCRONTAB
// schedules, Event Grid deliveries through POST /api/events, and orchestrations run in-process by
// the Durable engine over Table storage. It maps one to one onto what Azure provides (README).
import type { OrchestrationHandler } from "durable-functions";
import type { StorageConnection } from "../storage/connection.js";
import { parseCron } from "./cron.js";
import { byTrigger, timerSchedule, type FunctionDefinition, type HandlerContext } from "../platform/functions.js";
import { DurableEngine } from "./durable/engine.js";
import type { ActivityHandler } from "../platform/orchestration.js";
import { InstanceStore } from "./durable/store.js";
import { startHttpServer, type HttpServerHandle } from "./http-server.js";
import { ensureError } from "../errors.js";
import { closeTaskPool } from "../isolation/index.js";

export interface LocalHostOptions {
  /** The functions to serve, built from the host's dependencies (functions/catalog.ts). */
  catalog: FunctionDefinition[];
  /** Where orchestration state lives, and the task hub naming its tables. */
  storage: StorageConnection;
  taskHub: string;
  /** App settings for timer schedule overrides. */
  env?: Record<string, string | undefined>;
  /** 7071 like `func start`; 0 picks a free port (tests). */
  port?: number;
  /** Run timer functions on their schedules (off for --once and most tests). */
  timers?: boolean;
  log?: (message: string) => void;
  /** Work done once before anything is served or resumed (shared/workflows/warm-up.ts), so no request pays for it. */
  warm?: () => Promise<void>;
}

export class LocalHost {
  engine!: DurableEngine;
  http?: HttpServerHandle;
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: (message: string) => void;

  constructor(private readonly options: LocalHostOptions) {
    this.log = options.log ?? (() => {});
  }

  get context(): HandlerContext {
    return { client: this.engine, log: this.log };
  }

  async start(): Promise<void> {
    const { catalog, storage, taskHub } = this.options;
    const orchestrations: Record<string, OrchestrationHandler> = {};
    const activities: Record<string, ActivityHandler> = {};
    for (const f of byTrigger(catalog, "orchestration")) orchestrations[f.name] = f.handler;
    for (const f of byTrigger(catalog, "activity")) activities[f.name] = f.handler;
    this.engine = new DurableEngine({
      store: new InstanceStore(storage, taskHub),
      orchestrations,
      activities,
      log: (level, message) => this.log(`${level === "info" ? "" : `${level}: `}${message}`),
    });
    if (this.options.warm) {
      const started = Date.now();
      await this.options.warm();
      this.log(`warmed up in ${Date.now() - started} ms`);
    }
    const resumed = await this.engine.resumeAll();
    if (resumed) this.log(`resumed ${resumed} orchestration(s) from history`);
    if (this.options.port !== undefined || byTrigger(catalog, "http").length) {
      this.http = await startHttpServer(byTrigger(catalog, "http"), this.context, { port: this.options.port ?? 7071 });
    }
    if (this.options.timers) for (const t of byTrigger(catalog, "timer")) this.schedule(t);
  }

  private schedule(def: Extract<FunctionDefinition, { trigger: { type: "timer" } }>): void {
    const cron = parseCron(timerSchedule(def, this.options.env ?? process.env));
    const arm = () => {
      const delay = cron.next(new Date()).getTime() - Date.now();
      const t = setTimeout(async () => {
        this.timers.delete(t);
        try {
          await def.handler(this.context);
        } catch (err) {
          this.log(`timer ${def.name} failed: ${ensureError(err).message}`);
        }
        arm();
      }, Math.min(Math.max(delay, 0), 2 ** 31 - 1));
      this.timers.add(t);
    };
    if (def.trigger.runOnStartup) void def.handler(this.context).catch((err) => this.log(`timer ${def.name} failed: ${ensureError(err).message}`));
    arm();
  }

  async stop(): Promise<void> {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.engine?.stop();
    await this.http?.close();
    await closeTaskPool();
  }
}
