// What the HTTP API and dashboard read: plain listings over the pipeline's Tables with the
// filters the HTTP API documents (README, "HTTP API"). Pure of HTTP.
import { InputError } from "../errors.js";
import { SEVERITIES, type Severity } from "../scanner/model.js";
import type { PathsReport } from "../graph/model.js";
import { subscriptionOf } from "../azure/ids.js";
import type { ClusterRecord, SubscriptionRecord } from "../azure/model.js";
import { allows, ALL, type Scope } from "./access.js";
import type { Dependencies } from "./dependencies.js";
import type { FindingRecord, GraphMeta, ImageRecord, PathRecord } from "./state.js";

export async function listSubscriptions(deps: Dependencies, scope: Scope = ALL): Promise<SubscriptionRecord[]> {
  return (await deps.state.subscriptions.all({ partitionKey: "subscription" })).map((r) => r.value).filter((s) => allows(scope, s.subscriptionId));
}

export async function listClusters(deps: Dependencies, scope: Scope = ALL): Promise<ClusterRecord[]> {
  const rows = (await deps.state.clusters.all()).map((r) => r.value).filter((c) => allows(scope, c.subscriptionId));
  return rows.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.name.localeCompare(b.name));
}

/** The latest graph of every cluster the scope may see (one Table read serves a whole request). */
export async function scopedGraphs(deps: Dependencies, scope: Scope): Promise<GraphMeta[]> {
  return (await deps.graphs.all()).filter((g) => allows(scope, subscriptionOf(g.clusterId)));
}

/** The stored graph of a cluster (or of every cluster), for the explorer and the dashboard. */
export async function loadGraphs(deps: Dependencies, cluster?: string, scope: Scope = ALL): Promise<(GraphMeta & { report: PathsReport })[]> {
  const metas = await scopedGraphs(deps, scope);
  const picked = cluster ? metas.filter((m) => m.clusterName === cluster || m.clusterId === cluster.toLowerCase()) : metas;
  return Promise.all(picked.map(async (m) => ({ ...m, report: await deps.graphs.report(m) })));
}

function digestsOf(graphs: GraphMeta[], pick: (g: GraphMeta) => string[] | undefined): Set<string> {
  return new Set(graphs.flatMap((g) => pick(g) ?? []));
}

/**
 * Images a scope may see: those running in its clusters, or pushed to registries of its
 * subscriptions (an image can be both, in several subscriptions).
 */
export async function listImages(deps: Dependencies, scope: Scope = ALL, graphs?: GraphMeta[]): Promise<ImageRecord[]> {
  const { state } = deps;
  let rows = (await state.images.all({ partitionKey: "image" })).map((r) => r.value);
  if (!scope.all) {
    const running = digestsOf(graphs ?? (await scopedGraphs(deps, scope)), (g) => g.imageDigests);
    const registries = new Set((await state.registries.all({ partitionKey: "registry" })).map((r) => r.value).filter((r) => allows(scope, r.subscriptionId)).map((r) => r.loginServer.toLowerCase()));
    rows = rows.filter((i) => running.has(i.digest) || (i.registry !== undefined && registries.has(i.registry)));
  }
  return rows.sort((a, b) => (a.refs[0] ?? a.digest).localeCompare(b.refs[0] ?? b.digest));
}

export interface FindingFilter {
  severity?: string;
  knownExploited?: string;
  cluster?: string;
  image?: string;
  /** Only findings of images running in internet-exposed containers. */
  exposed?: string;
}

/** A stored finding joined with the graph: is its image running behind an internet-exposed endpoint? */
export type FindingView = FindingRecord & { exploitability: FindingRecord["exploitability"] & { internetExposed: boolean } };

function parseBool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InputError(`${name} must be true or false (got "${v}")`);
}

