// The one table of query functions. Validation (names, arity, aggregate placement), evaluation
// (each scalar function's implementation) and the documentation all read it, so a function is
// added in exactly one place.
import type { GraphNode } from "../graph/model.js";
import type { GraphView } from "./graph-view.js";
import type { Expression } from "./model.js";
import { EdgeList, PathValue, type ValueOps } from "./values.js";

type Fn = (b: unknown[]) => unknown;

/** What a scalar function's implementation may use. */
export interface FunctionEnv {
  ops: ValueOps;
  view: GraphView;
  /** Charges per-binding work (list scans and copies) to the query's budget. */
  work(units: number): void;
}

export interface QueryFunction {
  /** As documented (`hasInsight`); calls match it case-insensitively. */
  name: string;
  /** Argument count; max Infinity = variadic. */
  arity: [min: number, max: number];
  /** Computed over a group of rows (implicit grouping in RETURN). */
  aggregate?: boolean;
  /** Extra semantic rule on the call: a message (and hint) when it is broken. */
  check?: (call: Expression & { type: "call" }) => [message: string, hint: string] | undefined;
  /** Scalar functions: compiled arguments → value per binding. */
  compile?: (args: Fn[], env: FunctionEnv, name: string) => Fn;
}

const asNode = (ops: ValueOps, v: unknown): GraphNode | null => (ops.isNode(v) ? v : null);

const aggregate = (name: string): QueryFunction => ({ name, arity: [1, 1], aggregate: true });

