// `vantage query QUERY (--manifests PATH… | --snapshot FILE | --graph FILE | --api URL)
//                      [--format table|json|csv] [--template ID [--param NAME=VALUE]…]`
// The query is parsed before any input is read, so a syntax error is reported (exit 2, line and
// column) without building a graph. `--graph` (a `vantage paths --format json` report) and
// `--template`/`--param` are extensions to docs/cli.md. A local query's cost limits come from
// VANTAGE_QUERY_LIMITS (as for the app); with --api the server's apply.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { InputError, errorMessage } from "../../errors.js";
import { GraphView, parseQuery, evaluate, getTemplate, renderTemplate, templateParams, toCsv, toTable, type QueryResult } from "../../explorer/index.js";
import type { PathsReport } from "../../graph/model.js";
import type { Snapshot } from "../../kubernetes/model.js";
import { queryLimitsFromEnv } from "../../settings/limits.js";
import { oneOf, parseCommandArgs, type CliIo } from "../io.js";

const FORMATS = ["table", "json", "csv"] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("query", args, {
    manifests: { type: "string", multiple: true },
    snapshot: { type: "string" },
    graph: { type: "string" },
    api: { type: "string" },
    format: { type: "string" },
    template: { type: "string" },
    param: { type: "string", multiple: true },
  });
  const format = oneOf("--format", values.format as string | undefined, FORMATS, "table");
  const templateId = values.template as string | undefined;
  const rest = [...positionals];

  // 1. The query: text, or a template with parameters.
  let text: string;
  let params: Record<string, unknown> = {};
  if (templateId !== undefined) {
    const template = getTemplate(templateId);
    params = templateParams(template, parseParams((values.param as string[] | undefined) ?? []));
    text = template.query;
  } else {
    if ((values.param as string[] | undefined)?.length) throw new InputError("--param needs --template ID");
    const q = rest.shift();
    if (q === undefined) throw new InputError('missing QUERY (e.g. vantage query "MATCH (p:Pod) RETURN p.name" --snapshot snap.json)');
    text = q;
  }
  const model = parseQuery(text);
  const limits = values.api ? {} : queryLimitsFromEnv(process.env);

  // 2. Exactly one source. Extra positionals are more manifest paths (`--manifests a.yaml b.yaml`).
  const manifests = [...((values.manifests as string[] | undefined) ?? [])];
  if (rest.length) {
    if (!manifests.length) throw new InputError(`unexpected argument "${rest[0]}" (quote the query as one argument)`);
    manifests.push(...rest);
  }
  const sources = [manifests.length ? "--manifests" : undefined, values.snapshot && "--snapshot", values.graph && "--graph", values.api && "--api"].filter(Boolean);
  if (sources.length !== 1) {
    throw new InputError(sources.length ? `use one of ${sources.join(", ")}, not several` : "needs one of --manifests PATH…, --snapshot FILE, --graph FILE or --api URL");
  }

  let result: QueryResult;
  if (values.api) {
    const body = templateId !== undefined ? renderTemplate(templateId, params) : text;
    result = await postQuery(values.api as string, body);
  } else {
    const report = await loadReport(io, manifests, values.snapshot as string | undefined, values.graph as string | undefined);
    result = evaluate(model, new GraphView(report), limits, params);
  }

  for (const note of result.notes ?? []) io.stderr(`note: ${note}\n`);
  if (result.truncated && format !== "json") io.stderr(`note: results truncated to ${result.rows.length} rows\n`);
  const body: QueryResult = { columns: result.columns, rows: result.rows, truncated: result.truncated };
  if (format === "json") io.stdout(`${JSON.stringify(body)}\n`);
  else if (format === "csv") io.stdout(toCsv(body));
  else io.stdout(toTable(body));
  return 0;
}

function parseParams(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of list) {
    const eq = p.indexOf("=");
    if (eq <= 0) throw new InputError(`--param ${p}: expected NAME=VALUE`);
    out[p.slice(0, eq)] = p.slice(eq + 1);
  }
  return out;
}

async function readJson(flag: string, file: string, cwd: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path.resolve(cwd, file), "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputError(`${flag} ${file}: ${code === "ENOENT" ? "no such file" : errorMessage(err)}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${flag} ${file}: not valid JSON (${errorMessage(err)})`);
  }
}

async function loadReport(io: CliIo, manifests: string[], snapshotFile?: string, graphFile?: string): Promise<PathsReport> {
  if (graphFile !== undefined) {
    const data = (await readJson("--graph", graphFile, io.cwd)) as Partial<PathsReport> | null;
    if (!data || typeof data !== "object" || !data.graph || !Array.isArray(data.graph.nodes) || !Array.isArray(data.graph.edges)) {
      throw new InputError(`--graph ${graphFile}: expected the JSON of \`vantage paths --format json\` ({"graph":{"nodes":[…],"edges":[…]},…})`);
    }
    return { insights: [], paths: [], chokePoints: [], ...data } as PathsReport;
  }
  const { buildSecurityGraph } = await import("../../graph/index.js");
  let snapshot: Snapshot;
  if (snapshotFile !== undefined) {
    const data = (await readJson("--snapshot", snapshotFile, io.cwd)) as Partial<Snapshot> | null;
    if (!data || typeof data !== "object" || !Array.isArray(data.pods) || typeof data.cluster !== "object") {
      throw new InputError(`--snapshot ${snapshotFile}: not a Vantage snapshot (expected the JSON of \`vantage snapshot\`)`);
    }
    snapshot = data as Snapshot;
  } else {
    const { snapshotFromManifests } = await import("../../kubernetes/manifests/index.js");
    if (io.isTTY) io.stderr(`reading ${manifests.length} manifest path(s)…\n`);
    snapshot = await snapshotFromManifests(manifests.map((m) => path.resolve(io.cwd, m)));
  }
  const report = buildSecurityGraph(snapshot);
  // Posture failures on the nodes (hasControl); no registry allow-list offline, so that control is not assessed.
  const [{ evaluatePosture }, { annotateGraph, failingResults }] = await Promise.all([import("../../posture/evaluate.js"), import("../../posture/graph-join.js")]);
  annotateGraph(report.graph.nodes, failingResults(evaluatePosture({ snapshot, options: { trustedRegistries: [] } })));
  return report;
}

async function postQuery(base: string, query: string): Promise<QueryResult> {
  let url: URL;
  try {
    url = new URL("api/query", base.endsWith("/") ? base : `${base}/`);
  } catch {
    throw new InputError(`--api ${base}: not a URL`);
  }
  let response: Response;
  try {
    response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", accept: "application/json" }, body: JSON.stringify({ query }) });
  } catch (err) {
    throw new InputError(`--api ${base}: cannot reach the server (${errorMessage((err as Error).cause ?? err)})`);
  }
  const text = await response.text();
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    throw new InputError(`--api ${base}: HTTP ${response.status}, not JSON`);
  }
  if (!response.ok) {
    const message = (data as { error?: { message?: string } })?.error?.message;
    throw new InputError(`--api ${base}: ${message ?? `HTTP ${response.status}`}`);
  }
  const r = data as Partial<QueryResult>;
  if (!Array.isArray(r.columns) || !Array.isArray(r.rows)) throw new InputError(`--api ${base}: unexpected response (no columns/rows)`);
  return { columns: r.columns, rows: r.rows, truncated: r.truncated === true };
}
