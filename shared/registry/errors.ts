// Registry failures are reported to the user as one line naming the registry object: they are
// RequestErrors so the CLI exits 2 and the HTTP layer answers with `status` (the registry's answer
// mapped: 401, 404, 502, …) instead of a stack trace.
import { RequestError } from "../errors.js";

export class RegistryError extends RequestError {
  override name = "RegistryError";
  constructor(message: string, code = "RegistryError", status = 502) {
    super(message, code, status);
  }
}
