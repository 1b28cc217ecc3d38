// Calls from a pool worker back to the host thread over a MessagePort: the worker holds no storage
// clients or credentials; it asks the host for what only the host has (cached layer facts, tokens,
// the feed, a stored graph). Any function-valued record works as the host side.
import type { MessagePort } from "node:worker_threads";

export type HostHandlers = Record<string, (...args: never[]) => unknown>;

interface Request {
  id: number;
  method: string;
  args: unknown[];
}

type Reply = { id: number; value: unknown } | { id: number; error: string };

/** Host side: answers the worker's calls until the port closes. */
export function serveHostCalls(port: MessagePort, handlers: HostHandlers): void {
  port.on("message", async (req: Request) => {
    let reply: Reply;
    try {
      const fn = handlers[req.method] as ((...args: unknown[]) => unknown) | undefined;
      if (!fn) throw new Error(`host call ${req.method} is not offered to this task`);
      reply = { id: req.id, value: await fn(...req.args) };
    } catch (err) {
      reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
    }
    try {
      port.postMessage(reply);
    } catch {
      // The task was cancelled and its port closed: nobody is waiting.
    }
  });
}

/** Worker side: an object whose methods are the host's handlers, asynchronously. */
export function hostProxy<T extends HostHandlers>(port: MessagePort): { [K in keyof T]: (...args: Parameters<T[K]>) => Promise<Awaited<ReturnType<T[K]>>> } {
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  port.on("message", (reply: Reply) => {
    const w = waiting.get(reply.id);
    if (!w) return;
    waiting.delete(reply.id);
    if ("error" in reply) w.reject(new Error(reply.error));
    else w.resolve(reply.value);
  });
  // Only pending calls keep the worker's port referenced.
  port.unref();
  return new Proxy({} as never, {
    get: (_t, method: string) =>
      (...args: unknown[]) =>
        new Promise((resolve, reject) => {
          const id = next++;
          waiting.set(id, { resolve, reject });
          port.ref();
          port.postMessage({ id, method, args } satisfies Request);
        }).finally(() => {
          if (waiting.size === 0) port.unref();
        }),
  });
}
