// Security graph per cluster (issue 7): after each snapshot and after findings change, rebuild the
// graph from the latest snapshot and the images' findings; the graph goes to Blob, insights and
// attack paths to Table with first-seen/last-seen, and resolved paths are removed.
import type { AzureIdentityAccess } from "../azure/model.js";
import { readAzureAccess, type ExposedIdentity } from "../azure/role-access.js";
import { buildSecurityGraph, type ImageFindings } from "../graph/index.js";
import type { Snapshot } from "../kubernetes/model.js";
import type { PathsReport } from "../graph/model.js";
import { ensureError } from "../errors.js";
import type { Finding } from "../scanner/model.js";
import { digestOf } from "../storage/blobs.js";
import { ALL, type Scope } from "./access.js";
import { armConnection } from "./arm.js";
import { scopedGraphs, subscriptionOf } from "./read-model.js";
import { services } from "./services.js";
import { latestSnapshot } from "./snapshot.js";
import { CONTAINERS, type GraphMeta, type PathRecord } from "./state.js";

/** Findings for every image the snapshot runs, keyed both by digest and by each known reference. */
export async function imageFindingsFor(refsAndDigests: { ref: string; digest?: string }[]): Promise<ImageFindings[]> {
  const { state } = services();
  const images = (await state.images.all({ partitionKey: "image" })).map((r) => r.value);
  const wanted = new Set(refsAndDigests.flatMap((x) => [x.ref, x.digest].filter(Boolean) as string[]));
  const out: ImageFindings[] = [];
  for (const image of images) {
    if (!wanted.has(image.digest) && !image.refs.some((r) => wanted.has(r))) continue;
    const findings: Finding[] = (await state.findings.all({ partitionKey: image.digest })).map((r) => {
      const { digest: _d, firstSeen: _f, lastSeen: _l, ...f } = r.value;
      return f;
    });
    out.push({ digest: image.digest, findings });
    for (const ref of image.refs) out.push({ ref, digest: image.digest, findings });
  }
  return out;
}

export interface GraphBuildResult {
  ok: boolean;
  clusterId: string;
  paths?: number;
  classes?: number;
  insights?: number;
  error?: string;
}

/** The Azure identities a cluster exposes: workload-identity client ids, the kubelet and cluster identities. */
export function exposedIdentities(snapshot: Snapshot): ExposedIdentity[] {
  const out: ExposedIdentity[] = [];
  const seen = new Set<string>();
  for (const sa of snapshot.serviceAccounts ?? []) {
    const clientId = sa.workloadIdentity?.clientId;
    if (clientId && !seen.has(clientId)) {
      seen.add(clientId);
      out.push({ source: "workload-identity", clientId });
    }
  }
  const k = snapshot.cluster?.kubeletIdentity;
  if (k?.clientId && !seen.has(k.clientId)) out.push({ source: "kubelet", clientId: k.clientId, principalId: k.objectId, resourceId: k.resourceId });
  const c = snapshot.cluster?.clusterIdentity;
  if (c?.objectId) out.push({ source: "cluster", clientId: c.clientId, principalId: c.objectId, resourceId: c.resourceId });
  return out;
}

/** Azure access of the cluster's identities; an unreadable subscription leaves every identity "unknown". */
async function azureAccessOf(clusterId: string, snapshot: Snapshot): Promise<AzureIdentityAccess[]> {
  const identities = exposedIdentities(snapshot);
  const subscriptionId = subscriptionOf(clusterId);
  if (!identities.length || !subscriptionId) return [];
  try {
    return await readAzureAccess(armConnection(subscriptionId), identities);
  } catch (err) {
    const reason = ensureError(err).message;
    return identities.map((i) => ({ ...i, status: "unknown" as const, reason, grants: [] }));
  }
}

