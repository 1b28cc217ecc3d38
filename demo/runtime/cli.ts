// The whole `vantage` command line as bin/vantage.cjs runs it: the product's commands (shared/cli)
// plus `start`, the local host on the demo runtime. The start command loads only when asked for, so
// `vantage scan` never loads the emulators.
import { main, type CommandEntry } from "../../shared/cli/main.js";
import type { CliIo } from "../../shared/cli/io.js";

export const START_COMMAND: CommandEntry = {
  summary: "start [--once] [--json]   run the local host on the demo estate (Ctrl-C stops)",
  load: async () => (await import("./start-command.js")).run,
};

export function vantage(argv: string[], io?: CliIo): Promise<number> {
  return main(argv, io, { start: START_COMMAND });
}
