// One catalog of functions feeds both hosts: functions/index.ts registers each definition with
// @azure/functions / durable-functions in Azure, and the local host (shared/host/local-host.ts)
// serves the very same definitions. Handlers see only these shapes, never a host.
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import type { OrchestrationHandler } from "durable-functions";
import type { ActivityHandler, OrchestrationClient } from "./orchestration.js";
import type { EventGridEvent } from "./event-grid.js";

export interface HandlerContext {
  /** Starts and inspects orchestrations (the durable client binding in Azure). */
  client: OrchestrationClient;
  log: (message: string) => void;
}

export type HttpHandler = (request: HttpRequest, context: HandlerContext) => Promise<HttpResponseInit>;
export type TimerHandler = (context: HandlerContext) => Promise<void>;
export type EventHandler = (event: EventGridEvent, context: HandlerContext) => Promise<void>;

export type FunctionDefinition =
  /** authLevel: "function" (default) needs a function key in Azure; the dashboard's assets are "anonymous" behind App Service authentication. */
  | { name: string; trigger: { type: "http"; route: string; methods: ("GET" | "POST" | "PUT" | "DELETE" | "OPTIONS")[]; authLevel?: "anonymous" | "function" }; handler: HttpHandler }
  /** NCRONTAB (six fields, seconds first) as in Azure; `scheduleSetting` names an app setting that overrides it. */
  | { name: string; trigger: { type: "timer"; schedule: string; scheduleSetting?: string; runOnStartup?: boolean }; handler: TimerHandler }
  | { name: string; trigger: { type: "eventGrid" }; handler: EventHandler }
  | { name: string; trigger: { type: "orchestration" }; handler: OrchestrationHandler }
  | { name: string; trigger: { type: "activity" }; handler: ActivityHandler };

export function byTrigger<T extends FunctionDefinition["trigger"]["type"]>(
  catalog: FunctionDefinition[],
  type: T,
): Extract<FunctionDefinition, { trigger: { type: T } }>[] {
  return catalog.filter((f) => f.trigger.type === type) as Extract<FunctionDefinition, { trigger: { type: T } }>[];
}

/** The effective schedule: the app setting when present (e.g. VANTAGE_SNAPSHOT_SCHEDULE), else the default. */
export function timerSchedule(def: Extract<FunctionDefinition, { trigger: { type: "timer" } }>, env: Record<string, string | undefined> = process.env): string {
  const override = def.trigger.scheduleSetting ? env[def.trigger.scheduleSetting] : undefined;
  return override?.trim() || def.trigger.schedule;
}
