// Snapshots: one collection activity per bound cluster. Each stores the snapshot through the
// snapshot repository (Blob, inventory diff, metadata, then the "latest" pointer), so a failed
// collection never leaves a half-written latest.
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { parseSubscriptionId } from "../azure/ids.js";
import type { ClusterRecord } from "../azure/model.js";
import { ensureError } from "../errors.js";
import { AKS_TOKEN_SCOPE, collectSnapshot } from "../kubernetes/collect/index.js";
import { KubernetesAuthError } from "../kubernetes/collect/errors.js";
import type { Snapshot } from "../kubernetes/model.js";
import type { Dependencies } from "./dependencies.js";
import { scanAfterSnapshotInstanceId } from "./instance-ids.js";
import { ACTIVITIES, ORCHESTRATIONS } from "./names.js";
import { clusterKey } from "./state.js";

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
    scanAfterSnapshotInstanceId(context.df.instanceId),
  );
  // Posture before the graph: the graph carries each node's failing controls (explorer hasControl).
  context.df.setCustomStatus({ step: "posture" });
  const posture: { ok: boolean; score?: number | null }[] = yield context.df.Task.all(
    collected.map((r) => context.df.callActivity(ACTIVITIES.evaluatePosture, { clusterId: r.clusterId })),
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
    posture,
  };
};

/** Where the cluster's API server is: a configured endpoint (private link, local) or https://FQDN. */
export function apiServerUrl(cluster: Pick<ClusterRecord, "name" | "fqdn" | "privateFqdn">, kubeEndpoints: Record<string, string>): string {
  const configured = kubeEndpoints[cluster.name.toLowerCase()] ?? (cluster.fqdn ? kubeEndpoints[cluster.fqdn.toLowerCase()] : undefined);
  if (configured) return configured;
  const host = cluster.fqdn ?? cluster.privateFqdn;
  if (!host) throw new Error(`cluster ${cluster.name} has no API server FQDN`);
  return `https://${host}`;
}

function countWorkloads(snapshot: Snapshot): number {
  // Controllers that own pods (top-level only) plus bare pods.
  const top = snapshot.workloads.filter((w) => !w.meta.ownerReferences.some((o) => o.controller !== false && ["Deployment", "CronJob"].includes(o.kind)));
  return top.length + snapshot.pods.filter((p) => !p.workload).length;
}

/** The snapshot activities, keyed by their function names. */
export function snapshotActivities(deps: Dependencies) {
  async function listBoundClusters(input: SnapshotInput): Promise<{ id: string; name: string }[]> {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const rows = await deps.state.clusters.all({ partitionKey: subscriptionId });
    return rows
      .map((r) => r.value)
      .filter((c) => c.state === "bound" && (!input.clusterId || c.id === clusterKey(input.clusterId)))
      .map((c) => ({ id: c.id, name: c.name }));
  }

  async function collect(input: { subscriptionId: string; clusterId: string }): Promise<CollectResult> {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const { state, config } = deps;
    const row = await state.clusters.get(subscriptionId, clusterKey(input.clusterId));
    const name = row?.value.name ?? input.clusterId;
    if (!row) return { ok: false, clusterId: input.clusterId, clusterName: name, error: "cluster is not in the inventory" };
    const cluster = row.value;
    try {
      const server = apiServerUrl(cluster, config.kubeEndpoints);
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
      const stored = await deps.snapshots.store(subscriptionId, cluster, snapshot);
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

  return {
    [ACTIVITIES.listBoundClusters]: listBoundClusters,
    [ACTIVITIES.collectSnapshot]: collect,
  };
}
