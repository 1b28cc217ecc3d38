// `vantage posture (--manifests PATH… | --snapshot FILE | --kubeconfig FILE [--context C])
//   [--standard all|cis-aks|pss-baseline|pss-restricted|defender] [--exceptions FILE]
//   [--format table|json|sarif|junit] [--fail-on SEVERITY] [--trusted-registries R,…]
//   [--supported-versions 1.30,1.31] [--allowed-service-ports 80,443,8000-8099]`
// Exit 0; 1 with --fail-on and a failing control at or above it; 2 on bad input.
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { InputError, RequestError } from "../../errors.js";
import type { Snapshot } from "../../kubernetes/model.js";
import { evaluatePosture } from "../../posture/evaluate.js";
import { parseExceptions, type PostureException } from "../../posture/exceptions.js";
import { formatJson } from "../../posture/format/json.js";
import { formatJunit } from "../../posture/format/junit.js";
import { formatSarif } from "../../posture/format/sarif.js";
import { VERSION } from "../../version.js";
import { formatTable } from "../../posture/format/table.js";
import { parsePortList } from "../../posture/ports.js";
import { CONTROL_SEVERITIES, STANDARDS, type ControlSeverity, type PostureReport } from "../../posture/model.js";
import { oneOf, parseCommandArgs, type CliIo } from "../io.js";

const FORMATS = ["table", "json", "sarif", "junit"] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("posture", args, {
    manifests: { type: "string", multiple: true },
    snapshot: { type: "string" },
    kubeconfig: { type: "string" },
    context: { type: "string" },
    standard: { type: "string" },
    exceptions: { type: "string" },
    format: { type: "string" },
    "fail-on": { type: "string" },
    "trusted-registries": { type: "string" },
    "supported-versions": { type: "string" },
    "allowed-service-ports": { type: "string" },
  });
  const format = oneOf("--format", values.format as string | undefined, FORMATS, "table");
  const standard = oneOf("--standard", values.standard as string | undefined, STANDARDS, "all");
  const failOn = values["fail-on"] === undefined ? undefined : oneOf("--fail-on", values["fail-on"] as string, CONTROL_SEVERITIES, "critical");
  const manifests = [...((values.manifests as string[] | undefined) ?? [])];
  if (manifests.length) manifests.push(...positionals);
  else if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"`);
  const sources = [manifests.length > 0, Boolean(values.snapshot), Boolean(values.kubeconfig)].filter(Boolean).length;
  if (sources !== 1) throw new InputError("give exactly one of --manifests PATH…, --snapshot FILE or --kubeconfig FILE");
  if (values.context && !values.kubeconfig) throw new InputError("--context needs --kubeconfig");

  const list = (v: unknown) => (typeof v === "string" ? v.split(",").map((s) => s.trim()).filter(Boolean) : []);
  const allowedServicePorts = list(values["allowed-service-ports"]);
  // Settings and exceptions are checked first: a malformed one fails before any cluster is contacted.
  parsePortList(allowedServicePorts, "--allowed-service-ports");
  const exceptions: PostureException[] = values.exceptions ? parseExceptions(await readText(resolve(io.cwd, values.exceptions as string), "--exceptions"), `--exceptions ${values.exceptions as string}`) : [];
  const snapshot = await loadSnapshot(values, manifests, io);
  const report: PostureReport = evaluatePosture(
    { snapshot, options: { trustedRegistries: list(values["trusted-registries"]), supportedKubernetesVersions: list(values["supported-versions"]), allowedServicePorts } },
    { standard, exceptions },
  );
  if (format !== "table") for (const w of report.warnings ?? []) io.stderr(`warning: ${w}\n`);
  if (format === "json") io.stdout(formatJson(report));
  else if (format === "sarif") io.stdout(formatSarif(report, VERSION));
  else if (format === "junit") io.stdout(formatJunit(report));
  else io.stdout(formatTable(report));
  return failOn && breaches(report, failOn) ? 1 : 0;
}

/** A failing control at or above the threshold (exempted resources do not count: they are not failures). */
export function breaches(report: PostureReport, threshold: ControlSeverity): boolean {
  const rank = (s: ControlSeverity) => CONTROL_SEVERITIES.indexOf(s);
  return report.controls.some((c) => c.status === "fail" && rank(c.severity) <= rank(threshold));
}

async function readText(file: string, flag: string): Promise<string> {
  try {
    return await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`${flag} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
}

async function loadSnapshot(values: Record<string, unknown>, manifests: string[], io: CliIo): Promise<Snapshot> {
  if (manifests.length) {
    const { snapshotFromManifests } = await import("../../kubernetes/manifests/index.js");
    return snapshotFromManifests(manifests.map((m) => resolve(io.cwd, m)));
  }
  if (values.snapshot) {
    const file = resolve(io.cwd, values.snapshot as string);
    let data: unknown;
    try {
      data = JSON.parse(await readText(file, "--snapshot"));
    } catch (err) {
      if (err instanceof RequestError) throw err;
      throw new InputError(`--snapshot ${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
    }
    if (!data || typeof data !== "object" || !Array.isArray((data as Snapshot).pods) || !(data as Snapshot).cluster) throw new InputError(`--snapshot ${file}: not a Vantage snapshot (write one with vantage snapshot --out)`);
    return data as Snapshot;
  }
  const { collectSnapshot, KubernetesApiError } = await import("../../kubernetes/collect/index.js");
  const { kubeConfigFor } = await import("../../kubernetes/collect/client.js");
  const file = resolve(io.cwd, values.kubeconfig as string);
  const context = values.context as string | undefined;
  const kc = kubeConfigFor({ kubeconfig: { file, context } });
  const clusterName = kc.getContextObject(kc.getCurrentContext())?.cluster ?? kc.getCurrentCluster()?.name ?? "cluster";
  try {
    return await collectSnapshot({ kubeconfig: { file, context } }, { cluster: { name: clusterName } });
  } catch (err) {
    if (err instanceof KubernetesApiError) throw new InputError(err.message);
    const code = (err as NodeJS.ErrnoException).code;
    if (code) throw new InputError(`cannot reach ${kc.getCurrentCluster()?.server}: ${code}`);
    throw err;
  }
}
