// `vantage paths (--manifests PATH… | --snapshot FILE) [--findings FILE] [--format json|table|dot]`
// Builds the security graph, insights and attack paths (docs/graph.md). Extras: --entries
// internet,image,container; --max-hops N; --members N (member routes spelled out per class);
// --azure FILE (the Azure role assignments of the cluster's identities, as the graph activity reads them).
import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import type { AzureIdentityAccess } from "../../azure/model.js";
import { InputError } from "../../errors.js";
import { buildSecurityGraph, type ImageFindings, type PathsReport } from "../../graph/index.js";
import type { EntryKind } from "../../graph/paths.js";
import type { Snapshot } from "../../kubernetes/model.js";
import type { Finding } from "../../scanner/model.js";
import { oneOf, parseCommandArgs, type CliIo } from "../io.js";
import { secretFromJson } from "../../scanner/report/secrets.js";

const FORMATS = ["json", "table", "dot"] as const;
const ENTRY_KINDS: readonly EntryKind[] = ["internet", "image", "container"];

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("paths", args, {
    manifests: { type: "string", multiple: true },
    snapshot: { type: "string" },
    findings: { type: "string", multiple: true },
    format: { type: "string" },
    entries: { type: "string" },
    "max-hops": { type: "string" },
    members: { type: "string" },
    azure: { type: "string" },
  });
  const format = oneOf("--format", values.format as string | undefined, FORMATS, "json");
  const manifests = [...((values.manifests as string[] | undefined) ?? [])];
  const snapshotFile = values.snapshot as string | undefined;
  if (manifests.length > 0) manifests.push(...positionals); // `--manifests a.yaml b/ c.json`
  else if (positionals.length) throw new InputError(`unexpected argument "${positionals[0]}"`);
  if ((manifests.length > 0) === Boolean(snapshotFile)) throw new InputError("give exactly one of --manifests PATH… or --snapshot FILE");
  const entries = parseEntries(values.entries as string | undefined);
  const maxHops = positiveInt("--max-hops", values["max-hops"] as string | undefined);
  const membersPerClass = positiveInt("--members", values.members as string | undefined);

  const progress = (t: string) => io.isTTY && io.stderr(`${t}\n`);
  progress("reading inputs…");
  const snapshot = snapshotFile ? await readSnapshot(resolve(io.cwd, snapshotFile)) : await loadManifests(manifests.map((m) => resolve(io.cwd, m)));
  const images: ImageFindings[] = [];
  for (const f of (values.findings as string[] | undefined) ?? []) images.push(...(await readFindings(resolve(io.cwd, f))));
  const azure = values.azure ? await readAzureAccess(resolve(io.cwd, values.azure as string)) : undefined;
  progress("building graph and paths…");
  const report = buildSecurityGraph(snapshot, images, { entries, maxHops, membersPerClass, azure });
  for (const w of report.warnings ?? []) io.stderr(`warning: ${w}\n`);
  if (format === "json") io.stdout(`${JSON.stringify(withNamespaces(report))}\n`);
  else if (format === "table") io.stdout(renderTable(report));
  else io.stdout(renderDot(report));
  return 0;
}

function parseEntries(text: string | undefined): EntryKind[] | undefined {
  if (text === undefined) return undefined;
  const list = text.split(",").map((s) => s.trim()).filter(Boolean);
  for (const e of list) if (!(ENTRY_KINDS as readonly string[]).includes(e)) throw new InputError(`--entries must list ${ENTRY_KINDS.join(", ")} (got "${e}")`);
  return list as EntryKind[];
}

function positiveInt(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = Number(text);
  if (!Number.isInteger(n) || n <= 0) throw new InputError(`${flag} must be a positive integer (got "${text}")`);
  return n;
}