export async function listFindings(deps: Dependencies, filter: FindingFilter = {}, scope: Scope = ALL): Promise<FindingView[]> {
  const severities = filter.severity ? filter.severity.split(",").map((s) => s.trim().toLowerCase()) : undefined;
  for (const s of severities ?? []) if (!SEVERITIES.includes(s as Severity)) throw new InputError(`severity must be one of ${SEVERITIES.join(", ")} (got "${s}")`);
  const kev = parseBool("knownExploited", filter.knownExploited);
  const onlyExposed = parseBool("exposed", filter.exposed);
  const { state } = deps;
  const graphs = await scopedGraphs(deps, scope);
  const exposed = digestsOf(graphs, (g) => g.exposedImageDigests);
  const images = !scope.all || filter.image ? await listImages(deps, scope, graphs) : undefined;
  let digests: Set<string> | undefined = scope.all ? undefined : new Set(images!.map((i) => i.digest));
  if (filter.image) {
    const needle = filter.image.toLowerCase();
    digests = new Set(images!.filter((i) => i.digest === needle || i.refs.some((r) => r.toLowerCase() === needle || r.toLowerCase().startsWith(`${needle}:`))).map((i) => i.digest));
  }
  if (filter.cluster) {
    // Images whose containers run in that cluster (by name or id), from its latest graph.
    const needle = filter.cluster.toLowerCase();
    const running = digestsOf(graphs.filter((g) => g.clusterName.toLowerCase() === needle || g.clusterId === needle), (g) => g.imageDigests);
    digests = digests ? new Set([...digests].filter((d) => running.has(d))) : running;
  }
  const out: FindingView[] = [];
  for await (const row of state.findings.list()) {
    const f = row.value;
    if (severities && !severities.includes(f.severity)) continue;
    if (kev !== undefined && f.exploitability.knownExploited !== kev) continue;
    if (digests && !digests.has(f.digest)) continue;
    const internetExposed = exposed.has(f.digest);
    if (onlyExposed !== undefined && internetExposed !== onlyExposed) continue;
    out.push({ ...f, exploitability: { ...f.exploitability, internetExposed } });
  }
  const rank = (s: Severity) => SEVERITIES.indexOf(s);
  return out.sort((a, b) => rank(a.severity) - rank(b.severity) || a.id.localeCompare(b.id) || a.digest.localeCompare(b.digest));
}

export interface AttackPathFilter {
  cluster?: string;
  risk?: string;
  entryType?: string;
  targetType?: string;
  /** "true": classes that end in Azure; "false": those that do not. */
  azure?: string;
}

export const PATH_FILTER_VALUES = {
  risk: ["critical", "high", "medium", "low"],
  entryType: ["service", "host-port", "host-network", "vulnerable-image", "container"],
  targetType: ["azurescope", "cluster", "permissionset", "cloudidentity", "node", "secret", "secretfinding", "container"],
  azure: ["true", "false"],
} as const;

/** Path classes of every cluster in scope (one row each, with its preferred member path), filtered. */
export async function listAttackPaths(deps: Dependencies, filter: AttackPathFilter = {}, scope: Scope = ALL): Promise<PathRecord[]> {
  for (const [key, allowed] of Object.entries(PATH_FILTER_VALUES)) {
    const v = filter[key as keyof AttackPathFilter];
    if (v !== undefined && v !== "" && !(allowed as readonly string[]).includes(v)) throw new InputError(`unknown ${key} "${v.slice(0, 100)}" (expected one of ${allowed.join(", ")})`);
  }
  const order = ["critical", "high", "medium", "low"];
  const rows = (await deps.state.paths.all()).map((r) => r.value).filter((p) => allows(scope, subscriptionOf(p.clusterId)));
  return rows
    .filter((p) => !filter.cluster || p.clusterName === filter.cluster || p.clusterId === filter.cluster.toLowerCase())
    .filter((p) => !filter.risk || p.risk === filter.risk)
    .filter((p) => !filter.entryType || p.entryType === filter.entryType)
    .filter((p) => !filter.targetType || p.targetType === filter.targetType)
    .filter((p) => !filter.azure || Boolean(p.reachesAzure) === (filter.azure === "true"))
    .sort((a, b) => order.indexOf(a.risk) - order.indexOf(b.risk) || (a.hops ?? 0) - (b.hops ?? 0) || a.title.localeCompare(b.title) || a.id.localeCompare(b.id));
}

/** The class view of path rows (GET /api/attack-paths `classes`). */
export function toPathClasses(rows: PathRecord[]) {
  return rows.map((r) => ({
    id: r.classId ?? r.id, title: r.title, risk: r.risk, entry: r.entry, target: r.target, count: r.count ?? 1, paths: r.members ?? [r.id],
    entryName: r.entryName, targetName: r.targetName, entryType: r.entryType, targetType: r.targetType, hops: r.hops ?? r.edges.length,
    reachesAzure: Boolean(r.reachesAzure), fix: r.fix, notes: r.notes, implies: r.implies, edges: r.edges,
    cluster: r.clusterName, clusterId: r.clusterId, firstSeen: r.firstSeen, lastSeen: r.lastSeen,
  }));
}
