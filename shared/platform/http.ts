// Response helpers shared by every HTTP handler, so errors look the same in Azure and locally:
// {"error":{"code":"…","message":"…"}} with the status of the error's category (shared/errors.ts):
//   InputError 400 (LimitExceededError and oversized bodies 413), AuthError 401 unauthenticated or
//   403 forbidden, NotFoundError 404, ConflictError 409, RegistryError the registry's answer mapped;
//   anything else 500 without internals.
import type { HttpResponseInit } from "@azure/functions";
import { ensureError, InputError, RequestError } from "../errors.js";
import type { HttpHandler } from "./functions.js";

export function json(status: number, body: unknown, headers: Record<string, string> = {}): HttpResponseInit {
  return { status, jsonBody: body, headers: { "content-type": "application/json; charset=utf-8", ...headers } };
}

export function errorResponse(status: number, code: string, message: string): HttpResponseInit {
  return json(status, { error: { code, message } });
}

/** Wraps a handler: a RequestError → its category's status, anything else → 500 without internals. */
export function withErrors(handler: HttpHandler): HttpHandler {
  return async (request, context) => {
    try {
      return await handler(request, context);
    } catch (err) {
      if (err instanceof RequestError) {
        // Bad input is the caller's problem, but operators still want to see it (malformed events, probes).
        context.log(`${err.status} ${request.method} ${new URL(request.url).pathname}: ${err.code}: ${err.message}`);
        return errorResponse(err.status, err.code, err.message);
      }
      context.log(`error: ${request.method} ${request.url}: ${ensureError(err).stack}`);
      return errorResponse(500, "InternalError", "the request failed; see the host log");
    }
  };
}

/** Reads a JSON body with a size bound; malformed JSON is a 400. */
export async function readJson(request: { text(): Promise<string> }, maxBytes = 1024 * 1024): Promise<unknown> {
  const text = await request.text();
  if (Buffer.byteLength(text) > maxBytes) throw new InputError(`request body is larger than ${maxBytes} bytes`, "PayloadTooLarge", 413);
  if (!text.trim()) throw new InputError("request body is empty; expected JSON");
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`request body is not JSON: ${(err as Error).message}`);
  }
}
