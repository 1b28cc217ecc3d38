// One registry HTTP exchange: retries with backoff on 429/5xx/network errors (honouring Retry-After),
// a per-request timeout that keeps running as an idle timeout while a body streams, and redirects
// followed by hand so credentials never leave the registry's origin (blob storage gets none).
import { Readable, Transform, type TransformCallback } from "node:stream";
import type { ReadableStream as WebReadableStream } from "node:stream/web";
import { RegistryError } from "./errors.js";
import { DEFAULT_RETRY, isRetryableStatus, parseRetryAfter, retryDelay, type RetryPolicy } from "./retry.js";

export interface HttpOptions {
  fetch: typeof fetch;
  retry: RetryPolicy;
  timeoutMs: number;
}

export const DEFAULT_HTTP: HttpOptions = { fetch: (...a) => fetch(...a), retry: DEFAULT_RETRY, timeoutMs: 60_000 };

export interface HttpRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Replayable bodies only, so retries can resend them. */
  body?: Buffer | string;
  /** Credentials for the registry's own origin; dropped on redirects elsewhere. */
  authorization?: string;
}

export interface HttpResponse {
  status: number;
  headers: Headers;
  url: string;
  /** Node stream of the body with the idle timeout attached. */
  body(): Readable;
  /** Bounded read; throws when the body exceeds `max` bytes. */
  bytes(max: number, what: string): Promise<Buffer>;
  /** Releases the connection without reading. */
  discard(): Promise<void>;
}

const MAX_REDIRECTS = 5;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

class IdleTimer {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly controller: AbortController,
    private readonly ms: number,
  ) {
    this.touch();
  }
  touch(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.controller.abort(new Error(`no data for ${this.ms} ms`)), this.ms);
    this.timer.unref?.();
  }
  stop(): void {
    clearTimeout(this.timer);
  }
}

function wrap(res: Response, controller: AbortController, idle: IdleTimer): HttpResponse {
  let used = false;
  const body = (): Readable => {
    if (used) throw new Error("response body already used");
    used = true;
    if (!res.body) {
      idle.stop();
      return Readable.from([]);
    }
    const src = Readable.fromWeb(res.body as unknown as WebReadableStream<Uint8Array>);
    const watch = new Transform({
      transform(chunk: Buffer, _e, cb: TransformCallback) {
        idle.touch();
        cb(null, chunk);
      },
      flush(cb) {
        idle.stop();
        cb();
      },
    });
    src.on("error", (err) => {
      idle.stop();
      watch.destroy(controller.signal.aborted ? new RegistryError(`${res.url}: body timed out (${errMsg(controller.signal.reason)})`, "Timeout", 504) : err);
    });
    watch.on("close", () => {
      idle.stop();
      if (!src.destroyed) src.destroy();
    });
    return src.pipe(watch);
  };
  return {
    status: res.status,
    headers: res.headers,
    url: res.url,
    body,
    async bytes(max: number, what: string): Promise<Buffer> {
      const declared = Number(res.headers.get("content-length") ?? "NaN");
      if (declared > max) {
        await this.discard();
        throw new RegistryError(`${what}: response of ${declared} bytes exceeds the ${max}-byte limit`, "TooLarge");
      }
      const chunks: Buffer[] = [];
      let total = 0;
      const stream = body();
      try {
        for await (const chunk of stream) {
          total += (chunk as Buffer).length;
          if (total > max) throw new RegistryError(`${what}: response exceeds the ${max}-byte limit`, "TooLarge");
          chunks.push(chunk as Buffer);
        }
      } finally {
        stream.destroy();
      }
      return Buffer.concat(chunks);
    },
    async discard(): Promise<void> {
      idle.stop();
      if (!used) {
        used = true;
        await res.body?.cancel().catch(() => undefined);
      }
    },
  };
}

function errMsg(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as { cause?: unknown }).cause;
    return cause instanceof Error ? `${e.message}: ${cause.message}` : e.message;
  }
  return String(e);
}

async function sendOnce(req: HttpRequest, opts: HttpOptions): Promise<HttpResponse> {
  let url = req.url;
  const origin = new URL(req.url).origin;
  let method = req.method;
  let body = req.body;
  for (let hop = 0; ; hop++) {
    const controller = new AbortController();
    const idle = new IdleTimer(controller, opts.timeoutMs);
    const headers: Record<string, string> = { ...req.headers };
    if (req.authorization && new URL(url).origin === origin) headers.authorization = req.authorization;
    let res: Response;
    try {
      res = await opts.fetch(url, { method, headers, body, redirect: "manual", signal: controller.signal });
    } catch (err) {
      idle.stop();
      throw controller.signal.aborted ? new NetworkError(`timed out after ${opts.timeoutMs} ms`) : new NetworkError(errMsg(err));
    }
    const location = res.headers.get("location");
    if ([301, 302, 303, 307, 308].includes(res.status) && location && !(req.method === "POST" || req.method === "PATCH" || req.method === "PUT")) {
      await res.body?.cancel().catch(() => undefined);
      idle.stop();
      if (hop >= MAX_REDIRECTS) throw new RegistryError(`${req.url}: more than ${MAX_REDIRECTS} redirects`, "TooManyRedirects");
      url = new URL(location, url).href;
      if (res.status === 303) {
        method = "GET";
        body = undefined;
      }
      continue;
    }
    return wrap(res, controller, idle);
  }
}

/** A transport-level failure (connection refused, reset, timeout): retryable. */
export class NetworkError extends Error {
  override readonly name = "NetworkError";
}

/**
 * Sends with retries. Returns the final response whatever its status (callers map statuses to
 * errors) unless every attempt failed at the network level.
 */
export async function send(req: HttpRequest, opts: HttpOptions, what: string): Promise<HttpResponse> {
  let last: unknown;
  for (let attempt = 1; attempt <= opts.retry.attempts; attempt++) {
    let retryAfter: number | undefined;
    try {
      const res = await sendOnce(req, opts);
      if (!isRetryableStatus(res.status) || attempt === opts.retry.attempts) return res;
      retryAfter = parseRetryAfter(res.headers.get("retry-after"));
      await res.discard();
      last = new RegistryError(`${what}: HTTP ${res.status}`);
    } catch (err) {
      if (!(err instanceof NetworkError)) throw err;
      last = err;
    }
    if (attempt < opts.retry.attempts) await sleep(retryDelay(opts.retry, attempt, retryAfter));
  }
  throw new RegistryError(`${what}: ${errMsg(last)} (after ${opts.retry.attempts} attempts)`, "Unavailable", 503);
}
