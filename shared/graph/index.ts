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
import { findPaths, STEP, type EntryKind, type WalkEdges } from "./paths.js";
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
  const index = new Map<string, number>();
  for (let i = 0; i < nodes.length; i++) index.set(nodes[i]!.id, i);
  const { edges: attack, walk } = deriveAttackEdges(ctx, index);
  const insights = computeInsights(ctx);
  const result = options.skipPaths
    ? { paths: [], pathClasses: [], chokePoints: [], fixes: [], truncated: false }
    : findPaths(ctx, nodes, walk, options);
  const warnings = [...new Set(ctx.warnings)];
  // One array, filled in place: at 30k pods a spread of both would copy 1.5M edges twice.
  const edges = structural;
  for (const e of attack) edges.push(e);
  return {
    graph: { nodes, edges },
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

/**
 * Every technique's edges, keeping only edges whose ends are graph nodes, and the walkable ones
 * (attack techniques) with their ends as node indices, for the path search.
 */
export function deriveAttackEdges(ctx: GraphContext, index: ReadonlyMap<string, number>): { edges: GraphEdge[]; walk: WalkEdges } {
  const out: GraphEdge[] = [];
  const walkEdges: GraphEdge[] = [];
  const from: number[] = [];
  const to: number[] = [];
  const step: number[] = [];
  for (const t of TECHNIQUES) {
    const kind = t.kind === "EXPLOIT_RCE_VULNERABILITY" ? STEP.rce : t.kind === "HOST_NETWORK_EXPOSED" ? STEP.hostNetwork : t.initialAccess ? STEP.endpoint : STEP.inner;
    // Modules emit each (from, to) once by construction; a per-kind check would cost more than it saves at 30k pods.
    for (const e of t.derive(ctx)) {
      const f = index.get(e.from);
      const d = index.get(e.to);
      if (f === undefined || d === undefined) {
        ctx.warnings.push(`${e.kind} edge dropped: ${f !== undefined ? e.to : e.from} is not in the graph`);
        continue;
      }
      out.push(e);
      if (!t.attack) continue;
      walkEdges.push(e);
      from.push(f);
      to.push(d);
      // An ENDPOINT_EXPLOIT the internet does not reach is an inner step (cluster-internal endpoint).
      step.push(kind === STEP.endpoint && e.properties?.internet !== true ? STEP.internalEndpoint : kind);
    }
  }
  return { edges: out, walk: { index, edges: walkEdges, from: Int32Array.from(from), to: Int32Array.from(to), step: Uint8Array.from(step) } };
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
