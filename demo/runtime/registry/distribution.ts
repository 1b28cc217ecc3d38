// A real Distribution registry (Debian's docker-registry) on a free loopback port with filesystem
// storage in a temp dir, optional htpasswd auth and notification webhook: the demo's registry and a test harness.
import type { ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { freePort } from "../../../shared/host/azurite.js";
import { makeTempDir, spawnSupervised } from "../../../shared/host/children.js";

export { freePort };

export const REGISTRY_BINARY = "/usr/bin/docker-registry";

export interface RegistryHandle {
  /** "127.0.0.1:PORT" — use as the registry part of references. */
  host: string;
  url: string;
  /** The filesystem storage driver's root directory (the registry's own data). */
  root: string;
  stop(): Promise<void>;
}

export interface RegistryOptions {
  notificationsUrl?: string;
  /** htpasswd lines (bcrypt), enabling Basic auth. */
  htpasswd?: string;
}

export function registryAvailable(): boolean {
  return existsSync(REGISTRY_BINARY);
}


export async function startRegistry(options: RegistryOptions = {}): Promise<RegistryHandle> {
  const dir = await makeTempDir("registry");
  const port = await freePort();
  const host = `127.0.0.1:${port}`;
  const lines = [
    "version: 0.1",
    "log:",
    "  level: error",
    "  accesslog:",
    "    disabled: true",
    "storage:",
    "  filesystem:",
    `    rootdirectory: ${JSON.stringify(join(dir, "data"))}`,
    "  delete:",
    "    enabled: true",
    "http:",
    `  addr: ${host}`,
    "  secret: vantage-test-secret",
  ];
  if (options.htpasswd) {
    await writeFile(join(dir, "htpasswd"), options.htpasswd.endsWith("\n") ? options.htpasswd : `${options.htpasswd}\n`);
    lines.push("auth:", "  htpasswd:", "    realm: vantage-test", `    path: ${JSON.stringify(join(dir, "htpasswd"))}`);
  }
  if (options.notificationsUrl) {
    lines.push(
      "notifications:",
      "  endpoints:",
      "    - name: vantage",
      `      url: ${JSON.stringify(options.notificationsUrl)}`,
      "      timeout: 2s",
      "      threshold: 3",
      "      backoff: 1s",
    );
  }
  const config = join(dir, "config.yml");
  await writeFile(config, `${lines.join("\n")}\n`);
  // Under a watchdog: the registry dies with the host, even when the host is SIGKILLed.
  const child: ChildProcess = spawnSupervised(REGISTRY_BINARY, ["serve", config]);
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    if (stderr.length < 8192) stderr += d.toString();
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 3000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dir, { recursive: true, force: true });
  };
  const url = `http://${host}`;
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`docker-registry exited early: ${stderr.trim().slice(0, 500)}`);
    }
    try {
      const res = await fetch(`${url}/v2/`, { signal: AbortSignal.timeout(1000) });
      await res.body?.cancel();
      if (res.status === 200 || res.status === 401) break;
    } catch {
      /* not listening yet */
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`docker-registry did not answer on ${url} within 15 s: ${stderr.slice(0, 500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return { host, url, root: join(dir, "data"), stop };
}
