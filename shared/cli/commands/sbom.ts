// Placeholder until this command's issue lands: it refuses clearly rather than pretending to work.
import { InputError } from "../../errors.js";
import type { CliIo } from "../io.js";

export async function run(_args: string[], _io: CliIo): Promise<number> {
  throw new InputError("this command is not available in this build yet");
}
