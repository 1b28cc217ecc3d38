// Security graph entry point: Snapshot (+ image findings) → graph, insights, attack paths, choke
// points (docs/graph.md). Pure: no I/O, no clock except the path search's time budget.
import type { Snapshot } from "../kubernetes/model.js";
import type { Finding } from "../scanner/model.js";
import type { AzureIdentityAccess } from "../azure/model.js";
import type { ImageSecret } from "../scanner/secrets/image-secrets.js";
import { buildContext } from "./builders/index.js";
import type { GraphContext } from "./context.js";
import { TECHNIQUES } from "./edges/index.js";
import { FindingsIndex } from "./images.js";
import { computeInsights } from "./insights.js";
import type { BuiltPathsReport, GraphEdge } from "./model.js";
import { findPaths, type EntryKind } from "./paths.js";
import { buildStructure } from "./structure.js";

export type { BuiltPathsReport, PathsReport, GraphNode, GraphEdge, Graph, Insight, AttackPath, ChokePoint, NodeKind, Risk, PathClass, PathEdge, Fix, FixImpact } from "./model.js";
export { TECHNIQUES, TECHNIQUE_BY_KIND, type EdgeTechnique } from "./edges/index.js";
export { DEFENDER_TITLES, type EntryKind } from "./paths.js";
export { normalizeImageRef } from "./images.js";
export { ids } from "./ids.js";

/** Findings of one image, joined to containers by reference or digest. */
export interface ImageFindings {
  ref?: string;
  digest?: string;
  findings: Finding[];
  /** Secrets baked into the image's layers (redacted). */
  secrets?: ImageSecret[];
}

export interface BuildOptions {
  /** Longest path, in edges (default 6). */
  maxHops?: number;
  /** Member routes spelled out per path class (default 5); classes always carry the exact count. */
  membersPerClass?: number;
  /** Path search time budget in ms (default 5000). */
  timeBudgetMs?: number;
  /** Entry points (default internet + compromised image). */
  entries?: EntryKind[];
  /** Azure role assignments of the cluster's identities (read by the caller; absent offline). */
  azure?: AzureIdentityAccess[];
  /** Skip path enumeration (graph + insights only). */
  skipPaths?: boolean;
  now?: () => number;
}

export function buildSecurityGraph(snapshot: Snapshot, images: ImageFindings[] = [], options: BuildOptions = {}): BuiltPathsReport {
  const ctx = buildContext(normalizeSnapshot(snapshot), new FindingsIndex(images), { azure: options.azure });
  const { nodes, edges: structural } = buildStructure(ctx);
  const attack = deriveAttackEdges(ctx, new Set(nodes.map((n) => n.id)));
  const insights = computeInsights(ctx);
  const attackOnly = attack.filter((e) => TECHNIQUE_ATTACK.has(e.kind));
  const result = options.skipPaths
    ? { paths: [], pathClasses: [], chokePoints: [], fixes: [], truncated: false }
    : findPaths(ctx, nodes, attackOnly, options);
  const warnings = [...new Set(ctx.warnings)];
  return {
    graph: { nodes, edges: [...structural, ...attack] },
    insights,
    paths: result.paths,
    pathClasses: result.pathClasses,
    chokePoints: result.chokePoints,
    fixes: result.fixes,
    incomplete: Boolean(snapshot.partial) || (snapshot.notVisible?.length ?? 0) > 0,
    truncated: result.truncated,
    warnings,
  };
}

const TECHNIQUE_ATTACK = new Set(TECHNIQUES.filter((t) => t.attack).map((t) => t.kind));

/** Every technique's edges, keeping only edges whose ends are graph nodes. */
export function deriveAttackEdges(ctx: GraphContext, nodeIds: Set<string>): GraphEdge[] {
  const out: GraphEdge[] = [];
  for (const t of TECHNIQUES) {
    // Modules emit each (from, to) once by construction; a per-kind check would cost more than it saves at 30k pods.
    for (const e of t.derive(ctx)) {
      if (!nodeIds.has(e.from) || !nodeIds.has(e.to)) {
        ctx.warnings.push(`${e.kind} edge dropped: ${nodeIds.has(e.from) ? e.to : e.from} is not in the graph`);
        continue;
      }
      out.push(e);
    }
  }
  return out;
}

/** Tolerate snapshots from older writers or hand-made JSON: missing arrays become empty. */
function normalizeSnapshot(s: Snapshot): Snapshot {
  const arr = <T>(v: T[] | undefined): T[] => (Array.isArray(v) ? v : []);
  return {
    ...s,
    cluster: s.cluster ?? { name: "cluster" },
    notVisible: arr(s.notVisible),
    warnings: arr(s.warnings),
    nodes: arr(s.nodes), namespaces: arr(s.namespaces), pods: arr(s.pods), workloads: arr(s.workloads), services: arr(s.services),
    endpointSlices: arr(s.endpointSlices), ingresses: arr(s.ingresses), networkPolicies: arr(s.networkPolicies),
    serviceAccounts: arr(s.serviceAccounts), roles: arr(s.roles), roleBindings: arr(s.roleBindings), secrets: arr(s.secrets), webhooks: arr(s.webhooks),
  };
}
