// Child services (Azurite, the registry, emulators) die with the host, however it dies. Each runs
// under a small watchdog process that leads its own process group: the watchdog holds a pipe from
// the host, and when the host is gone — stopped, crashed, SIGKILLed or OOM-killed — the OS closes
// that pipe and the watchdog takes the whole group down. Temp folders carry the host's pid, so the
// next start removes those of hosts that are no longer running.
import { spawn, type ChildProcess } from "node:child_process";
import { readdirSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Runs as `node -e WATCHDOG cmd args…` (no file to locate from sources or dist/).
const WATCHDOG = `
const { spawn } = require("node:child_process");
const [cmd, ...args] = process.argv.slice(1);
const child = spawn(cmd, args, { stdio: ["ignore", "ignore", "inherit"] });
let ending = false;
const group = (sig) => { try { process.kill(-process.pid, sig); } catch {} };
const end = () => {
  if (ending) return;
  ending = true;
  child.kill("SIGTERM");
  setTimeout(() => group("SIGKILL"), 3000).unref();
};
// The host's end of stdin closes when the host dies, whatever killed it.
process.stdin.on("end", end);
process.stdin.on("error", end);
process.stdin.resume();
process.on("SIGTERM", end);
process.on("SIGINT", end);
child.on("error", (e) => { process.stderr.write(String(e) + "\\n"); process.exit(127); });
child.on("exit", (code, signal) => { group("SIGKILL"); process.exit(code ?? (signal ? 1 : 0)); });
`;

/**
 * Spawns `command` under a watchdog in its own process group. The returned process is the
 * watchdog: kill() it (SIGTERM) to stop the service; its exit is the service's exit. stderr is the
 * service's.
 */
export function spawnSupervised(command: string, args: string[]): ChildProcess {
  const watchdog = spawn(process.execPath, ["-e", WATCHDOG, command, ...args], { detached: true, stdio: ["pipe", "ignore", "pipe"] });
  // The pipe is never written: it exists so that its closing tells the watchdog the host is gone.
  watchdog.stdin?.on("error", () => {});
  return watchdog;
}

const TEMP_RE = /^vantage-([a-z-]+?)-(\d+)-/;

/** A temp folder named for `kind` and this process, so a later start can tell it is stale. */
export function makeTempDir(kind: string): Promise<string> {
  return mkdtemp(join(tmpdir(), `vantage-${kind}-${process.pid}-`));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Removes temp folders left by hosts that are no longer running; answers what was removed. */
export async function removeStaleTempDirs(dir: string = tmpdir()): Promise<string[]> {
  const removed: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return removed;
  }
  for (const name of names) {
    const m = TEMP_RE.exec(name);
    if (!m || Number(m[2]) === process.pid || alive(Number(m[2]))) continue;
    await rm(join(dir, name), { recursive: true, force: true }).catch(() => {});
    removed.push(name);
  }
  return removed;
}
