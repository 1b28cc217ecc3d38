// `vantage start [--once] [--json]`: the local host on the embedded demo estate. It lives beside the
// demo runtime (emulators, registry, demo images) it composes, so the product's own CLI in
// shared/cli never imports demo/; demo/runtime/cli.ts adds it to the command line.
import { join } from "node:path";
import { DemoStack } from "./stack.js";
import { InputError } from "../../shared/errors.js";
import { parseCommandArgs, type CliIo } from "../../shared/cli/io.js";

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs("start", args, {
    once: { type: "boolean" },
    json: { type: "boolean" },
    port: { type: "string" },
  });
  const once = Boolean(values.once);
  const startedAt = Date.now();
  const quiet = Boolean(values.json) && !io.isTTY;
  const log = (m: string) => {
    if (!quiet) io.stderr(`[vantage] ${m}\n`);
  };
  const port = values.port !== undefined ? Number(values.port) : once ? 0 : 7071;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new InputError(`--port must be a port number 0-65535 (got "${values.port as string}")`);
  const stack = new DemoStack({
    port,
    timers: !once,
    dataDir: once ? undefined : join(io.cwd, ".vantage"),
    log,
  });
  let stopping = false;
  const shutdown = async () => {
    if (stopping) return;
    stopping = true;
    log("stopping …");
    await stack.stop();
  };
  try {
    await stack.start();
    if (once) {
      await stack.onboardAll();
      const summary = await stack.summary(startedAt);
      if (values.json) io.stdout(`${JSON.stringify(summary)}\n`);
      else io.stdout(`${formatSummary(summary)}\n`);
      return 0;
    }
    log(`dashboard at ${stack.url}/ — onboarding the demo subscriptions`);
    const done = stack.onboardAll().then(
      async () => log(`demo estate onboarded: ${JSON.stringify(await stack.summary(startedAt))}`),
      (err: Error) => log(`onboarding failed: ${err.message}`),
    );
    await new Promise<void>((resolve) => {
      process.once("SIGINT", resolve);
      process.once("SIGTERM", resolve);
    });
    void done;
    return 0;
  } finally {
    await shutdown();
  }
}

function formatSummary(s: Record<string, any>): string {
  const f = s.findings ?? {};
  return [
    `subscriptions onboarded: ${s.subscriptions}`,
    `clusters: ${s.clusters.discovered} discovered, ${s.clusters.bound} bound, ${s.clusters.unbindable} unbindable, ${s.clusters.failed} failed`,
    `snapshots: ${s.snapshots} (${s.workloads} workloads)`,
    `images: ${s.images.scanned} scanned, ${s.images.failed} failed`,
    `findings: ${f.critical} critical, ${f.high} high, ${f.medium} medium, ${f.low} low, ${f.unknown} unknown (${f.knownExploited} known exploited)`,
    `attack paths: ${s.pathClasses} classes (${s.attackPaths} member paths)`,
    ...(s.registries ? [`registries: ${s.registries.discovered} discovered; inventory: ${s.registries.repositories} repositories, ${s.registries.images} images, ${s.registries.scanned} scanned, ${s.registries.skipped} already scanned`] : []),
    `elapsed: ${s.elapsedMs} ms`,
  ].join("\n");
}
