// Registry failures are reported to the user as one line naming the registry object: they extend
// InputError so the CLI exits 2 and the HTTP layer answers with `status` instead of a stack trace.
import { InputError } from "../errors.js";

export class RegistryError extends InputError {
  constructor(message: string, code = "RegistryError", status = 502) {
    super(message, code, status);
  }
}
