// An indexed, read-only view of one PathsReport, built once and reused by every query on that graph:
// nodes by id and kind, (kind, property) value indexes built on first use, adjacency by direction and
// edge kind, insights by node, choke points and attack-path membership for the pseudo-labels.
import type { Graph, GraphEdge, GraphNode, Insight, PathsReport } from "../graph/model.js";
import type { NodeKind } from "../graph/model.js";

const EMPTY: readonly never[] = Object.freeze([]);

/** Parallel arrays: edges[i] leads to nodes[i]. */
export interface Adjacent {
  readonly edges: GraphEdge[];
  readonly nodes: GraphNode[];
}

interface NodeAdjacency {
  out: Adjacent;
  in: Adjacent;
  filtered?: Map<string, Adjacent>;
}

const EMPTY_ADJACENT: Adjacent = { edges: [], nodes: [] };

export class GraphView {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  private readonly byId = new Map<string, GraphNode>();
  private readonly byKind = new Map<string, GraphNode[]>();
  /** Keyed by node object (identity hashing); filtered variants are built per node on first use. */
  private readonly adjacency = new Map<GraphNode, NodeAdjacency>();
  /** Upper-cased edge kind → the spellings present in the graph (kinds match case-insensitively). */
  private readonly edgeKinds = new Map<string, string[]>();
  private readonly propertyIndexes = new Map<string, Map<string, GraphNode[]>>();
  private readonly insightsByNode = new Map<string, Insight[]>();
  private readonly chokePoints = new Map<string, number>();
  private readonly onPath = new Set<string>();
  private readonly nodeObjects = new WeakSet<object>();
  private readonly edgeObjects = new WeakSet<object>();

  constructor(report: PathsReport | Graph) {
    const graph: Graph = "graph" in report ? report.graph : report;
    this.nodes = graph.nodes;
    this.edges = graph.edges;
    for (const node of graph.nodes) {
      this.byId.set(node.id, node);
      this.nodeObjects.add(node);
      push(this.byKind, node.kind, node);
      this.adjacency.set(node, { out: { edges: [], nodes: [] }, in: { edges: [], nodes: [] } });
    }
    for (const edge of graph.edges) {
      // Dangling edges would yield bindings to nodes that don't exist; they are skipped.
      const from = this.byId.get(edge.from);
      const to = this.byId.get(edge.to);
      if (!from || !to) continue;
      this.edgeObjects.add(edge);
      const out = this.adjacency.get(from)!.out;
      out.edges.push(edge);
      out.nodes.push(to);
      const inc = this.adjacency.get(to)!.in;
      inc.edges.push(edge);
      inc.nodes.push(from);
      const upper = edge.kind.toUpperCase();
      const spellings = this.edgeKinds.get(upper);
      if (!spellings) this.edgeKinds.set(upper, [edge.kind]);
      else if (!spellings.includes(edge.kind)) spellings.push(edge.kind);
    }
    if ("graph" in report) {
      for (const insight of report.insights ?? []) push(this.insightsByNode, insight.node, insight);
      for (const c of report.chokePoints ?? []) this.chokePoints.set(c.node, c.pathsCut);
      for (const path of report.paths ?? []) {
        this.onPath.add(path.entry);
        this.onPath.add(path.target);
        for (const e of path.edges) {
          this.onPath.add(e.from);
          this.onPath.add(e.to);
        }
      }
    }
  }

  /** True for this graph's node objects (as opposed to map-valued properties). */
  isNode(value: unknown): value is GraphNode {
    return typeof value === "object" && value !== null && this.nodeObjects.has(value);
  }

  isEdge(value: unknown): value is GraphEdge {
    return typeof value === "object" && value !== null && this.edgeObjects.has(value);
  }

  node(id: string): GraphNode | undefined {
    return this.byId.get(id);
  }

  nodesOfKind(kind: NodeKind | string): readonly GraphNode[] {
    return this.byKind.get(kind) ?? EMPTY;
  }

