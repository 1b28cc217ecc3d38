// Spawns the real Azurite (from node_modules) on loopback, waits until it listens, and stops it.
import type { ChildProcess } from "node:child_process";
import { spawnSupervised } from "./children.js";
import { createRequire } from "node:module";
import { createServer, connect } from "node:net";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";

export interface AzuriteHandle {
  blobPort: number;
  queuePort: number;
  tablePort: number;
  connectionString: string;
  stop(): Promise<void>;
}

// Azurite's documented well-known development account.
const ACCOUNT = "devstoreaccount1";
const KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

export function azuriteConnectionString(blobPort: number, queuePort: number, tablePort: number): string {
  return [
    "DefaultEndpointsProtocol=http",
    `AccountName=${ACCOUNT}`,
    `AccountKey=${KEY}`,
    `BlobEndpoint=http://127.0.0.1:${blobPort}/${ACCOUNT}`,
    `QueueEndpoint=http://127.0.0.1:${queuePort}/${ACCOUNT}`,
    `TableEndpoint=http://127.0.0.1:${tablePort}/${ACCOUNT}`,
  ].join(";");
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 30_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child && child.exitCode !== null) throw new Error(`process exited with code ${child.exitCode} before listening on ${port}`);
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1");
      socket.once("connect", () => { socket.destroy(); resolve(true); });
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listened on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export interface AzuriteOptions {
  /** Persist to this folder; in-memory when absent. */
  location?: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<AzuriteHandle> {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve("azurite/package.json"));
  const main = join(pkgDir, "dist", "src", "azurite.js");
  const blobPort = options.blobPort ?? (await freePort());
  const queuePort = options.queuePort ?? (await freePort());
  const tablePort = options.tablePort ?? (await freePort());
  const args = [
    main,
    "--blobHost", "127.0.0.1", "--blobPort", String(blobPort),
    "--queueHost", "127.0.0.1", "--queuePort", String(queuePort),
    "--tableHost", "127.0.0.1", "--tablePort", String(tablePort),
    "--skipApiVersionCheck", "--disableTelemetry", "--silent",
  ];
  if (options.location) {
    mkdirSync(options.location, { recursive: true });
    args.push("--location", options.location);
  } else {
    args.push("--inMemoryPersistence");
  }
  // Under a watchdog: Azurite dies with the host, even when the host is SIGKILLed.
  const child = spawnSupervised(process.execPath, args);
  let stderr = "";
  child.stderr?.on("data", (d) => { stderr = (stderr + d).slice(-4000); });
  try {
    await Promise.all([waitForPort(blobPort, 60_000, child), waitForPort(queuePort, 60_000, child), waitForPort(tablePort, 60_000, child)]);
  } catch (err) {
    child.kill("SIGKILL");
    throw new Error(`Azurite did not start: ${(err as Error).message}${stderr ? `\n${stderr}` : ""}`);
  }
  return {
    blobPort,
    queuePort,
    tablePort,
    connectionString: azuriteConnectionString(blobPort, queuePort, tablePort),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
        setTimeout(() => child.kill("SIGKILL"), 3000).unref();
      }),
  };
}
