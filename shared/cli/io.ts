// What a CLI command gets: its arguments and where to write. Commands never call process.exit, so
// they can be tested in-process.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { InputError } from "../errors.js";

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** True when stderr is a terminal: only then is progress printed. */
  isTTY: boolean;
  cwd: string;
}

export type CliCommand = (args: string[], io: CliIo) => Promise<number>;

export function processIo(): CliIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    isTTY: Boolean(process.stderr.isTTY),
    cwd: process.cwd(),
  };
}

/** node:util parseArgs with unknown-flag errors turned into InputError (exit 2, one line). */
export interface ParsedArgs {
  values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  positionals: string[];
}

export function parseCommandArgs(
  command: string,
  args: string[],
  options: NonNullable<ParseArgsConfig["options"]>,
): ParsedArgs {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true }) as ParsedArgs;
  } catch (err) {
    throw new InputError(`${command}: ${(err as Error).message.split("\n")[0]}`);
  }
}

export function oneOf<T extends string>(flag: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new InputError(`${flag} must be one of ${allowed.join(", ")} (got "${value}")`);
}

/** A repeatable list flag: `--skip-dirs a --skip-dirs b,c` → ["a", "b", "c"]. */
export function listFlag(value: string | boolean | string[] | boolean[] | undefined): string[] {
  const raw = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return raw.flatMap((v) => String(v).split(",")).map((v) => v.trim()).filter((v) => v !== "");
}

/** At most this many warning lines per command run; the rest are counted in one closing line. */
export const MAX_PRINTED_WARNINGS = 20;

/**
 * Prints warnings to stderr (never stdout: results stay machine-readable), one line each, as given:
 * the producers list each problem once.
 */
export function printWarnings(io: CliIo, command: string, warnings: readonly string[]): void {
  for (const w of warnings.slice(0, MAX_PRINTED_WARNINGS)) io.stderr(`vantage ${command}: warning: ${w}\n`);
  if (warnings.length > MAX_PRINTED_WARNINGS) io.stderr(`vantage ${command}: warning: … and ${warnings.length - MAX_PRINTED_WARNINGS} more\n`);
}