  /** Nodes of a kind whose (flattened) property equals value; the index is built on first use. */
  nodesByProperty(kind: string, property: string, value: unknown): readonly GraphNode[] {
    const key = `${kind}\u0000${property}`;
    let index = this.propertyIndexes.get(key);
    if (!index) {
      index = new Map();
      for (const node of this.nodesOfKind(kind)) {
        const v = nodeProperty(node, property);
        if (v === null || typeof v === "object") continue;
        push(index, indexKey(v), node);
      }
      this.propertyIndexes.set(key, index);
    }
    if (value === null || typeof value === "object") return EMPTY;
    return index.get(indexKey(value)) ?? EMPTY;
  }

  /** Resolves edge kinds written in a query to the spellings in this graph (case-insensitive). */
  resolveEdgeKinds(types: readonly string[]): { kinds: string[]; unknown: string[] } {
    const kinds: string[] = [];
    const unknown: string[] = [];
    for (const t of types) {
      const spellings = this.edgeKinds.get(t.toUpperCase());
      if (spellings) kinds.push(...spellings);
      else unknown.push(t);
    }
    return { kinds, unknown };
  }

  /**
   * Edges leaving (out) or entering (in) a node, with the node at their other end, optionally only
   * of resolved edge kinds and/or towards one node kind. Filtered lists are cached per node, so
   * repeated expansions (the common case in a pattern) cost one lookup.
   */
  adjacent(node: GraphNode, direction: "out" | "in", kinds?: readonly string[], neighbourKind?: string): Adjacent {
    const adj = this.adjacency.get(node);
    if (!adj) return EMPTY_ADJACENT;
    const all = adj[direction];
    if (!kinds && neighbourKind === undefined) return all;
    const key = `${direction}\u0000${kinds ? kinds.join("|") : "*"}\u0000${neighbourKind ?? "*"}`;
    adj.filtered ??= new Map();
    let hit = adj.filtered.get(key);
    if (!hit) {
      hit = { edges: [], nodes: [] };
      for (let i = 0; i < all.edges.length; i++) {
        const e = all.edges[i]!;
        const n = all.nodes[i]!;
        if (kinds && !kinds.includes(e.kind)) continue;
        if (neighbourKind !== undefined && n.kind !== neighbourKind) continue;
        hit.edges.push(e);
        hit.nodes.push(n);
      }
      adj.filtered.set(key, hit);
    }
    return hit;
  }

  insights(id: string): readonly Insight[] {
    return this.insightsByNode.get(id) ?? EMPTY;
  }

  nodesWithInsights(): GraphNode[] {
    return [...this.insightsByNode.keys()].map((id) => this.byId.get(id)).filter((n): n is GraphNode => n !== undefined);
  }

  pathsCut(id: string): number | null {
    return this.chokePoints.get(id) ?? null;
  }

  chokePointNodes(): GraphNode[] {
    return [...this.chokePoints.keys()].map((id) => this.byId.get(id)).filter((n): n is GraphNode => n !== undefined);
  }

  isOnAttackPath(id: string): boolean {
    return this.onPath.has(id);
  }

  attackPathNodes(): GraphNode[] {
    return [...this.onPath].map((id) => this.byId.get(id)).filter((n): n is GraphNode => n !== undefined);
  }
}

/**
 * A node's property as queries see it: `id`, `kind`, `name`, `namespace` first, then its
 * `properties` flattened (so `n.privileged` reads `properties.privileged`). Missing → null.
 */
export function nodeProperty(node: GraphNode, key: string): unknown {
  switch (key) {
    case "id":
      return node.id;
    case "kind":
      return node.kind;
    case "name":
      return node.name;
    case "namespace":
      return node.namespace ?? node.properties.namespace ?? null;
    case "properties":
      return node.properties;
    default: {
      const v = node.properties[key];
      return v === undefined ? null : v;
    }
  }
}

export function edgeProperty(edge: GraphEdge, key: string): unknown {
  switch (key) {
    case "kind":
    case "type":
      return edge.kind;
    case "from":
      return edge.from;
    case "to":
      return edge.to;
    case "properties":
      return edge.properties ?? {};
    default: {
      const v = edge.properties?.[key];
      return v === undefined ? null : v;
    }
  }
}

function indexKey(v: unknown): string {
  return `${typeof v}:${String(v)}`;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
