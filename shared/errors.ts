// Typed errors. `InputError` is anything the user (or a caller) got wrong: the CLI prints its message
// on one line and exits 2; the HTTP layer answers 4xx. Everything else is a fault of ours or of a
// dependency and keeps its stack for logs.

export class InputError extends Error {
  override readonly name = "InputError";
  constructor(message: string, readonly code = "BadInput", readonly status = 400) {
    super(message);
  }
}

export class LimitExceededError extends InputError {
  constructor(message: string) {
    super(message, "LimitExceeded", 413);
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