export async function buildGraphActivity(input: { clusterId: string }): Promise<GraphBuildResult> {
  const { state } = services();
  try {
    const latest = await latestSnapshot(input.clusterId);
    if (!latest) return { ok: false, clusterId: input.clusterId, error: "no snapshot yet" };
    const { snapshot, pointer } = latest;
    const running = snapshot.pods.flatMap((p) => p.containers.map((c) => ({ ref: c.image, digest: c.imageDigest })));
    const azure = await azureAccessOf(input.clusterId, snapshot);
    const report = buildSecurityGraph(snapshot, await imageFindingsFor(running), { azure });
    const blob = await state.blobs.putJson(CONTAINERS.graphs, `clusters/${digestOf(input.clusterId).slice(7, 23)}`, report);
    const now = new Date().toISOString();

    const existing = new Map((await state.paths.all({ partitionKey: input.clusterId })).map((r) => [r.rowKey, r.value]));
    // One row per path class (its preferred member path carries the §5 path fields).
    const byId = new Map(report.paths.map((p) => [p.id, p]));
    const upserts = [];
    for (const c of report.pathClasses) {
      const p = byId.get(c.paths[0]!);
      if (!p) continue;
      const prev = existing.get(c.id);
      existing.delete(c.id);
      const record: PathRecord = {
        ...p, clusterId: input.clusterId, clusterName: pointer.clusterName, firstSeen: prev?.firstSeen ?? now, lastSeen: now,
        classId: c.id, count: c.count, members: c.paths, entryName: c.entryName, targetName: c.targetName, entryType: c.entryType, targetType: c.targetType,
        hops: c.hops, reachesAzure: c.reachesAzure, ...(c.implies ? { implies: c.implies } : {}), ...(c.notes ? { notes: c.notes } : {}),
      };
      upserts.push({ partitionKey: input.clusterId, rowKey: c.id, value: record });
    }
    // Paths that no longer exist are resolved: remove them.
    const deletes = [...existing.keys()].map((rowKey) => ({ partitionKey: input.clusterId, rowKey }));
    await state.paths.writeBatch({ upserts, deletes });

    const exposed = new Set<string>();
    for (const n of report.graph.nodes) {
      if (n.kind === "container" && n.properties.exposed === true && typeof n.properties.imageDigest === "string") exposed.add(n.properties.imageDigest);
    }
    const meta: GraphMeta = {
      clusterId: input.clusterId,
      clusterName: pointer.clusterName,
      builtAt: now,
      blob,
      nodes: report.graph.nodes.length,
      edges: report.graph.edges.length,
      paths: report.paths.length,
      classes: report.pathClasses.length,
      // Insights are kept whole on the graph blob; the row keeps a bounded sample for listings.
      insights: report.insights.slice(0, 200),
      incomplete: Boolean(report.incomplete),
      truncated: Boolean(report.truncated),
      imageDigests: [...new Set(running.map((r) => r.digest).filter((d): d is string => Boolean(d)))],
      exposedImageDigests: [...exposed].sort(),
    };
    await state.graphs.upsert("graph", input.clusterId, meta);
    return { ok: true, clusterId: input.clusterId, paths: report.paths.length, classes: report.pathClasses.length, insights: report.insights.length };
  } catch (err) {
    return { ok: false, clusterId: input.clusterId, error: ensureError(err).message };
  }
}

export async function listGraphClustersActivity(): Promise<string[]> {
  return (await services().state.graphs.all({ partitionKey: "graph" })).map((r) => r.value.clusterId).sort();
}

/** The stored graph of a cluster (or of every cluster), for the explorer and the dashboard. */
export async function loadGraphs(cluster?: string, scope: Scope = ALL): Promise<(GraphMeta & { report: PathsReport })[]> {
  const { state } = services();
  const metas = await scopedGraphs(scope);
  const picked = cluster ? metas.filter((m) => m.clusterName === cluster || m.clusterId === cluster.toLowerCase()) : metas;
  return Promise.all(picked.map(async (m) => ({ ...m, report: await state.blobs.getJson<PathsReport>(m.blob) })));
}
