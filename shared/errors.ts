// Typed errors by category. A `RequestError` is something the caller got wrong, may not do, or asked
// of a dependency that said no: the CLI prints its message on one line and exits 2, and the HTTP
// layer (shared/platform/http.ts) answers its status with {"error":{"code","message"}}. Each category
// fixes its status, so a handler says what went wrong and never picks a number. Everything else is a
// fault of ours or of a dependency and keeps its stack for logs.

export class RequestError extends Error {
  override name = "RequestError";
  constructor(message: string, readonly code: string, readonly status: number) {
    super(message);
  }
}

/** Bad input: malformed, out of range, unknown (400), or too large (413). */
export class InputError extends RequestError {
  override name = "InputError";
  constructor(message: string, code = "BadInput", status: 400 | 413 = 400) {
    super(message, code, status);
  }
}

export class LimitExceededError extends InputError {
  constructor(message: string) {
    super(message, "LimitExceeded", 413);
  }
}

/** No such thing, or nothing the caller may see (404). */
export class NotFoundError extends RequestError {
  override name = "NotFoundError";
  constructor(message: string, code = "NotFound") {
    super(message, code, 404);
  }
}

/** The caller is not authenticated (401) or not allowed (403). */
export class AuthError extends RequestError {
  override name = "AuthError";
  constructor(message: string, status: 401 | 403 = 401, code = status === 401 ? "Unauthorized" : "Forbidden") {
    super(message, code, status);
  }
}

/** The request clashes with current state, e.g. an orchestration instance already running (409). */
export class ConflictError extends RequestError {
  override name = "ConflictError";
  constructor(message: string, code = "Conflict") {
    super(message, code, 409);
  }
}

/** The plain fields of a RequestError, for crossing a thread boundary (structured cloning keeps only `message`). */
export interface RequestErrorFields {
  message: string;
  code: string;
  status: number;
}

/** Rebuilds the category of a RequestError from its fields; a status outside the categories stays a RequestError. */
export function requestErrorFrom({ message, code, status }: RequestErrorFields): RequestError {
  switch (status) {
    case 400:
      return new InputError(message, code);
    case 413:
      return code === "LimitExceeded" ? new LimitExceededError(message) : new InputError(message, code, 413);
    case 401:
    case 403:
      return new AuthError(message, status, code);
    case 404:
      return new NotFoundError(message, code);
    case 409:
      return new ConflictError(message, code);
    default:
      return new RequestError(message, code, status);
  }
}

export function ensureError(value: unknown): Error {
  if (value instanceof Error) return value;
  if (typeof value === "string") return new Error(value);
  try {
    return new Error(JSON.stringify(value));
  } catch {
    return new Error(String(value));
  }
}

export function errorMessage(value: unknown): string {
  return ensureError(value).message;
}
