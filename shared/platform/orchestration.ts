// The orchestration surface handlers and workflows use: start an instance, read its status, wait for
// it. In Azure it is the durable client binding (functions/index.ts adapts it); locally the
// in-process engine (shared/host/durable/engine.ts) implements it. Both report status through
// toInstanceStatus, so a caller sees the same shape from either.
import type { InvocationContext } from "@azure/functions";

export type RuntimeStatus = "Pending" | "Running" | "Completed" | "Failed" | "Terminated";

/** What clients see of an instance. */
export interface InstanceStatus {
  instanceId: string;
  name: string;
  runtimeStatus: RuntimeStatus;
  input: unknown;
  output?: unknown;
  customStatus?: unknown;
  error?: string;
  /** ISO-8601 timestamps. */
  createdTime: string;
  lastUpdatedTime: string;
}

export interface OrchestrationClient {
  startNew(name: string, options?: { instanceId?: string; input?: unknown }): Promise<string>;
  getStatus(instanceId: string): Promise<InstanceStatus | undefined>;
  waitForCompletion(instanceId: string, timeoutMs?: number): Promise<InstanceStatus>;
}

/** An activity function: its input and the invocation context, as durable-functions calls it. */
export type ActivityHandler = (input: any, context: InvocationContext) => unknown;

export function isFinalStatus(status: string): boolean {
  return status === "Completed" || status === "Failed" || status === "Terminated";
}

/** The one status converter: an engine record or a Durable client status → InstanceStatus. */
export function toInstanceStatus(source: {
  instanceId: string;
  name: string;
  runtimeStatus: string;
  input?: unknown;
  output?: unknown;
  customStatus?: unknown;
  error?: string;
  createdTime: string | Date;
  lastUpdatedTime: string | Date;
}): InstanceStatus {
  return {
    instanceId: source.instanceId,
    name: source.name,
    runtimeStatus: source.runtimeStatus as RuntimeStatus,
    input: source.input,
    output: source.output,
    customStatus: source.customStatus,
    error: source.error,
    createdTime: new Date(source.createdTime).toISOString(),
    lastUpdatedTime: new Date(source.lastUpdatedTime).toISOString(),
  };
}
