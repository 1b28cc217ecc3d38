// Cluster snapshots: the snapshot itself in Blob (gzip JSON, content-addressed), the inventory in
// Table writing only what changed, a metadata row per snapshot, and the cluster's "latest" pointer,
// which moves last so a failed write never leaves a half-written latest.
import type { ClusterRecord } from "../../azure/model.js";
import { diffInventory, inventoryOf } from "../../kubernetes/inventory.js";
import type { Snapshot } from "../../kubernetes/model.js";
import { canonicalJson, digestOf, shortDigest, type BlobRef } from "../../storage/blobs.js";
import { CONTAINERS, clusterBlobName, invertedTimeKey, type PipelineState, type SnapshotMeta } from "../state.js";

export interface LatestSnapshotPointer {
  clusterId: string;
  clusterName: string;
  digest: string;
  blob: BlobRef;
  collectedAt: string;
  checkedAt: string;
}

export interface StoredSnapshot {
  changed: boolean;
  digest: string;
  inventoryWrites: number;
}

/** The snapshot's identity ignores when it was taken: the same cluster state gives the same digest. */
export function snapshotDigest(snapshot: Snapshot): string {
  return digestOf(canonicalJson({ ...snapshot, collectedAt: undefined }));
}

export function pointerName(clusterId: string): string {
  return `clusters/${shortDigest(clusterId, 32)}/latest-snapshot.json`;
}

export class SnapshotRepository {
  constructor(private readonly state: PipelineState) {}

  async latest(clusterId: string): Promise<{ pointer: LatestSnapshotPointer; snapshot: Snapshot } | undefined> {
    const p = await this.state.blobs.getPointer<LatestSnapshotPointer>(CONTAINERS.pointers, pointerName(clusterId));
    if (!p) return undefined;
    return { pointer: p.value, snapshot: await this.state.blobs.getJson<Snapshot>(p.value.blob) };
  }

  /** Blob, inventory diff, metadata, then the pointer: the pointer moves last. */
  async store(subscriptionId: string, cluster: ClusterRecord, snapshot: Snapshot): Promise<StoredSnapshot> {
    const { state } = this;
    const digest = snapshotDigest(snapshot);
    const previous = await state.blobs.getPointer<LatestSnapshotPointer>(CONTAINERS.pointers, pointerName(cluster.id));
    const now = new Date().toISOString();
    if (previous && previous.value.digest === digest) {
      // Unchanged cluster: no Table writes at all, only the pointer's check time.
      await state.blobs.setPointer(CONTAINERS.pointers, pointerName(cluster.id), { ...previous.value, checkedAt: now }, previous.etag);
      return { changed: false, digest, inventoryWrites: 0 };
    }
    const blob = await state.blobs.putJson(CONTAINERS.snapshots, clusterBlobName(cluster.id), snapshot);
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
}
