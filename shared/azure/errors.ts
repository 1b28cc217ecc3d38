// ARM failures as one typed error. The SDKs throw RestError (status + parsed body) or plain errors
// (network); steps convert with `toArmError` so callers see `{code, message, status}` only.
import { ensureError } from "../errors.js";

export class ArmError extends Error {
  override readonly name = "ArmError";
  constructor(
    readonly code: string,
    message: string,
    /** HTTP status, 0 when no response arrived. */
    readonly status: number,
  ) {
    super(message);
  }
}

interface RestErrorLike {
  statusCode?: number;
  code?: string;
  message?: string;
  response?: { status?: number; bodyAsText?: string | null; parsedBody?: unknown };
  details?: unknown;
}

function armBodyError(body: unknown): { code?: string; message?: string } | undefined {
  if (!body || typeof body !== "object") return undefined;
  const err = (body as { error?: unknown }).error;
  if (!err || typeof err !== "object") return undefined;
  const { code, message } = err as { code?: unknown; message?: unknown };
  return { code: typeof code === "string" ? code : undefined, message: typeof message === "string" ? message : undefined };
}

function parseJson(text: string | null | undefined): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * @param responseBody - the raw body when the caller captured it (via `onResponse`): the paging
 * helpers of the modular SDKs throw errors that carry the code but not ARM's message.
 */
export function toArmError(value: unknown, responseBody?: unknown): ArmError {
  if (value instanceof ArmError) return value;
  const err = ensureError(value) as Error & RestErrorLike;
  const status = err.statusCode ?? err.response?.status ?? 0;
  // ARM puts the meaningful code in the body ({error:{code,message}}); RestError.code is often generic.
  // (modular SDKs put the parsed body in `details`, core-client ones in `response.parsedBody`).
  const body =
    armBodyError(err.details) ??
    armBodyError(err.response?.parsedBody) ??
    armBodyError(parseJson(err.response?.bodyAsText)) ??
    armBodyError(typeof responseBody === "string" ? parseJson(responseBody) : responseBody);
  const code = body?.code ?? err.code ?? (status ? `Http${status}` : "NetworkError");
  const message = body?.message ?? err.message;
  return new ArmError(code, message, status);
}

export function isNotFound(err: ArmError): boolean {
  return err.status === 404;
}

/** Remembers the last raw response body of an SDK call, for `toArmError(err, capture.body)`. */
export function captureResponse(): { body: unknown; onResponse: (raw: { parsedBody?: unknown; bodyAsText?: string | null }) => void } {
  const capture = {
    body: undefined as unknown,
    onResponse(raw: { parsedBody?: unknown; bodyAsText?: string | null }) {
      capture.body = raw.parsedBody ?? raw.bodyAsText ?? undefined;
    },
  };
  return capture;
}
