// One attack technique = one module: what it means, when it applies, which node kinds it joins,
// how to break it, and a pure derivation over the GraphContext.
import type { GraphContext } from "../context.js";
import type { Fix, GraphEdge, NodeKind } from "../model.js";

export interface EdgeTechnique {
  kind: string;
  description: string;
  /** The condition checked by `derive`, in words (also printed in the README). */
  precondition: string;
  from: NodeKind | NodeKind[];
  to: NodeKind | NodeKind[];
  /** Traversed by path search (false for structural facts such as IMAGE_VULNERABLE). */
  attack: boolean;
  /** An attacker from the internet can take this edge first (entry edges). */
  initialAccess?: boolean;
  /** KubeHound's attack library name, or "vantage" for Vantage's own. */
  source: "kubehound" | "vantage";
  /** The change that removes the edge (used as a path's fix). */
  fix: string;
  derive(ctx: GraphContext): GraphEdge[];
  /** The facts that make one edge hold (asked only for path edges). */
  evidence(ctx: GraphContext, e: GraphEdge): string[];
  /** The change that removes one edge, naming the object and field. */
  remedy(ctx: GraphContext, e: GraphEdge): Fix;
}

export function edge(kind: string, from: string, to: string, properties?: Record<string, unknown>): GraphEdge {
  return properties ? { kind, from, to, properties } : { kind, from, to };
}
