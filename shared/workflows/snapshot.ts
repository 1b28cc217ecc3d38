// Snapshots (issue 4): one collection activity per bound cluster. Each stores the snapshot in Blob
// (gzip JSON, content-addressed), the inventory in Table writing only what changed, and only then
// moves the cluster's "latest" pointer, so a failed collection never leaves a half-written latest.
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { parseSubscriptionId } from "../azure/ids.js";
import type { ClusterRecord } from "../azure/model.js";
import { ensureError } from "../errors.js";
import { AKS_TOKEN_SCOPE, collectSnapshot } from "../kubernetes/collect/index.js";
import { KubernetesAuthError } from "../kubernetes/collect/errors.js";
import { diffInventory, inventoryOf } from "../kubernetes/inventory.js";
import type { Snapshot } from "../kubernetes/model.js";
import { canonicalJson, digestOf, type BlobRef } from "../storage/blobs.js";
import { clusterKey } from "./onboard.js";
import { ACTIVITIES, ORCHESTRATIONS } from "./names.js";
import { services } from "./services.js";
import { CONTAINERS, invertedTimeKey, type SnapshotMeta } from "./state.js";

export interface SnapshotInput {
  subscriptionId: string;
  clusterId?: string;
}

export interface CollectResult {
  ok: boolean;
  clusterId: string;
  clusterName: string;
  changed?: boolean;
  digest?: string;
  workloads?: number;
  pods?: number;
  partial?: boolean;
  inventoryWrites?: number;
  error?: string;
}

export interface LatestSnapshotPointer {
  clusterId: string;
  clusterName: string;
  digest: string;
  blob: BlobRef;
  collectedAt: string;
  checkedAt: string;
}

export const snapshotSubscription: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as SnapshotInput;
  const clusters: { id: string; name: string }[] = yield context.df.callActivity(ACTIVITIES.listBoundClusters, input);
  context.df.setCustomStatus({ step: "collect", clusters: clusters.length });
  // Fan-out; every activity reports {ok|error} so one unreachable cluster never stops the rest.
  const results: CollectResult[] = yield context.df.Task.all(
    clusters.map((c) => context.df.callActivity(ACTIVITIES.collectSnapshot, { subscriptionId: input.subscriptionId, clusterId: c.id })),
  );
  const collected = results.filter((r) => r.ok);
  context.df.setCustomStatus({ step: "scan" });
  const scan = yield context.df.callSubOrchestrator(
    ORCHESTRATIONS.scanImages,
    { clusterIds: collected.map((r) => r.clusterId) },
    `${context.df.instanceId}:scan`,
  );
  context.df.setCustomStatus({ step: "graph" });
  const graphs: { ok: boolean; paths?: number; classes?: number }[] = yield context.df.Task.all(
    collected.map((r) => context.df.callActivity(ACTIVITIES.buildGraph, { clusterId: r.clusterId })),
  );
  context.df.setCustomStatus({ step: "done" });
  return {
    subscriptionId: input.subscriptionId,
    clusters: results,
    snapshots: collected.length,
    workloads: collected.reduce((n, r) => n + (r.workloads ?? 0), 0),
    scan,
    attackPaths: graphs.reduce((n, g) => n + (g.paths ?? 0), 0),
    pathClasses: graphs.reduce((n, g) => n + (g.classes ?? 0), 0),
  };
};

// ---- activities ----------------------------------------------------------------------------

export async function listBoundClustersActivity(input: SnapshotInput): Promise<{ id: string; name: string }[]> {
  const subscriptionId = parseSubscriptionId(input.subscriptionId);
  const rows = await services().state.clusters.all({ partitionKey: subscriptionId });
  return rows
    .map((r) => r.value)
    .filter((c) => c.state === "bound" && (!input.clusterId || c.id === clusterKey(input.clusterId)))
    .map((c) => ({ id: c.id, name: c.name }));
}

/** Where the cluster's API server is: a configured endpoint (private link, local) or https://FQDN. */
export function apiServerUrl(cluster: Pick<ClusterRecord, "name" | "fqdn" | "privateFqdn">): string {
  const { kubeEndpoints } = services().config;
  const configured = kubeEndpoints[cluster.name.toLowerCase()] ?? (cluster.fqdn ? kubeEndpoints[cluster.fqdn.toLowerCase()] : undefined);
  if (configured) return configured;
  const host = cluster.fqdn ?? cluster.privateFqdn;
  if (!host) throw new Error(`cluster ${cluster.name} has no API server FQDN`);
  return `https://${host}`;
}

/** The snapshot's identity ignores when it was taken: the same cluster state gives the same digest. */
export function snapshotDigest(snapshot: Snapshot): string {
  return digestOf(canonicalJson({ ...snapshot, collectedAt: undefined }));
}

export function pointerName(clusterId: string): string {
  return `clusters/${digestOf(clusterId).slice(7, 39)}/latest-snapshot.json`;
}

export async function latestSnapshot(clusterId: string): Promise<{ pointer: LatestSnapshotPointer; snapshot: Snapshot } | undefined> {
  const { state } = services();
  const p = await state.blobs.getPointer<LatestSnapshotPointer>(CONTAINERS.pointers, pointerName(clusterId));
  if (!p) return undefined;
  return { pointer: p.value, snapshot: await state.blobs.getJson<Snapshot>(p.value.blob) };
}

