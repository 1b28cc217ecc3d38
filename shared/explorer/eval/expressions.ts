// Expressions: each compiles once into a closure over the binding array. Operators follow Cypher's
// null propagation (values.ts); functions come from the one table in functions.ts. Work done per
// binding (list scans, copies) is charged to the query's budget.
import { InputError } from "../../errors.js";
import { edgeProperty, nodeProperty } from "../graph-view.js";
import { arityText, queryFunction } from "../functions.js";
import { resolveLabel } from "../labels.js";
import type { Expression } from "../model.js";
import { and3, EdgeList, not3, or3, PathValue, truth, xor3, type ValueOps } from "../values.js";
import type { AggregateSpec, Context, Fn } from "./context.js";
import { hasLabel } from "./labels.js";

export function compileExpr(e: Expression, ctx: Context, aggregates?: AggregateSpec[]): Fn {
  const { ops, view } = ctx;
  const sub = (x: Expression) => compileExpr(x, ctx, aggregates);
  switch (e.type) {
    case "literal": {
      const v = e.value;
      return () => v;
    }
    case "param": {
      const v = ctx.param(e.name);
      return () => v;
    }
    case "variable": {
      const info = ctx.vars.get(e.name);
      if (!info) throw new InputError(`variable \`${e.name}\` is not defined`);
      const slot = info.slot;
      if (info.kind === "varlength") {
        return (b) => {
          const v = b[slot];
          return v instanceof PathValue ? new EdgeList(v.edges) : (v ?? null);
        };
      }
      return (b) => b[slot] ?? null;
    }
    case "property": {
      const obj = sub(e.object);
      const key = e.key;
      return (b) => propertyOf(obj(b), key, ops);
    }
    case "list": {
      ctx.listOf(e.items.length, "a list literal");
      const items = e.items.map(sub);
      // Lists of constants (`IN ["high", "critical"]`) are built once, not per binding.
      if (e.items.every((i) => i.type === "literal" || i.type === "param")) {
        const constant = items.map((f) => f([]));
        return () => constant;
      }
      return (b) => items.map((f) => f(b));
    }
    case "not": {
      const f = sub(e.operand);
      return (b) => not3(truth(f(b)));
    }
    case "negate": {
      const f = sub(e.operand);
      return (b) => {
        const v = f(b);
        return typeof v === "number" ? -v : null;
      };
    }
    case "isNull": {
      const f = sub(e.operand);
      const negated = e.negated;
      return (b) => {
        const v = f(b);
        return (v === null || v === undefined) !== negated;
      };
    }
    case "hasLabels": {
      const info = ctx.vars.get(e.variable);
      if (!info) throw new InputError(`variable \`${e.variable}\` is not defined`);
      const groups = e.labels.map((g) => g.map((l) => resolveLabel(l, e.pos)));
      const slot = info.slot;
      return (b) => {
        const n = b[slot];
        if (!ops.isNode(n)) return null;
        return groups.every((g) => g.some((l) => hasLabel(view, n, l)));
      };
    }
    case "binary":
      return compileBinary(e, sub(e.left), sub(e.right), ctx);
    case "call":
      return compileCall(e, ctx, aggregates);
  }
}

function propertyOf(obj: unknown, key: string, ops: ValueOps): unknown {
  if (obj === null || obj === undefined) return null;
  if (ops.isNode(obj)) return nodeProperty(obj, key);
  if (ops.isEdge(obj)) return edgeProperty(obj, key);
  if (typeof obj === "object" && !Array.isArray(obj) && !(obj instanceof PathValue) && !(obj instanceof EdgeList)) {
    const v = (obj as Record<string, unknown>)[key];
    return v === undefined ? null : v;
  }
  return null;
}

