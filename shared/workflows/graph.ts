// Security graph per cluster: after each snapshot and after findings change, rebuild the graph from
// the latest snapshot and the images' findings; the graph repository keeps the report in Blob and
// attack paths in Table with first-seen/last-seen, removing resolved ones.
import { buildSecurityGraph, type ImageFindings } from "../graph/index.js";
import type { PathsReport } from "../graph/model.js";
import { ensureError } from "../errors.js";
import type { Dependencies } from "./dependencies.js";
import { ACTIVITIES } from "./names.js";

export interface GraphBuildResult {
  ok: boolean;
  clusterId: string;
  paths?: number;
  insights?: number;
  error?: string;
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
      out.push({ digest: image.digest, findings });
      for (const ref of image.refs) out.push({ ref, digest: image.digest, findings });
    }
    return out;
  }

  async function buildGraph(input: { clusterId: string }): Promise<GraphBuildResult> {
    try {
      const latest = await deps.snapshots.latest(input.clusterId);
      if (!latest) return { ok: false, clusterId: input.clusterId, error: "no snapshot yet" };
      const { snapshot, pointer } = latest;
      const running = snapshot.pods.flatMap((p) => p.containers.map((c) => ({ ref: c.image, digest: c.imageDigest })));
      const report: PathsReport = buildSecurityGraph(snapshot, await imageFindingsFor(running));
      const exposed = new Set<string>();
      for (const n of report.graph.nodes) {
        if (n.kind === "container" && n.properties.exposed === true && typeof n.properties.imageDigest === "string") exposed.add(n.properties.imageDigest);
      }
      await deps.graphs.save({ id: input.clusterId, name: pointer.clusterName }, report, {
        imageDigests: [...new Set(running.map((r) => r.digest).filter((d): d is string => Boolean(d)))],
        exposedImageDigests: [...exposed].sort(),
      });
      return { ok: true, clusterId: input.clusterId, paths: report.paths.length, insights: report.insights.length };
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