function countWorkloads(snapshot: Snapshot): number {
  // Controllers that own pods (top-level only) plus bare pods.
  const top = snapshot.workloads.filter((w) => !w.meta.ownerReferences.some((o) => o.controller !== false && ["Deployment", "CronJob"].includes(o.kind)));
  return top.length + snapshot.pods.filter((p) => !p.workload).length;
}

export async function collectSnapshotActivity(input: { subscriptionId: string; clusterId: string }): Promise<CollectResult> {
  const subscriptionId = parseSubscriptionId(input.subscriptionId);
  const { state, config } = services();
  const row = await state.clusters.get(subscriptionId, clusterKey(input.clusterId));
  const name = row?.value.name ?? input.clusterId;
  if (!row) return { ok: false, clusterId: input.clusterId, clusterName: name, error: "cluster is not in the inventory" };
  const cluster = row.value;
  try {
    const server = apiServerUrl(cluster);
    const { id: _id, state: _s, reason: _r, remediation: _m, errorCode: _e, roleAssignmentId: _a, trustedAccessBindingId: _t, lastSnapshotAt: _l, lastSnapshotDigest: _d, ...facts } = cluster;
    let snapshot: Snapshot | undefined;
    let lastError: Error | undefined;
    // A couple of attempts for transient faults (5xx, resets); 401 is not transient.
    for (let attempt = 1; attempt <= 2 && !snapshot; attempt++) {
      try {
        snapshot = await collectSnapshot(
          { server, token: async () => (await config.credential.getToken(AKS_TOKEN_SCOPE))?.token ?? "" },
          { cluster: { ...facts, id: cluster.id } },
        );
      } catch (err) {
        lastError = ensureError(err);
        if (err instanceof KubernetesAuthError) break;
      }
    }
    if (!snapshot) throw lastError ?? new Error("collection failed");
    const stored = await storeSnapshot(subscriptionId, cluster, snapshot);
    return {
      ok: true,
      clusterId: cluster.id,
      clusterName: name,
      changed: stored.changed,
      digest: stored.digest,
      workloads: countWorkloads(snapshot),
      pods: snapshot.pods.length,
      partial: snapshot.partial,
      inventoryWrites: stored.inventoryWrites,
    };
  } catch (err) {
    // The previous snapshot stays latest: nothing below was reached.
    return { ok: false, clusterId: cluster.id, clusterName: name, error: ensureError(err).message };
  }
}

/** Blob, inventory diff, metadata, then the pointer: the pointer moves last. */
export async function storeSnapshot(subscriptionId: string, cluster: ClusterRecord, snapshot: Snapshot) {
  const { state } = services();
  const digest = snapshotDigest(snapshot);
  const previous = await state.blobs.getPointer<LatestSnapshotPointer>(CONTAINERS.pointers, pointerName(cluster.id));
  const now = new Date().toISOString();
  if (previous && previous.value.digest === digest) {
    // Unchanged cluster: no Table writes at all, only the pointer's check time.
    await state.blobs.setPointer(CONTAINERS.pointers, pointerName(cluster.id), { ...previous.value, checkedAt: now }, previous.etag);
    return { changed: false, digest, inventoryWrites: 0 };
  }
  const blob = await state.blobs.putJson(CONTAINERS.snapshots, `clusters/${digestOf(cluster.id).slice(7, 23)}`, snapshot);
  const existing = (await state.inventory.all({ partitionKey: cluster.id })).map((r) => ({ key: r.rowKey, hash: r.value.hash }));
  const diff = diffInventory(existing, inventoryOf(snapshot));
  await state.inventory.writeBatch({
    upserts: diff.upserts.map((i) => ({ partitionKey: cluster.id, rowKey: i.key, value: { kind: i.kind, namespace: i.namespace, name: i.name, hash: i.hash, summary: i.summary } })),
    deletes: diff.deletes.map((key) => ({ partitionKey: cluster.id, rowKey: key })),
  });
  const meta: SnapshotMeta = {
    clusterId: cluster.id,
    clusterName: cluster.name,
    subscriptionId,
    collectedAt: snapshot.collectedAt,
    digest,
    blob,
    partial: snapshot.partial,
    notVisible: snapshot.notVisible,
    counts: { nodes: snapshot.nodes.length, pods: snapshot.pods.length, workloads: snapshot.workloads.length, services: snapshot.services.length, roles: snapshot.roles.length, roleBindings: snapshot.roleBindings.length },
    inventoryWrites: diff.upserts.length + diff.deletes.length,
  };
  await state.snapshots.upsert(cluster.id, invertedTimeKey(snapshot.collectedAt), meta);
  await state.clusters.upsert(subscriptionId, cluster.id, { ...cluster, lastSnapshotAt: snapshot.collectedAt, lastSnapshotDigest: digest });
  const pointer: LatestSnapshotPointer = { clusterId: cluster.id, clusterName: cluster.name, digest, blob, collectedAt: snapshot.collectedAt, checkedAt: now };
  await state.blobs.setPointer(CONTAINERS.pointers, pointerName(cluster.id), pointer, previous?.etag);
  return { changed: true, digest, inventoryWrites: meta.inventoryWrites };
}
