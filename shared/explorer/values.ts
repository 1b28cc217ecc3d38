// Runtime values and their Cypher semantics: equality and ordering with null propagation, grouping
// keys, and the JSON form a result row carries (a node is its id, a path its node-id sequence).
import type { GraphEdge, GraphNode } from "../graph/model.js";
import type { GraphView } from "./graph-view.js";

/** A matched path, or the hops of one variable-length relationship: nodes.length = edges.length + 1. */
export class PathValue {
  constructor(
    readonly nodes: GraphNode[],
    readonly edges: GraphEdge[],
  ) {}
}

/** The edges a variable-length relationship matched (a list of relationships in Cypher). */
export class EdgeList {
  constructor(readonly edges: GraphEdge[]) {}
}

export type Ternary = boolean | null;

export class ValueOps {
  constructor(private readonly view: GraphView) {}

  isNode(v: unknown): v is GraphNode {
    return this.view.isNode(v);
  }

  isEdge(v: unknown): v is GraphEdge {
    return this.view.isEdge(v);
  }

  /** A string that is equal for equal values: grouping, DISTINCT, IN. */
  key(v: unknown): string {
    if (v === null || v === undefined) return "null";
    switch (typeof v) {
      case "string":
        return `s${v}`;
      case "number":
        return `n${v}`;
      case "boolean":
        return `b${v}`;
    }
    if (this.isNode(v)) return `N${v.id}`;
    if (this.isEdge(v)) return `E${v.from}\u0000${v.kind}\u0000${v.to}`;
    if (v instanceof PathValue) return `P${v.edges.map((e) => this.key(e)).join("\u0001")}|${v.nodes[0]?.id ?? ""}`;
    if (v instanceof EdgeList) return `L${v.edges.map((e) => this.key(e)).join("\u0001")}`;
    if (Array.isArray(v)) return `[${v.map((x) => this.key(x)).join("\u0001")}]`;
    if (typeof v === "object") {
      const entries = Object.keys(v as object)
        .sort()
        .map((k) => `${k}\u0002${this.key((v as Record<string, unknown>)[k])}`);
      return `{${entries.join("\u0001")}}`;
    }
    return `?${String(v)}`;
  }

  /**
   * A Set/Map key equal for equal values, cheaper than key(): primitives and graph objects stand
   * for themselves (a node is identical to itself within one graph); other values go through key().
   */
  identity(v: unknown): unknown {
    if (v === undefined) return null;
    if (v === null || typeof v !== "object") return v;
    if (this.isNode(v) || this.isEdge(v)) return v;
    return `\u0000${this.key(v)}`;
  }

  /** Cypher `=`: null if either side is null, false across types. */
  equals(a: unknown, b: unknown): Ternary {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    if (typeof a !== "object" || typeof b !== "object") return a === b;
    if (Array.isArray(a) && Array.isArray(b)) {
      if (a.length !== b.length) return false;
      let sawNull = false;
      for (let i = 0; i < a.length; i++) {
        const eq = this.equals(a[i], b[i]);
        if (eq === false) return false;
        if (eq === null) sawNull = true;
      }
      return sawNull ? null : true;
    }
    return this.key(a) === this.key(b);
  }

  /** Cypher `<`-family: -1/0/1, or null when the values are not comparable. */
  compare(a: unknown, b: unknown): number | null {
    if (a === null || a === undefined || b === null || b === undefined) return null;
    if (typeof a === "number" && typeof b === "number") return a < b ? -1 : a > b ? 1 : 0;
    if (typeof a === "string" && typeof b === "string") return a < b ? -1 : a > b ? 1 : 0;
    if (typeof a === "boolean" && typeof b === "boolean") return a === b ? 0 : a ? 1 : -1;
    return null;
  }

  /**
   * Total order for ORDER BY, min() and max(): comparable values by value, then by type rank, null
   * last (ascending) — so mixed columns still sort deterministically.
   */
  orderCompare(a: unknown, b: unknown): number {
    const an = a === null || a === undefined;
    const bn = b === null || b === undefined;
    if (an || bn) return an && bn ? 0 : an ? 1 : -1;
    const c = this.compare(a, b);
    if (c !== null) return c;
    const ra = this.rank(a);
    const rb = this.rank(b);
    if (ra !== rb) return ra - rb;
    const ka = this.key(a);
    const kb = this.key(b);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  }

  private rank(v: unknown): number {
    if (this.isNode(v)) return 0;
    if (this.isEdge(v)) return 1;
    if (Array.isArray(v) || v instanceof EdgeList) return 3;
    if (v instanceof PathValue) return 4;
    if (typeof v === "object") return 2;
    if (typeof v === "string") return 5;
    if (typeof v === "boolean") return 6;
    return 7;
  }

  /** The JSON form a result row carries. */
  output(v: unknown): unknown {
    if (v === null || v === undefined) return null;
    if (typeof v !== "object") return v;
    if (this.isNode(v)) return v.id;
    if (this.isEdge(v)) return { kind: v.kind, from: v.from, to: v.to };
    if (v instanceof PathValue) return v.nodes.map((n) => n.id);
    if (v instanceof EdgeList) return v.edges.map((e) => this.output(e));
    if (Array.isArray(v)) return v.map((x) => this.output(x));
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = this.output(x);
    return out;
  }
}

export function and3(a: Ternary, b: Ternary): Ternary {
  if (a === false || b === false) return false;
  if (a === null || b === null) return null;
  return true;
}

export function or3(a: Ternary, b: Ternary): Ternary {
  if (a === true || b === true) return true;
  if (a === null || b === null) return null;
  return false;
}

export function xor3(a: Ternary, b: Ternary): Ternary {
  if (a === null || b === null) return null;
  return a !== b;
}

export function not3(a: Ternary): Ternary {
  return a === null ? null : !a;
}

/** Predicates accept booleans; anything else (including missing properties) is unknown (null). */
export function truth(v: unknown): Ternary {
  return typeof v === "boolean" ? v : null;
}