async function readJson(file: string, what: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new InputError(`${what} ${file}: cannot read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new InputError(`${what} ${file}: not valid JSON (${(err as Error).message.split("\n")[0]})`);
  }
}

async function readSnapshot(file: string): Promise<Snapshot> {
  const data = await readJson(file, "--snapshot");
  if (!data || typeof data !== "object" || !Array.isArray((data as Snapshot).pods)) {
    throw new InputError(`--snapshot ${file}: not a Vantage snapshot (no "pods" array; write one with vantage snapshot --out)`);
  }
  return data as Snapshot;
}

async function readAzureAccess(file: string): Promise<AzureIdentityAccess[]> {
  const data = await readJson(file, "--azure");
  const list = Array.isArray(data) ? data : [];
  const ok = Array.isArray(data) && list.every((a) => a && typeof a === "object" && ["known", "unknown"].includes(a.status) && Array.isArray(a.grants) && (typeof a.clientId === "string" || typeof a.principalId === "string"));
  if (!ok) throw new InputError(`--azure ${file}: expected an array of {clientId|principalId, status: "known"|"unknown", grants: […]}`);
  return list as AzureIdentityAccess[];
}

async function loadManifests(paths: string[]): Promise<Snapshot> {
  const { snapshotFromManifests } = await import("../../kubernetes/manifests/index.js");
  return snapshotFromManifests(paths);
}

/** `vantage scan --format json` output: one report or an array; joined by target ref and artifact digest. */
async function readFindings(file: string): Promise<ImageFindings[]> {
  const data = await readJson(file, "--findings");
  const reports = Array.isArray(data) ? data : [data];
  return reports.map((r, i) => {
    if (!r || typeof r !== "object" || !Array.isArray((r as { findings?: unknown }).findings)) {
      throw new InputError(`--findings ${file}: report ${i} has no "findings" array (expected vantage scan --format json output)`);
    }
    const rep = r as { target?: string; artifact?: { digest?: string }; findings: Finding[]; secrets?: unknown };
    const target = typeof rep.target === "string" ? rep.target : undefined;
    // Only registry references name an image a pod can run; oci:/dir:/docker-archive: join by digest.
    const ref = target && !/^(oci|dir|docker-archive):/.test(target) ? target.replace(/^registry:/, "") : undefined;
    if (rep.secrets !== undefined && !Array.isArray(rep.secrets)) throw new InputError(`--findings ${file}: report ${i}: "secrets" must be an array`);
    const secrets = (rep.secrets as unknown[] | undefined)?.map((s, j) => {
      const secret = secretFromJson(s);
      if (!secret) throw new InputError(`--findings ${file}: report ${i}: secrets[${j}] needs rule, severity, path, layerDigest and fingerprint`);
      return secret;
    });
    return { ref, digest: rep.artifact?.digest, findings: rep.findings, ...(secrets ? { secrets } : {}) };
  });
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + " ".repeat(n - s.length);
}

export function renderTable(r: PathsReport): string {
  const lines: string[] = [];
  const classes = r.pathClasses ?? [];
  lines.push(`${classes.length} attack path class(es), ${r.paths.length} member path(s)${r.truncated ? " (truncated: the hop or time bound hid something)" : ""}${r.incomplete ? " — snapshot incomplete" : ""}`);
  const byId = new Map(r.paths.map((p) => [p.id, p]));
  if (classes.length) {
    lines.push("");
    lines.push(`${pad("#", 5)}${pad("RISK", 10)}${pad("HOPS", 6)}${pad("ROUTES", 8)}TITLE`);
    classes.forEach((c, i) => {
      lines.push(`${pad(String(i + 1), 5)}${pad(c.risk.toUpperCase(), 10)}${pad(String(c.hops), 6)}${pad(String(c.count), 8)}${c.title}`);
      const indent = " ".repeat(29);
      lines.push(`${indent}${c.entryName} -> ${c.targetName}`);
      if (c.fix) lines.push(`${indent}fix: ${c.fix.text}`);
      const first = byId.get(c.paths[0] ?? "");
      for (const e of first?.edges ?? []) lines.push(`${indent}  ${e.kind}: ${(e.evidence ?? []).join("; ")}`);
      if (c.count > c.paths.length) lines.push(`${indent}(${c.paths.length} of ${c.count} routes listed)`);
      for (const n of c.notes ?? []) lines.push(`${indent}note: ${n}`);
      if (c.implies) lines.push(`${indent}implies ${c.implies} further target(s) reached only through it`);
    });
  }
  lines.push("");
  lines.push(`Fixes that remove the most classes (${(r.fixes ?? []).length})`);
  for (const f of (r.fixes ?? []).slice(0, 20)) lines.push(`${pad(String(f.classesCut), 6)}${f.text}  [${f.object} ${f.field}]`);
  lines.push("");
  lines.push(`Choke points (${r.chokePoints.length})`);
  if (r.chokePoints.length) {
    lines.push(`${pad("PATHS CUT", 12)}${pad("CLASSES", 9)}NODE`);
    for (const c of r.chokePoints) lines.push(`${pad(String(c.pathsCut), 12)}${pad(String(c.classesCut ?? 0), 9)}${c.node}`);
  }
  lines.push("");
  lines.push(`Graph: ${r.graph.nodes.length} nodes, ${r.graph.edges.length} edges; ${r.insights.length} insights`);
  return lines.join("\n") + "\n";
}

const COLORS: Record<string, string> = {
  endpoint: "#e74c3c", container: "#3498db", pod: "#5dade2", node: "#8e44ad", identity: "#27ae60", permissionset: "#f39c12",
  volume: "#95a5a6", cloudidentity: "#16a085", cluster: "#c0392b", secret: "#d35400", azurescope: "#0078d4",
};

function q(s: string): string {
  return `"${s.replace(/\\/g, "\\\\").replace(/"/g, '\\"')}"`;
}

