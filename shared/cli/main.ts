// `vantage` entry: dispatches to one module per command under ./commands. Bad input becomes one line
// on stderr and exit 2; nothing prints a stack trace for a user's mistake.
import { RequestError } from "../errors.js";
import { processIo, type CliIo, type CliCommand } from "./io.js";

interface CommandEntry {
  summary: string;
  load: () => Promise<CliCommand>;
}

const COMMANDS: Record<string, CommandEntry> = {
  start: {
    summary: "start [--once] [--json]   run the local host on the demo estate (Ctrl-C stops)",
    load: async () => (await import("./commands/start.js")).run,
  },
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
    summary: "posture (--manifests PATH... | --snapshot FILE | --kubeconfig FILE [--context C]) [--standard all|cis-aks|pss-baseline|pss-restricted|defender] [--exceptions FILE] [--format table|json|sarif|junit] [--fail-on SEVERITY] [--trusted-registries R,...]",
    load: async () => (await import("./commands/posture.js")).run,
  },
  feed: {
    summary: "feed update [--from DIR]",
    load: async () => (await import("./commands/feed.js")).run,
  },
};

function usage(): string {
  const lines = Object.values(COMMANDS).map((c) => `  vantage ${c.summary}`);
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

export async function main(argv: string[], io: CliIo = processIo()): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === "--help" || name === "-h" || name === "help") {
    io.stdout(usage());
    return 0;
  }
  const entry = COMMANDS[name];
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