export const QUERY_FUNCTIONS: readonly QueryFunction[] = [
  aggregate("count"),
  aggregate("collect"),
  aggregate("min"),
  aggregate("max"),
  aggregate("sum"),
  aggregate("avg"),
  {
    name: "exists",
    arity: [1, 1],
    check: (call) =>
      call.args.length !== 1 || call.args[0]!.type !== "property" ? ["exists() takes one property, e.g. exists(n.hostNetwork)", "or write n.prop IS NOT NULL"] : undefined,
    compile: ([a]) => (b) => {
      const v = a!(b);
      return v !== null && v !== undefined;
    },
  },
  {
    name: "hasInsight",
    arity: [1, 2],
    compile: ([a, kindFn], { ops, view }) => (b) => {
      const n = asNode(ops, a!(b));
      if (!n) return null;
      const list = view.insights(n.id);
      if (!kindFn) return list.length > 0;
      const wanted = kindFn(b);
      if (typeof wanted !== "string") return null;
      const w = wanted.toLowerCase();
      return list.some((i) => i.kind.toLowerCase() === w);
    },
  },
  {
    // Posture: the node fails the control — an id, a glob ("VANTAGE-K8S-HOST-*") or a list of them
    // (any); with one argument, any control at all.
    name: "hasControl",
    arity: [1, 2],
    compile: ([a, idFn], { ops }) => (b) => {
      const n = asNode(ops, a!(b));
      if (!n) return null;
      const list = Array.isArray(n.properties.failingControls) ? (n.properties.failingControls as string[]) : [];
      if (!idFn) return list.length > 0;
      const wanted = idFn(b);
      const patterns = typeof wanted === "string" ? [wanted] : Array.isArray(wanted) && wanted.every((w) => typeof w === "string") ? (wanted as string[]) : null;
      if (!patterns) return null;
      return patterns.some((p) => {
        const w = p.toUpperCase();
        if (!w.includes("*")) return list.includes(w);
        const re = new RegExp(`^${w.split("*").map((x) => x.replace(/[.+?^${}()|[\]\\]/g, "\\$&")).join(".*")}$`);
        return list.some((id) => re.test(id));
      });
    },
  },
  {
    name: "insights",
    arity: [1, 1],
    compile: ([a], { ops, view }) => (b) => {
      const n = asNode(ops, a!(b));
      return n ? view.insights(n.id).map((i) => i.kind) : null;
    },
  },
  {
    name: "pathsCut",
    arity: [1, 1],
    compile: ([a], { ops, view }) => (b) => {
      const n = asNode(ops, a!(b));
      return n ? view.pathsCut(n.id) : null;
    },
  },
  {
    name: "id",
    arity: [1, 1],
    compile: ([a], { ops }) => (b) => {
      const v = a!(b);
      return ops.isNode(v) ? v.id : null;
    },
  },
  {
    name: "kind",
    arity: [1, 1],
    compile: ([a], { ops }) => (b) => {
      const v = a!(b);
      return ops.isNode(v) || ops.isEdge(v) ? v.kind : null;
    },
  },
  {
    name: "labels",
    arity: [1, 1],
    compile: ([a], { ops }) => (b) => {
      const n = asNode(ops, a!(b));
      return n ? [n.kind] : null;
    },
  },
  {
    name: "type",
    arity: [1, 1],
    compile: ([a], { ops }) => (b) => {
      const v = a!(b);
      return ops.isEdge(v) ? v.kind : null;
    },
  },
  {
    name: "startNode",
    arity: [1, 1],
    compile: ([a], { ops, view }) => (b) => {
      const v = a!(b);
      return ops.isEdge(v) ? (view.node(v.from) ?? null) : null;
    },
  },
  {
    name: "endNode",
    arity: [1, 1],
    compile: ([a], { ops, view }) => (b) => {
      const v = a!(b);
      return ops.isEdge(v) ? (view.node(v.to) ?? null) : null;
    },
  },
  { name: "length", arity: [1, 1], compile: ([a]) => (b) => lengthOf(a!(b)) },
  { name: "size", arity: [1, 1], compile: ([a]) => (b) => lengthOf(a!(b)) },
  {
    name: "nodes",
    arity: [1, 1],
    compile: ([a]) => (b) => {
      const v = a!(b);
      return v instanceof PathValue ? v.nodes : null;
    },
  },
  {
    name: "relationships",
    arity: [1, 1],
    compile: ([a]) => (b) => {
      const v = a!(b);
      return v instanceof PathValue ? v.edges : v instanceof EdgeList ? v.edges : null;
    },
  },
  {
    name: "coalesce",
    arity: [0, Infinity],
    compile: (args) => (b) => {
      for (const f of args) {
        const v = f(b);
        if (v !== null && v !== undefined) return v;
      }
      return null;
    },
  },
  {
    name: "toLower",
    arity: [1, 1],
    compile: ([a], env) => (b) => {
      const v = a!(b);
      if (typeof v !== "string") return null;
      env.work(v.length);
      return v.toLowerCase();
    },
  },
  {
    name: "toUpper",
    arity: [1, 1],
    compile: ([a], env) => (b) => {
      const v = a!(b);
      if (typeof v !== "string") return null;
      env.work(v.length);
      return v.toUpperCase();
    },
  },
  {
    name: "toString",
    arity: [1, 1],
    compile: ([a], { ops, work }) => (b) => {
      const v = a!(b);
      if (v === null || v === undefined) return null;
      if (typeof v !== "object") return String(v);
      const s = JSON.stringify(ops.output(v));
      work(s.length);
      return s;
    },
  },
  {
    name: "toInteger",
    arity: [1, 1],
    compile: ([a]) => (b) => {
      const v = a!(b);
      const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
      return Number.isFinite(n) ? Math.trunc(n) : null;
    },
  },
];

function lengthOf(v: unknown): number | null {
  if (v instanceof PathValue) return v.edges.length;
  if (v instanceof EdgeList) return v.edges.length;
  if (Array.isArray(v) || typeof v === "string") return v.length;
  return null;
}

const BY_NAME = new Map(QUERY_FUNCTIONS.map((f) => [f.name.toLowerCase(), f]));

/** The function a call names (case-insensitive), or undefined. */
export function queryFunction(name: string): QueryFunction | undefined {
  return BY_NAME.get(name.toLowerCase());
}

/** Functions whose value is computed over a group of rows (lower-case names). */
export const AGGREGATE_FUNCTIONS: ReadonlySet<string> = new Set(QUERY_FUNCTIONS.filter((f) => f.aggregate).map((f) => f.name.toLowerCase()));

/** "takes 1 argument", "takes 1 to 2 arguments". */
export function arityText(f: QueryFunction): string {
  const [min, max] = f.arity;
  return `${f.name}() takes ${min === max ? min : max === Infinity ? `at least ${min}` : `${min} to ${max}`} argument${max === 1 ? "" : "s"}`;
}
