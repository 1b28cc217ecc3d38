// What the HTTP API and dashboard read: plain listings over the pipeline's Tables with the
// filters CONTRACTS.md §6 names. Pure of HTTP.
import { InputError } from "../errors.js";
import { SEVERITIES, type Severity } from "../scanner/model.js";
import { allows, ALL, type Scope } from "./access.js";
import { services } from "./services.js";
import type { FindingRecord, ImageRecord, PathRecord } from "./state.js";
import type { ClusterRecord, SubscriptionRecord } from "../azure/model.js";

/** The subscription of an ARM resource id ("/subscriptions/<id>/…"). */
export function subscriptionOf(resourceId: string): string | undefined {
  return /^\/subscriptions\/([^/]+)/i.exec(resourceId)?.[1]?.toLowerCase();
}

export async function listSubscriptions(scope: Scope = ALL): Promise<SubscriptionRecord[]> {
  return (await services().state.subscriptions.all({ partitionKey: "subscription" })).map((r) => r.value).filter((s) => allows(scope, s.subscriptionId));
}

export async function listClusters(scope: Scope = ALL): Promise<ClusterRecord[]> {
  const rows = (await services().state.clusters.all()).map((r) => r.value).filter((c) => allows(scope, c.subscriptionId));
  return rows.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.name.localeCompare(b.name));
}

/**
 * Images a scope may see: those running in its clusters, or pushed to registries of its
 * subscriptions (an image can be both, in several subscriptions).
 */
export async function listImages(scope: Scope = ALL): Promise<ImageRecord[]> {
  const { state } = services();
  let rows = (await state.images.all({ partitionKey: "image" })).map((r) => r.value);
  if (!scope.all) {
    const running = new Set<string>();
    for (const g of (await state.graphs.all({ partitionKey: "graph" })).map((r) => r.value)) {
      if (allows(scope, subscriptionOf(g.clusterId))) for (const d of g.imageDigests ?? []) running.add(d);
    }
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

async function exposedDigests(scope: Scope): Promise<Set<string>> {
  const out = new Set<string>();
  for (const g of (await services().state.graphs.all({ partitionKey: "graph" })).map((r) => r.value)) {
    if (allows(scope, subscriptionOf(g.clusterId))) for (const d of g.exposedImageDigests ?? []) out.add(d);
  }
  return out;
}

function parseBool(name: string, v: string | undefined): boolean | undefined {
  if (v === undefined || v === "") return undefined;
  if (v === "true") return true;
  if (v === "false") return false;
  throw new InputError(`${name} must be true or false (got "${v}")`);
}

export async function listFindings(filter: FindingFilter = {}, scope: Scope = ALL): Promise<FindingView[]> {
  const severities = filter.severity ? filter.severity.split(",").map((s) => s.trim().toLowerCase()) : undefined;
  for (const s of severities ?? []) if (!SEVERITIES.includes(s as Severity)) throw new InputError(`severity must be one of ${SEVERITIES.join(", ")} (got "${s}")`);
  const kev = parseBool("knownExploited", filter.knownExploited);
  const onlyExposed = parseBool("exposed", filter.exposed);
  const exposed = await exposedDigests(scope);
  const { state } = services();
  let digests: Set<string> | undefined = scope.all ? undefined : new Set((await listImages(scope)).map((i) => i.digest));
  if (filter.image) {
    const images = await listImages(scope);
    const needle = filter.image.toLowerCase();
    digests = new Set(images.filter((i) => i.digest === needle || i.refs.some((r) => r.toLowerCase() === needle || r.toLowerCase().startsWith(`${needle}:`))).map((i) => i.digest));
  }
  if (filter.cluster) {
    const running = await imagesRunningIn(filter.cluster, scope);
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

/** Digests of images whose containers run in a cluster (by name or id), from its latest graph. */
async function imagesRunningIn(cluster: string, scope: Scope): Promise<Set<string>> {
  const { state } = services();
  const needle = cluster.toLowerCase();
  const out = new Set<string>();
  for (const row of await state.graphs.all()) {
    const g = row.value;
    if (!allows(scope, subscriptionOf(g.clusterId))) continue;
    if (g.clusterName.toLowerCase() !== needle && g.clusterId !== needle) continue;
    for (const d of g.imageDigests ?? []) out.add(d);
  }
  return out;
}

export async function listAttackPaths(filter: { cluster?: string; risk?: string } = {}, scope: Scope = ALL): Promise<PathRecord[]> {
  const rows = (await services().state.paths.all()).map((r) => r.value).filter((p) => allows(scope, subscriptionOf(p.clusterId)));
  const order = ["critical", "high", "medium", "low"];
  return rows
    .filter((p) => !filter.cluster || p.clusterName === filter.cluster || p.clusterId === filter.cluster.toLowerCase())
    .filter((p) => !filter.risk || p.risk === filter.risk)
    .sort((a, b) => order.indexOf(a.risk) - order.indexOf(b.risk) || a.title.localeCompare(b.title));
}
