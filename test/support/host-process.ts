// A real local host in a child process, for proving what one hostile input costs: the child serves
// the product catalog (host-process-child.mjs); a case feeds it an input through a real entry point
// while this side polls GET /api/health every ~100 ms and reads the child's peak RSS from /proc.
// The numbers are the child's own, so the suite's process (vitest, generators) does not blur them.
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { packageRoot } from "../../shared/package-root.js";
import { uniqueName } from "./storage.js";

/** The caller every request is made as (VANTAGE_ACCESS grants it everything), unless a case sets its own headers. */
export const ADMIN = "hostile-admin";

export interface Measured<T> {
  result: T;
  wallMs: number;
  /** Slowest /api/health answer while the input was processed (a failed poll counts as Infinity). */
  healthWorstMs: number;
  healthPolls: number;
  /** Peak resident set of the child while the input was processed (VmHWM, reset before the case where Linux allows it). */
  peakRssMb: number;
  /** Longest the child's event loop was held while the input was processed, as the child measured it. */
  loopMaxMs: number;
}

export interface HttpAnswer {
  status: number;
  body: any;
}

export interface HostProcess {
  url: string;
  pid: number;
  registry: string;
  registryId: string;
  subscription: string;
  request(path: string, init?: { method?: string; headers?: Record<string, string>; body?: unknown }): Promise<HttpAnswer>;
  /** Runs `work` (which feeds the input and waits for its outcome) and measures the child meanwhile. */
  measure<T>(work: () => Promise<T>): Promise<Measured<T>>;
  /** Delivers an ImagePushed event for `repository@digest` and waits for the scan it starts to end: the scan's result. */
  scan(repository: string, digest: string, timeoutMs?: number): Promise<{ outcome: any; result: any }>;
  /** The child's last stderr lines (diagnostics when a case fails). */
  log(): string;
  /** Stops the child; its own report of its lifetime peak RSS. */
  stop(): Promise<{ maxRssKb?: number }>;
}

const readLine = (child: ChildProcess) =>
  new Promise<string>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once("line", (l) => {
      lines.close();
      resolve(l);
    });
    child.once("exit", (code) => reject(new Error(`the host process exited before it was ready (${code})`)));
  });

function vmHwmMb(pid: number): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!m) throw new Error(`no VmHWM for process ${pid}`);
  return Math.round(Number(m[1]) / 1024);
}

/**
 * Resets the child's peak RSS to its current RSS (Linux clear_refs "5"), so each case measures its
 * own peak. Where that is not allowed the peak stays the child's lifetime peak: a looser bound, still true.
 */
function resetPeak(pid: number): void {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch {
    // not permitted here: the lifetime peak is measured instead
  }
}

/**
 * `layouts`: where the registry's OCI layouts are (`<layouts>/<repository>`); `pods`: size of the
 * seeded graph; `env`: extra app settings; `execArgv`: Node options for the child (e.g. `--cpu-prof`).
 */
export async function startHostProcess(options: { layouts: string; pods?: number; env?: Record<string, string>; execArgv?: string[] }): Promise<HostProcess> {
  const root = packageRoot();
  const child = spawn(process.execPath, [...(options.execArgv ?? []), join(root, "test", "support", "host-process-child.mjs")], {
    // stdin stays open: when this process goes away, the child sees it end and exits (no orphan).
    stdio: ["pipe", "pipe", "pipe"],
    env: {
      ...process.env,
      ...options.env,
      VANTAGE_ROOT: root,
      VANTAGE_HOSTILE_LAYOUTS: options.layouts,
      VANTAGE_HOSTILE_PREFIX: uniqueName("hp"),
      VANTAGE_HOSTILE_PODS: String(options.pods ?? 1500),
      VANTAGE_ACCESS: JSON.stringify({ [ADMIN]: "*" }),
    },
  });
  const tail: string[] = [];
  createInterface({ input: child.stderr! }).on("line", (l) => {
    tail.push(l);
    if (tail.length > 60) tail.shift();
  });
  const ready = JSON.parse(await readLine(child)) as { port: number; pid: number; registry: string; registryId: string; subscription: string };
  const url = `http://127.0.0.1:${ready.port}`;

  const request: HostProcess["request"] = async (path, init = {}) => {
    const res = await fetch(url + path, {
      method: init.method ?? "GET",
      headers: { "x-ms-client-principal-id": ADMIN, "content-type": "application/json", ...init.headers },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: kept as text
    }
    return { status: res.status, body };
  };

  const loopDelay = async () => (await request("/api/test/loop-delay")).body as { maxMs: number; p99Ms: number };

  const measure: HostProcess["measure"] = async (work) => {
    resetPeak(ready.pid);
    await loopDelay(); // resets the child's monitor
    let worst = 0;
    let polls = 0;
    let running = true;
    const poller = (async () => {
      while (running) {
        const started = performance.now();
        try {
          const res = await fetch(`${url}/api/health`, { signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          worst = Math.max(worst, res.ok ? performance.now() - started : Infinity);
        } catch {
          worst = Infinity;
        }
        polls++;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const started = performance.now();
    try {
      const result = await work();
      const wallMs = Math.round(performance.now() - started);
      return { result, wallMs, healthWorstMs: Math.round(worst), healthPolls: polls, peakRssMb: vmHwmMb(ready.pid), loopMaxMs: (await loopDelay()).maxMs };
    } finally {
      running = false;
      await poller;
    }
  };

  const scan: HostProcess["scan"] = async (repository, digest, timeoutMs = 60_000) => {
    const event = {
      id: randomUUID(),
      topic: ready.registryId,
      subject: `${repository}:latest`,
      eventType: "Microsoft.ContainerRegistry.ImagePushed",
      eventTime: new Date().toISOString(),
      data: { id: randomUUID(), action: "push", target: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest, repository, tag: "latest" }, request: { id: randomUUID(), host: ready.registry, method: "PUT" } },
      dataVersion: "1.0",
      metadataVersion: "1",
    };
    const delivered = await request("/api/events", { method: "POST", body: [event] });
    const outcome = delivered.body?.outcomes?.[0];
    if (delivered.status !== 200 || outcome?.action !== "started") return { outcome: delivered.body, result: undefined };
    const until = Date.now() + timeoutMs;
    for (;;) {
      const status = (await request(`/api/test/instances/${encodeURIComponent(outcome.instanceId)}`)).body;
      if (status && ["Completed", "Failed", "Terminated"].includes(status.runtimeStatus)) {
        return { outcome, result: status.runtimeStatus === "Completed" ? status.output?.results?.[0] : status };
      }
      if (Date.now() > until) throw new Error(`scan of ${repository}@${digest} did not end within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  const stop: HostProcess["stop"] = async () => {
    if (child.exitCode !== null) return {};
    const last = new Promise<string | undefined>((resolve) => {
      const lines = createInterface({ input: child.stdout! });
      lines.once("line", resolve);
      child.once("exit", () => resolve(undefined));
    });
    child.kill("SIGTERM");
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    const line = await last;
    await new Promise((r) => (child.exitCode !== null ? r(undefined) : child.once("exit", r)));
    clearTimeout(killer);
    return line ? (JSON.parse(line) as { maxRssKb?: number }) : {};
  };

  return { url, pid: ready.pid, registry: ready.registry, registryId: ready.registryId, subscription: ready.subscription, request, measure, scan, log: () => tail.join("\n"), stop };
}
