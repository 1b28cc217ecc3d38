// Security graph per cluster: after each snapshot and after findings change, rebuild the graph from
// the latest snapshot, the images' findings and the Azure access of the cluster's identities; the
// graph repository keeps the report in Blob and one row per attack path class in Table with
// first-seen/last-seen, removing resolved ones.
import { subscriptionOf } from "../azure/ids.js";
import type { AzureIdentityAccess } from "../azure/model.js";
import { readAzureAccess, type ExposedIdentity } from "../azure/role-access.js";
import type { ImageFindings } from "../graph/index.js";
import { buildGraphIsolated } from "../isolation/index.js";
import type { BuiltPathsReport } from "../graph/model.js";
import type { Snapshot } from "../kubernetes/model.js";
import { ensureError } from "../errors.js";
import { annotateGraph } from "../posture/graph-join.js";
import type { Sbom } from "../scanner/model.js";
import type { Dependencies } from "./dependencies.js";
import { ACTIVITIES } from "./names.js";

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

/** The graph activities, keyed by their function names. */
export function graphActivities(deps: Dependencies) {
  /** Findings for every image the snapshot runs, keyed both by digest and by each known reference. */
  async function imageFindingsFor(refsAndDigests: { ref: string; digest?: string }[]): Promise<ImageFindings[]> {
    const images = (await deps.state.images.all({ partitionKey: "image" })).map((r) => r.value);
    const wanted = new Set(refsAndDigests.flatMap((x) => [x.ref, x.digest].filter(Boolean) as string[]));
    const out: ImageFindings[] = [];
    for (const image of images) {
      if (!wanted.has(image.digest) && !image.refs.some((r) => wanted.has(r))) continue;
      const findings = await deps.findings.forImage(image.digest);
      // Secret findings live in the SBOM blob; only images that have some are read.
      const secrets = image.secrets?.total && image.sbom ? ((await deps.state.blobs.getJson<Sbom>(image.sbom)).secrets ?? []) : [];
      out.push({ digest: image.digest, findings, secrets });
      for (const ref of image.refs) out.push({ ref, digest: image.digest, findings, secrets });
    }
    return out;
  }

  /** Subscriptions Vantage can read: those onboarded (the operator role is assigned at each). */
  async function onboardedSubscriptions(): Promise<string[]> {
    return (await deps.state.subscriptions.all({ partitionKey: "subscription" })).map((r) => r.value).filter((s) => s.state === "onboarded").map((s) => s.subscriptionId);
  }

  /**
   * Azure access of the cluster's identities, read in the cluster's subscription and every other
   * onboarded one (a managed identity often holds roles in a shared or production subscription).
   * One unreadable subscription is listed per identity; if nothing can be read every identity is "unknown".
   */
  async function azureAccessOf(clusterId: string, snapshot: Snapshot): Promise<AzureIdentityAccess[]> {
    const identities = exposedIdentities(snapshot);
    const subscriptionId = subscriptionOf(clusterId);
    if (!identities.length || !subscriptionId) return [];
    try {
      return await readAzureAccess({ arm: (s) => deps.arm(s), home: subscriptionId, subscriptions: await onboardedSubscriptions() }, identities);
    } catch (err) {
      const reason = ensureError(err).message;
      return identities.map((i) => ({ ...i, status: "unknown" as const, reason, grants: [] }));
    }
  }

  async function buildGraph(input: { clusterId: string }): Promise<GraphBuildResult> {
    try {
      const latest = await deps.snapshots.latest(input.clusterId);
      if (!latest) return { ok: false, clusterId: input.clusterId, error: "no snapshot yet" };
      const { snapshot, pointer } = latest;
      const running = snapshot.pods.flatMap((p) => p.containers.map((c) => ({ ref: c.image, digest: c.imageDigest })));
      const azure = await azureAccessOf(input.clusterId, snapshot);
      const report: BuiltPathsReport = await buildGraphIsolated(snapshot, await imageFindingsFor(running), { azure });
      // The cluster's current posture failures on their nodes (the snapshot flow evaluates posture first).
      const failing = (await deps.state.postureResults.all({ partitionKey: input.clusterId.toLowerCase() })).map((r) => r.value).filter((r) => r.status === "fail");
      annotateGraph(report.graph.nodes, failing.map((r) => ({ controlId: r.controlId, severity: r.severity, resource: r.resource })));
      const exposed = new Set<string>();
      for (const n of report.graph.nodes) {
        if (n.kind === "container" && n.properties.exposed === true && typeof n.properties.imageDigest === "string") exposed.add(n.properties.imageDigest);
      }
      await deps.graphs.save({ id: input.clusterId, name: pointer.clusterName }, report, {
        imageDigests: [...new Set(running.map((r) => r.digest).filter((d): d is string => Boolean(d)))],
        exposedImageDigests: [...exposed].sort(),
      });
      return { ok: true, clusterId: input.clusterId, paths: report.paths.length, classes: report.pathClasses.length, insights: report.insights.length };
    } catch (err) {
      return { ok: false, clusterId: input.clusterId, error: ensureError(err).message };
    }
  }

  async function listGraphClusters(): Promise<string[]> {
    return (await deps.graphs.all()).map((g) => g.clusterId).sort();
  }

  return {
    [ACTIVITIES.buildGraph]: buildGraph,
    [ACTIVITIES.listGraphClusters]: listGraphClusters,
  };
}
