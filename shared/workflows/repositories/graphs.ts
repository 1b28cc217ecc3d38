// Security graphs per cluster: the whole report in Blob, a metadata row per cluster (partition
// "graph"), and the attack path classes in Table with first-seen/last-seen; resolved paths are removed.
import type { BuiltPathsReport, PathsReport } from "../../graph/model.js";
import { CONTAINERS, clusterBlobName, type GraphMeta, type PathRecord, type PipelineState } from "../state.js";
import { diffSeenRows } from "./row-diff.js";

export type GraphFacts = Omit<GraphMeta, "clusterId" | "clusterName" | "builtAt" | "blob" | "nodes" | "edges" | "paths" | "classes" | "insights" | "incomplete" | "truncated">;

export class GraphRepository {
  constructor(private readonly state: PipelineState) {}

  /** Every cluster's latest graph metadata (one Table read). */
  async all(): Promise<GraphMeta[]> {
    return (await this.state.graphs.all({ partitionKey: "graph" })).map((r) => r.value);
  }

  async report(meta: GraphMeta): Promise<PathsReport> {
    return this.state.blobs.getJson<PathsReport>(meta.blob);
  }

  async save(cluster: { id: string; name: string }, report: BuiltPathsReport, facts: GraphFacts): Promise<GraphMeta> {
    const { state } = this;
    const blob = await state.blobs.putJson(CONTAINERS.graphs, clusterBlobName(cluster.id), report);
    const now = new Date().toISOString();
    const existing = new Map((await state.paths.all({ partitionKey: cluster.id })).map((r) => [r.rowKey, r.value]));
    // One row per path class; its preferred member path carries the path fields. Classes that no
    // longer exist are resolved: the diff deletes them.
    const byId = new Map(report.paths.map((p) => [p.id, p]));
    const rows = report.pathClasses.flatMap((c) => {
      const p = byId.get(c.paths[0]!);
      return p ? [[c.id, { c, p }] as const] : [];
    });
    const diff = diffSeenRows(existing, rows, now, ({ c, p }, seen): PathRecord => ({
      ...p, clusterId: cluster.id, clusterName: cluster.name, ...seen,
      classId: c.id, count: c.count, members: c.paths, entryName: c.entryName, targetName: c.targetName, entryType: c.entryType, targetType: c.targetType,
      hops: c.hops, reachesAzure: c.reachesAzure, ...(c.implies ? { implies: c.implies } : {}), ...(c.notes ? { notes: c.notes } : {}),
    }));
    await state.paths.writeBatch({
      upserts: diff.upserts.map((u) => ({ partitionKey: cluster.id, ...u })),
      deletes: diff.deletes.map((rowKey) => ({ partitionKey: cluster.id, rowKey })),
    });
    const meta: GraphMeta = {
      clusterId: cluster.id,
      clusterName: cluster.name,
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
      ...facts,
    };
    await state.graphs.upsert("graph", cluster.id, meta);
    return meta;
  }
}