function compileBinary(e: Expression & { type: "binary" }, l: Fn, r: Fn, ctx: Context): Fn {
  const op = e.operator;
  const { ops } = ctx;
  switch (op) {
    case "and":
      return (b) => {
        const a = truth(l(b));
        return a === false ? false : and3(a, truth(r(b)));
      };
    case "or":
      return (b) => {
        const a = truth(l(b));
        return a === true ? true : or3(a, truth(r(b)));
      };
    case "xor":
      return (b) => xor3(truth(l(b)), truth(r(b)));
    case "=":
      return (b) => ops.equals(l(b), r(b));
    case "<>":
      return (b) => not3(ops.equals(l(b), r(b)));
    case "<":
    case "<=":
    case ">":
    case ">=":
      return (b) => {
        const c = ops.compare(l(b), r(b));
        if (c === null) return null;
        return op === "<" ? c < 0 : op === "<=" ? c <= 0 : op === ">" ? c > 0 : c >= 0;
      };
    case "in": {
      // A constant list of primitives (`IN $L`, `IN ["a", "b"]`) is looked up in a set built once:
      // scanning it per binding made `IN` with a long list cost bindings × items.
      const constant = e.right.type === "literal" || e.right.type === "param" ? r([]) : undefined;
      const lookup = Array.isArray(constant) ? primitiveSet(constant) : undefined;
      if (lookup) {
        return (b) => {
          const v = l(b);
          if (v === null || v === undefined) return null;
          if (typeof v !== "object") return lookup.values.has(v) ? true : lookup.hasNull ? null : false;
          return lookup.hasNull ? null : false;
        };
      }
      return (b) => {
        const v = l(b);
        const list = r(b);
        if (list === null || list === undefined) return null;
        if (!Array.isArray(list)) return null;
        ctx.work(list.length);
        let sawNull = v === null || v === undefined;
        for (const item of list) {
          const eq = ops.equals(v, item);
          if (eq === true) return true;
          if (eq === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
    }
    case "contains":
    case "starts with":
    case "ends with":
      return (b) => {
        const s = l(b);
        const t = r(b);
        if (typeof s !== "string" || typeof t !== "string") return null;
        return op === "contains" ? s.includes(t) : op === "starts with" ? s.startsWith(t) : s.endsWith(t);
      };
    case "+":
      return (b) => {
        const x = l(b);
        const y = r(b);
        if (x === null || y === null) return null;
        if (Array.isArray(x)) {
          const length = x.length + (Array.isArray(y) ? y.length : 1);
          ctx.listOf(length, "a list concatenation");
          return Array.isArray(y) ? [...x, ...y] : [...x, y];
        }
        if (typeof x === "number" && typeof y === "number") return x + y;
        if ((typeof x === "string" || typeof x === "number") && (typeof y === "string" || typeof y === "number")) {
          const s = `${x}${y}`;
          ctx.work(s.length >> 4);
          return s;
        }
        return null;
      };
    default:
      return (b) => {
        const x = l(b);
        const y = r(b);
        if (typeof x !== "number" || typeof y !== "number") return null;
        if (op === "-") return x - y;
        if (op === "*") return x * y;
        if (y === 0) return null;
        return op === "/" ? x / y : x % y;
      };
  }
}

/** Primitive members of a constant list as a set (and whether it holds null), or undefined if it holds other values. */
function primitiveSet(list: readonly unknown[]): { values: Set<unknown>; hasNull: boolean } | undefined {
  const values = new Set<unknown>();
  let hasNull = false;
  for (const item of list) {
    if (item === null || item === undefined) hasNull = true;
    else if (typeof item === "object") return undefined;
    else values.add(item);
  }
  return { values, hasNull };
}

function compileCall(e: Expression & { type: "call" }, ctx: Context, aggregates?: AggregateSpec[]): Fn {
  const fn = queryFunction(e.name);
  if (!fn) throw new InputError(`unknown function ${e.name}()`);
  const at = e.pos ? ` (line ${e.pos.line}, column ${e.pos.column})` : "";
  if (fn.aggregate) {
    if (!aggregates) throw new InputError(`${e.name}() is an aggregate and cannot be used here${at}`);
    const spec: AggregateSpec = { name: fn.name.toLowerCase(), distinct: Boolean(e.distinct), star: Boolean(e.star) };
    if (!e.star) {
      if (e.args.length !== 1) throw new InputError(`${arityText(fn)}${at}`);
      spec.arg = compileExpr(e.args[0]!, ctx);
    }
    const index = aggregates.length;
    aggregates.push(spec);
    return () => ctx.aggValues[index];
  }
  const [min, max] = fn.arity;
  if (e.args.length < min || e.args.length > max) throw new InputError(`${arityText(fn)}${at}`);
  const args = e.args.map((a) => compileExpr(a, ctx, aggregates));
  return fn.compile!(args, ctx.functionEnv, fn.name.toLowerCase());
}
