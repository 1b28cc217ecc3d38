// The pool worker's entry (Piscina loads the compiled dist/shared/isolation/worker.js): runs one
// task from the table with a proxy for its host calls.
import type { MessagePort } from "node:worker_threads";
import { Piscina } from "piscina";
import { RequestError, type RequestErrorFields } from "../errors.js";
import { hostProxy } from "./host-calls.js";
import { TASKS, type HostCalls, type TaskName } from "./tasks.js";

export interface WorkerRequest {
  task: TaskName;
  input: unknown;
  port: MessagePort;
}

/** A task's outcome: its value, or a caller's mistake (RequestError) kept typed across the thread boundary. */
export type WorkerReply = { value: unknown } | { requestError: RequestErrorFields };

/**
 * The reply, with the byte arrays among the value's own fields moved to the host rather than copied
 * (a serialised SBOM is hundreds of KB). Only arrays that own their whole buffer move: a view into a
 * shared pool slab must be copied.
 */
function moving(reply: { value: unknown }): unknown {
  const value = reply.value;
  if (!value || typeof value !== "object") return reply;
  const buffers = Object.values(value)
    .filter((v): v is Uint8Array => v instanceof Uint8Array && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength && v.buffer instanceof ArrayBuffer)
    .map((v) => v.buffer as ArrayBuffer);
  if (!buffers.length) return reply;
  return Piscina.move({ [Piscina.transferableSymbol]: buffers, [Piscina.valueSymbol]: reply } as never);
}

export default async function run({ task, input, port }: WorkerRequest): Promise<WorkerReply> {
  const fn = TASKS[task] as ((input: unknown, host: HostCalls) => Promise<unknown>) | undefined;
  if (!fn) throw new Error(`unknown pool task ${String(task)}`);
  try {
    return moving({ value: await fn(input, hostProxy<HostCalls & Record<string, never>>(port) as unknown as HostCalls) }) as WorkerReply;
  } catch (err) {
    // Structured cloning keeps only an Error's message: a 400/413 would come back as a 500.
    if (err instanceof RequestError) return { requestError: { message: err.message, code: err.code, status: err.status } };
    throw err;
  } finally {
    port.close();
  }
}