/** Graphviz of the nodes and edges that lie on attack paths. */
export function renderDot(r: PathsReport): string {
  const kinds = new Map(r.graph.nodes.map((n) => [n.id, n.kind]));
  const names = new Map(r.graph.nodes.map((n) => [n.id, n.kind === "cloudidentity" || n.kind === "azurescope" ? `${n.kind}: ${n.name}` : n.id]));
  const nodes = new Set<string>();
  const edges = new Map<string, { kind: string; from: string; to: string }>();
  for (const p of r.paths) for (const e of p.edges) {
    nodes.add(e.from);
    nodes.add(e.to);
    edges.set(`${e.kind}|${e.from}|${e.to}`, e);
  }
  const entries = new Set(r.paths.map((p) => p.entry));
  const targets = new Set(r.paths.map((p) => p.target));
  const out = ["digraph attack_paths {", "  rankdir=LR;", '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontcolor="white"];', '  edge [fontname="Helvetica", fontsize=10];'];
  for (const id of [...nodes].sort()) {
    const kind = kinds.get(id) ?? "";
    const shape = entries.has(id) ? ", shape=invhouse" : targets.has(id) ? ", shape=doubleoctagon" : "";
    out.push(`  ${q(id)} [label=${q(names.get(id) ?? id)}, fillcolor=${q(COLORS[kind] ?? "#7f8c8d")}${shape}];`);
  }
  for (const e of edges.values()) out.push(`  ${q(e.from)} -> ${q(e.to)} [label=${q(e.kind)}];`);
  out.push("}");
  return out.join("\n") + "\n";
}

/** docs/graph.md nodes always carry "namespace"; cluster-scoped ones have "" (as Kubernetes does). */
function withNamespaces(report: PathsReport): PathsReport {
  return { ...report, graph: { ...report.graph, nodes: report.graph.nodes.map((n) => ({ id: n.id, kind: n.kind, name: n.name, namespace: n.namespace ?? "", properties: n.properties })) } };
}
