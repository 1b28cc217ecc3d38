// `vantage` entry: dispatches to one module per command under ./commands (plus the commands a caller
// adds: `start` comes from demo/runtime/cli.ts, which bin/vantage.cjs runs). Bad input becomes one
// line on stderr and exit 2; nothing prints a stack trace for a user's mistake.
import { RequestError } from "../errors.js";
import { processIo, type CliIo, type CliCommand } from "./io.js";

export interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

const COMMANDS: Record<string, CommandEntry> = {
  sbom: {
    summary: "sbom TARGET [--format cyclonedx-json|json|table]",
    load: async () => (await import("./commands/sbom.js")).run,
  },
  scan: {
    summary: "scan TARGET [--feed DIR] [--format table|json|sarif|cyclonedx-json] [--fail-on SEVERITY]",
    load: async () => (await import("./commands/scan.js")).run,
  },
  snapshot: {
    summary: "snapshot (--kubeconfig FILE [--context C] | --manifests PATH...) [--out FILE]",
    load: async () => (await import("./commands/snapshot.js")).run,
  },
  paths: {
    summary: "paths (--manifests PATH... | --snapshot FILE) [--findings FILE] [--format json|table|dot]",
    load: async () => (await import("./commands/paths.js")).run,
  },
  query: {
    summary: "query (QUERY | --template ID [--param K=V]...) (--manifests PATH... | --snapshot FILE | --graph FILE | --api URL) [--format table|json|csv]",
    load: async () => (await import("./commands/query.js")).run,
  },
  posture: {
    summary: "posture (--manifests PATH... | --snapshot FILE | --kubeconfig FILE [--context C]) [--standard all|cis-aks|pss-baseline|pss-restricted|defender] [--exceptions FILE] [--format table|json|sarif|junit] [--fail-on SEVERITY] [--trusted-registries R,...] [--allowed-service-ports P,...]",
    load: async () => (await import("./commands/posture.js")).run,
  },
  feed: {
    summary: "feed update [--from DIR]",
    load: async () => (await import("./commands/feed.js")).run,
  },
};

function usage(commands: Record<string, CommandEntry>): string {
  const lines = Object.values(commands).map((c) => `  vantage ${c.summary}`);
  return [
    "Vantage — agentless container security posture for AKS",
    "",
    "Usage:",
    ...lines,
    "",
    "Targets: dir:PATH, oci:PATH, docker-archive:FILE, registry:REF or host[:port]/repo[:tag|@sha256:…]",
    "",
  ].join("\n");
}

export async function main(argv: string[], io: CliIo = processIo(), extra: Record<string, CommandEntry> = {}): Promise<number> {
  const commands = { ...extra, ...COMMANDS };
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage(commands));
    return 0;
  }
  const entry = Object.hasOwn(commands, name) ? commands[name] : undefined;
  if (!entry) {
    io.stderr(`vantage: unknown command "${name}" (see vantage --help)\n`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    io.stdout(`vantage ${entry.summary}\n`);
    return 0;
  }
  try {
    const command = await entry.load();
    return await command(rest, io);
  } catch (err) {
    if (err instanceof RequestError) {
      io.stderr(`vantage ${name}: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}
