// QueryModel × GraphView → QueryResult.
//
// Each variable (named or anonymous) gets a slot in one mutable binding array. A MATCH clause
// becomes a chain of operators (anchor a node, expand one relationship, filter, bind a path), each
// calling the next in continuation-passing style and undoing its writes on return, so partial
// matches are never copied. WHERE is split into AND-ed conjuncts and each runs as soon as its
// variables are bound (predicate push-down), and each pattern starts from its most selective node.
// The row sink can stop the whole chain early (no ORDER BY/aggregation: enough rows seen).
import { InputError, LimitExceededError } from "../errors.js";
import type { GraphEdge, GraphNode } from "../graph/model.js";
import { edgeProperty, nodeProperty, type GraphView } from "./graph-view.js";
import { resolveLabel, type ResolvedLabel } from "./labels.js";
import {
  AGGREGATE_FUNCTIONS,
  DEFAULT_LIMITS,
  type Expression,
  type IntOrParam,
  type MatchClause,
  type NodePattern,
  type QueryLimits,
  type QueryModel,
  type QueryResult,
  type RelationshipPattern,
} from "./model.js";
import { validateQuery } from "./parser.js";
import { printExpression } from "./print.js";
import { and3, EdgeList, not3, or3, PathValue, truth, ValueOps, xor3 } from "./values.js";

type Binding = unknown[];
type Fn = (b: Binding) => unknown;
type Next = (b: Binding) => boolean;
type Op = (b: Binding, next: Next) => boolean;

interface VarInfo {
  slot: number;
  kind: "node" | "relationship" | "varlength" | "path" | "value";
}

interface AggregateSpec {
  name: string;
  distinct: boolean;
  star: boolean;
  arg?: Fn;
}

class Context {
  readonly ops: ValueOps;
  readonly vars = new Map<string, VarInfo>();
  readonly notes = new Set<string>();
  slotCount = 0;
  aggValues: unknown[] = [];
  private ticks = 0;
  private readonly deadline: number;

  constructor(
    readonly view: GraphView,
    readonly limits: QueryLimits,
    readonly params: Record<string, unknown>,
  ) {
    this.ops = new ValueOps(view);
    this.deadline = Date.now() + limits.timeBudgetMs;
  }

  slot(name: string, kind: VarInfo["kind"]): VarInfo {
    let info = this.vars.get(name);
    if (!info) {
      info = { slot: this.slotCount++, kind };
      this.vars.set(name, info);
    }
    return info;
  }

  anonymous(): number {
    return this.slotCount++;
  }

  /** Counts explored partial matches; enforces the binding and time budgets. */
  tick(): void {
    this.ticks++;
    if (this.ticks > this.limits.maxBindings) {
      throw new LimitExceededError(
        `query explored more than ${this.limits.maxBindings} partial matches (hint: add labels, property filters or a shorter hop range)`,
      );
    }
    if ((this.ticks & 1023) === 0) this.checkTime();
  }

  checkTime(): void {
    if (Date.now() > this.deadline) {
      throw new LimitExceededError(`query exceeded its time budget of ${this.limits.timeBudgetMs} ms (hint: narrow the MATCH with labels or WHERE filters)`);
    }
  }

  param(name: string): unknown {
    if (!Object.prototype.hasOwnProperty.call(this.params, name)) {
      throw new InputError(`missing parameter $${name} (hint: supply it, e.g. --param ${name}=VALUE)`);
    }
    const v = this.params[name];
    return v === undefined ? null : v;
  }

  int(v: IntOrParam, what: string): number {
    const n = typeof v === "number" ? v : this.param(v.param);
    const num = typeof n === "string" && /^\d+$/.test(n) ? Number(n) : n;
    if (typeof num !== "number" || !Number.isInteger(num) || num < 0) {
      throw new InputError(`${what} must be a non-negative integer (got ${JSON.stringify(n)})`);
    }
    return num;
  }
}

/** Evaluates a query model on an indexed graph. Bad models and exceeded limits throw InputErrors. */
export function evaluate(
  model: QueryModel,
  view: GraphView,
  limits: Partial<QueryLimits> = {},
  params: Record<string, unknown> = {},
): QueryResult {
  validateQuery(model);
  const ctx = new Context(view, { ...DEFAULT_LIMITS, ...limits }, params);
  const clauseOps: Op[] = [];
  for (const clause of model.matches) clauseOps.push(...compileClause(clause, ctx));
  const projection = compileReturn(model, ctx);
  const chain = compose(clauseOps, projection.sink);
  chain(new Array<unknown>(ctx.slotCount).fill(undefined));
  ctx.checkTime();
  const result = projection.finish();
  if (ctx.notes.size) result.notes = [...ctx.notes];
  return result;
}

function compose(ops: Op[], tail: Next): Next {
  let k = tail;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    const next = k;
    k = (b) => op(b, next);
  }
  return k;
}

// ---------------------------------------------------------------------------------------------------
// MATCH

interface NodeStep {
  slot: number;
  pattern: NodePattern;
  check: (node: GraphNode, b: Binding) => boolean;
  labels: ResolvedLabel[][];
}

interface RelStep {
  slot: number;
  pattern: RelationshipPattern;
  /** undefined = any kind; [] = none of the named kinds occur in this graph. */
  kinds?: string[];
  min: number;
  max: number;
  varLength: boolean;
  props: [string, Fn][];
}

function compileClause(clause: MatchClause, ctx: Context): Op[] {
  const ops: Op[] = [];
  const used = new Set<GraphEdge>();
  const bound = new Set<string>(ctx.vars.keys());
  const newSlots: number[] = [];

  // Register every variable first, so WHERE conjuncts compile against known slots.
  const patterns = clause.patterns.map((pattern) => {
    const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)].map((n) => nodeStep(n, ctx, newSlots));
    const rels = pattern.steps.map((s) => relStep(s.relationship, ctx, newSlots));
    const pathSlot = pattern.variable !== undefined ? register(ctx, pattern.variable, "path", newSlots) : undefined;
    return { pattern, nodes, rels, pathSlot };
  });
  const conjuncts = clause.where ? splitAnd(clause.where).map((e) => ({ fn: compileExpr(e, ctx), vars: variablesOf(e), done: false })) : [];

  const flush = () => {
    const ready = conjuncts.filter((c) => !c.done && [...c.vars].every((v) => bound.has(v)));
    if (ready.length === 0) return;
    for (const c of ready) c.done = true;
    const fns = ready.map((c) => c.fn);
    ops.push((b, next) => {
      for (const f of fns) if (truth(f(b)) !== true) return true;
      return next(b);
    });
  };
  flush();

  for (const { pattern, nodes, rels, pathSlot } of patterns) {
    const anchor = chooseAnchor(nodes, bound, ctx);
    ops.push(anchorOp(nodes[anchor]!, ctx));
    const anchorVar = nodes[anchor]!.pattern.variable;
    if (anchorVar !== undefined) bound.add(anchorVar);
    flush();
    for (let i = anchor; i < rels.length; i++) {
      ops.push(expandOp(nodes[i]!, rels[i]!, nodes[i + 1]!, false, used, ctx));
      markStep(pattern, i, bound);
      flush();
    }
    for (let i = anchor; i > 0; i--) {
      ops.push(expandOp(nodes[i]!, rels[i - 1]!, nodes[i - 1]!, true, used, ctx));
      markStep(pattern, i - 1, bound);
      flush();
    }
    if (pathSlot !== undefined) {
      ops.push(pathOp(pathSlot, nodes, rels));
      bound.add(pattern.variable!);
      flush();
    }
  }
  for (const c of conjuncts) if (!c.done) throw new Error(`internal: WHERE conjunct never scheduled`);

  if (!clause.optional) return ops;
  // OPTIONAL MATCH: run the clause; if nothing survives, continue once with its new variables null.
  const slots = newSlots.filter((s) => s !== undefined);
  let tail: Next = () => true;
  let matched = false;
  const inner = compose(ops, (b) => {
    matched = true;
    return tail(b);
  });
  return [
    (b, next) => {
      const savedTail = tail;
      const savedMatched = matched;
      tail = next;
      matched = false;
      try {
        if (!inner(b)) return false;
        if (matched) return true;
        const fresh = slots.filter((s) => b[s] === undefined);
        for (const s of fresh) b[s] = null;
        const cont = next(b);
        for (const s of fresh) b[s] = undefined;
        return cont;
      } finally {
        tail = savedTail;
        matched = savedMatched;
      }
    },
  ];
}

function register(ctx: Context, name: string, kind: VarInfo["kind"], newSlots: number[]): number {
  const existed = ctx.vars.has(name);
  const info = ctx.slot(name, kind);
  if (!existed) newSlots.push(info.slot);
  return info.slot;
}

function markStep(pattern: MatchClause["patterns"][number], relIndex: number, bound: Set<string>): void {
  const step = pattern.steps[relIndex]!;
  if (step.relationship.variable !== undefined) bound.add(step.relationship.variable);
  const nodes = [pattern.start, ...pattern.steps.map((s) => s.node)];
  for (const n of [nodes[relIndex]!, nodes[relIndex + 1]!]) if (n.variable !== undefined) bound.add(n.variable);
}

function nodeStep(pattern: NodePattern, ctx: Context, newSlots: number[]): NodeStep {
  const slot = pattern.variable !== undefined ? register(ctx, pattern.variable, "node", newSlots) : ctx.anonymous();
  if (pattern.variable === undefined) newSlots.push(slot);
  const labels = pattern.labels.map((g) => g.map((l) => resolveLabel(l, pattern.pos)));
  const props = Object.entries(pattern.properties).map(([k, e]) => [k, compileExpr(e, ctx)] as [string, Fn]);
  const { view, ops } = ctx;
  const check = (node: GraphNode, b: Binding): boolean => {
    for (const group of labels) if (!group.some((l) => hasLabel(view, node, l))) return false;
    for (const [k, f] of props) if (ops.equals(nodeProperty(node, k), f(b)) !== true) return false;
    return true;
  };
  return { slot, pattern, check, labels };
}

function hasLabel(view: GraphView, node: GraphNode, label: ResolvedLabel): boolean {
  if ("kind" in label) return node.kind === label.kind;
  switch (label.pseudo) {
    case "hasinsight":
      return view.insights(node.id).length > 0;
    case "chokepoint":
      return view.pathsCut(node.id) !== null;
    case "onattackpath":
      return view.isOnAttackPath(node.id);
  }
}

function relStep(pattern: RelationshipPattern, ctx: Context, newSlots: number[]): RelStep {
  let slot: number;
  const varLength = pattern.length !== undefined;
  if (pattern.variable !== undefined) slot = register(ctx, pattern.variable, varLength ? "varlength" : "relationship", newSlots);
  else {
    slot = ctx.anonymous();
    newSlots.push(slot);
  }
  let kinds: string[] | undefined;
  if (pattern.types.length) {
    const resolved = ctx.view.resolveEdgeKinds(pattern.types);
    for (const u of resolved.unknown) ctx.notes.add(`relationship type ${u} does not occur in this graph`);
    kinds = resolved.kinds;
  }
  let min = 1;
  let max = 1;
  if (pattern.length) {
    min = ctx.int(pattern.length.min, "the minimum hop count");
    const cap = ctx.limits.maxHops;
    if (pattern.length.max === undefined) {
      max = cap;
      ctx.notes.add(`variable-length relationship without an upper bound capped at ${cap} hops`);
    } else {
      max = ctx.int(pattern.length.max, "the maximum hop count");
      if (max > cap) {
        ctx.notes.add(`variable-length relationship capped at ${cap} hops (asked for ${max})`);
        max = cap;
      }
    }
  }
  const props = Object.entries(pattern.properties).map(([k, e]) => [k, compileExpr(e, ctx)] as [string, Fn]);
  return { slot, pattern, kinds, min, max, varLength, props };
}

/** Index of the pattern node with the fewest candidates (bound variables and ids first). */
function chooseAnchor(nodes: NodeStep[], bound: Set<string>, ctx: Context): number {
  let best = 0;
  let bestCost = Infinity;
  nodes.forEach((n, i) => {
    const cost = candidateSource(n, bound, ctx).cost;
    if (cost < bestCost) {
      best = i;
      bestCost = cost;
    }
  });
  return best;
}

interface CandidateSource {
  cost: number;
  list: () => readonly GraphNode[];
}

function constantValue(e: Expression, ctx: Context): { value: unknown } | undefined {
  if (e.type === "literal") return { value: e.value };
  if (e.type === "param") return { value: ctx.param(e.name) };
  return undefined;
}

function candidateSource(n: NodeStep, bound: Set<string>, ctx: Context): CandidateSource {
  const { view } = ctx;
  if (n.pattern.variable !== undefined && bound.has(n.pattern.variable)) return { cost: 0, list: () => [] };
  const idExpr = n.pattern.properties.id;
  const idValue = idExpr ? constantValue(idExpr, ctx) : undefined;
  if (idValue) {
    const node = typeof idValue.value === "string" ? view.node(idValue.value) : undefined;
    return { cost: 1, list: () => (node ? [node] : []) };
  }
  let best: CandidateSource = { cost: view.nodes.length, list: () => view.nodes };
  for (const group of n.labels) {
    // One label group bounds the candidates: the union of its alternatives.
    const lists = group.map((l) => labelNodes(view, l));
    const cost = lists.reduce((s, l) => s + l.length, 0);
    if (cost < best.cost) best = { cost, list: () => (lists.length === 1 ? lists[0]! : lists.flat()) };
    // With a single kind, an equality on a constant property narrows it further via an index.
    if (group.length === 1 && "kind" in group[0]!) {
      const kind = group[0].kind;
      for (const [key, e] of Object.entries(n.pattern.properties)) {
        const c = constantValue(e, ctx);
        if (!c) continue;
        const hits = view.nodesByProperty(kind, key, c.value);
        if (hits.length < best.cost) best = { cost: hits.length, list: () => hits };
      }
    }
  }
  return best;
}

function labelNodes(view: GraphView, label: ResolvedLabel): readonly GraphNode[] {
  if ("kind" in label) return view.nodesOfKind(label.kind);
  if (label.pseudo === "hasinsight") return view.nodesWithInsights();
  if (label.pseudo === "chokepoint") return view.chokePointNodes();
  return view.attackPathNodes();
}

function anchorOp(n: NodeStep, ctx: Context): Op {
  const slot = n.slot;
  // Computed once per evaluation (params are fixed); a bound variable is handled at run time.
  let source: CandidateSource | undefined;
  return (b, next) => {
    const current = b[slot];
    if (current !== undefined) {
      if (current === null || !n.check(current as GraphNode, b)) return true;
      return next(b);
    }
    source ??= candidateSource(n, new Set(), ctx);
    for (const node of source.list()) {
      ctx.tick();
      if (!n.check(node, b)) continue;
      b[slot] = node;
      const cont = next(b);
      b[slot] = undefined;
      if (!cont) return false;
    }
    return true;
  };
}

function flip(d: "out" | "in" | "both"): "out" | "in" | "both" {
  return d === "out" ? "in" : d === "in" ? "out" : "both";
}

function expandOp(from: NodeStep, rel: RelStep, to: NodeStep, reversed: boolean, used: Set<GraphEdge>, ctx: Context): Op {
  const { view, ops } = ctx;
  const dir = reversed ? flip(rel.pattern.direction) : rel.pattern.direction;
  const kinds = rel.kinds;
  const directions: ("out" | "in")[] = dir === "both" ? ["out", "in"] : [dir];
  const undirected = directions.length === 2;
  const props = rel.props;
  // A single-kind target (`(:Container)`) lets a one-hop expansion skip other neighbours up front.
  const single = to.labels.find((g) => g.length === 1 && "kind" in g[0]!)?.[0] as { kind: string } | undefined;
  const targetKind = rel.varLength ? undefined : single?.kind;

  const relOk = (edge: GraphEdge, b: Binding): boolean => {
    for (const [k, f] of props) if (ops.equals(edgeProperty(edge, k), f(b)) !== true) return false;
    return true;
  };
  const bindEnd = (other: GraphNode, b: Binding, relValue: unknown, next: Next): boolean => {
    const current = b[to.slot];
    if (current !== undefined && current !== other) return true;
    if (!to.check(other, b)) return true;
    const wasUnbound = current === undefined;
    if (wasUnbound) b[to.slot] = other;
    b[rel.slot] = relValue;
    const cont = next(b);
    b[rel.slot] = undefined;
    if (wasUnbound) b[to.slot] = undefined;
    return cont;
  };

  if (!rel.varLength) {
    return (b, next) => {
      const start = b[from.slot] as GraphNode | null;
      if (!start || (kinds && kinds.length === 0)) return true;
      for (const d of directions) {
        const { edges, nodes } = view.adjacent(start, d, kinds, targetKind);
        for (let i = 0; i < edges.length; i++) {
          const edge = edges[i]!;
          // An undirected self-loop would otherwise be seen from both ends.
          if (undirected && d === "in" && edge.from === edge.to) continue;
          if (used.has(edge)) continue;
          ctx.tick();
          if (props.length && !relOk(edge, b)) continue;
          used.add(edge);
          const cont = bindEnd(nodes[i]!, b, edge, next);
          used.delete(edge);
          if (!cont) return false;
        }
      }
      return true;
    };
  }

  const { min, max } = rel;
  return (b, next) => {
    const start = b[from.slot] as GraphNode | null;
    if (!start || (kinds && kinds.length === 0)) return true;
    const pathNodes: GraphNode[] = [start];
    const pathEdges: GraphEdge[] = [];
    const walk = (node: GraphNode, depth: number): boolean => {
      if (depth >= min) {
        // Segments are stored left-to-right as written, whichever way the walk went.
        const seg = reversed ? new PathValue([...pathNodes].reverse(), [...pathEdges].reverse()) : new PathValue([...pathNodes], [...pathEdges]);
        if (!bindEnd(node, b, seg, next)) return false;
      }
      if (depth >= max) return true;
      for (const d of directions) {
        const { edges, nodes } = view.adjacent(node, d, kinds);
        for (let i = 0; i < edges.length; i++) {
          const edge = edges[i]!;
          if (undirected && d === "in" && edge.from === edge.to) continue;
          if (used.has(edge)) continue;
          ctx.tick();
          if (props.length && !relOk(edge, b)) continue;
          used.add(edge);
          pathEdges.push(edge);
          pathNodes.push(nodes[i]!);
          const cont = walk(nodes[i]!, depth + 1);
          pathNodes.pop();
          pathEdges.pop();
          used.delete(edge);
          if (!cont) return false;
        }
      }
      return true;
    };
    return walk(start, 0);
  };
}

function pathOp(pathSlot: number, nodes: NodeStep[], rels: RelStep[]): Op {
  return (b, next) => {
    const pathNodes: GraphNode[] = [b[nodes[0]!.slot] as GraphNode];
    const pathEdges: GraphEdge[] = [];
    rels.forEach((rel, i) => {
      const v = b[rel.slot];
      if (v instanceof PathValue) {
        pathNodes.push(...v.nodes.slice(1));
        pathEdges.push(...v.edges);
      } else {
        pathEdges.push(v as GraphEdge);
        pathNodes.push(b[nodes[i + 1]!.slot] as GraphNode);
      }
    });
    b[pathSlot] = new PathValue(pathNodes, pathEdges);
    const cont = next(b);
    b[pathSlot] = undefined;
    return cont;
  };
}

function splitAnd(e: Expression): Expression[] {
  if (e.type === "binary" && e.operator === "and") return [...splitAnd(e.left), ...splitAnd(e.right)];
  return [e];
}

function variablesOf(e: Expression, out = new Set<string>()): Set<string> {
  switch (e.type) {
    case "variable":
      out.add(e.name);
      break;
    case "hasLabels":
      out.add(e.variable);
      break;
    case "property":
      variablesOf(e.object, out);
      break;
    case "list":
      e.items.forEach((i) => variablesOf(i, out));
      break;
    case "not":
    case "negate":
    case "isNull":
      variablesOf(e.operand, out);
      break;
    case "binary":
      variablesOf(e.left, out);
      variablesOf(e.right, out);
      break;
    case "call":
      e.args.forEach((a) => variablesOf(a, out));
      break;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Expressions

function compileExpr(e: Expression, ctx: Context, aggregates?: AggregateSpec[]): Fn {
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
      return compileBinary(e.operator, sub(e.left), sub(e.right), ops);
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

function compileBinary(op: string, l: Fn, r: Fn, ops: ValueOps): Fn {
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
    case "in":
      return (b) => {
        const v = l(b);
        const list = r(b);
        if (list === null || list === undefined) return null;
        if (!Array.isArray(list)) return null;
        let sawNull = v === null || v === undefined;
        for (const item of list) {
          const eq = ops.equals(v, item);
          if (eq === true) return true;
          if (eq === null) sawNull = true;
        }
        return sawNull ? null : false;
      };
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
        if (Array.isArray(x)) return Array.isArray(y) ? [...x, ...y] : [...x, y];
        if (typeof x === "number" && typeof y === "number") return x + y;
        if ((typeof x === "string" || typeof x === "number") && (typeof y === "string" || typeof y === "number")) return `${x}${y}`;
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

function compileCall(e: Expression & { type: "call" }, ctx: Context, aggregates?: AggregateSpec[]): Fn {
  const name = e.name.toLowerCase();
  const { ops, view } = ctx;
  if (AGGREGATE_FUNCTIONS.has(name)) {
    if (!aggregates) throw new InputError(`${e.name}() is an aggregate and cannot be used here`);
    const spec: AggregateSpec = { name, distinct: Boolean(e.distinct), star: Boolean(e.star) };
    if (!e.star) {
      if (e.args.length !== 1) throw new InputError(`${e.name}() takes one argument`);
      spec.arg = compileExpr(e.args[0]!, ctx);
    }
    const index = aggregates.length;
    aggregates.push(spec);
    return () => ctx.aggValues[index];
  }
  const args = e.args.map((a) => compileExpr(a, ctx, aggregates));
  const arity = (n: number, m = n) => {
    if (args.length < n || args.length > m) {
      throw new InputError(`${e.name}() takes ${n === m ? n : `${n} to ${m}`} argument${m === 1 ? "" : "s"}${e.pos ? ` (line ${e.pos.line}, column ${e.pos.column})` : ""}`);
    }
  };
  const a0 = args[0]!;
  const asNode = (v: unknown): GraphNode | null => (ops.isNode(v) ? v : null);
  switch (name) {
    case "exists":
      arity(1);
      return (b) => {
        const v = a0(b);
        return v !== null && v !== undefined;
      };
    case "hasinsight": {
      arity(1, 2);
      const kindFn = args[1];
      return (b) => {
        const n = asNode(a0(b));
        if (!n) return null;
        const list = view.insights(n.id);
        if (!kindFn) return list.length > 0;
        const wanted = kindFn(b);
        if (typeof wanted !== "string") return null;
        const w = wanted.toLowerCase();
        return list.some((i) => i.kind.toLowerCase() === w);
      };
    }
    case "insights":
      arity(1);
      return (b) => {
        const n = asNode(a0(b));
        return n ? view.insights(n.id).map((i) => i.kind) : null;
      };
    case "pathscut":
      arity(1);
      return (b) => {
        const n = asNode(a0(b));
        return n ? view.pathsCut(n.id) : null;
      };
    case "id":
      arity(1);
      return (b) => {
        const v = a0(b);
        return ops.isNode(v) ? v.id : null;
      };
    case "kind":
      arity(1);
      return (b) => {
        const v = a0(b);
        return ops.isNode(v) || ops.isEdge(v) ? v.kind : null;
      };
    case "labels":
      arity(1);
      return (b) => {
        const n = asNode(a0(b));
        return n ? [n.kind] : null;
      };
    case "type":
      arity(1);
      return (b) => {
        const v = a0(b);
        return ops.isEdge(v) ? v.kind : null;
      };
    case "startnode":
    case "endnode":
      arity(1);
      return (b) => {
        const v = a0(b);
        return ops.isEdge(v) ? (view.node(name === "startnode" ? v.from : v.to) ?? null) : null;
      };
    case "length":
    case "size":
      arity(1);
      return (b) => {
        const v = a0(b);
        if (v instanceof PathValue) return v.edges.length;
        if (v instanceof EdgeList) return v.edges.length;
        if (Array.isArray(v) || typeof v === "string") return v.length;
        return null;
      };
    case "nodes":
      arity(1);
      return (b) => {
        const v = a0(b);
        return v instanceof PathValue ? v.nodes : null;
      };
    case "relationships":
      arity(1);
      return (b) => {
        const v = a0(b);
        return v instanceof PathValue ? v.edges : v instanceof EdgeList ? v.edges : null;
      };
    case "coalesce":
      return (b) => {
        for (const f of args) {
          const v = f(b);
          if (v !== null && v !== undefined) return v;
        }
        return null;
      };
    case "tolower":
    case "toupper":
      arity(1);
      return (b) => {
        const v = a0(b);
        if (typeof v !== "string") return null;
        return name === "tolower" ? v.toLowerCase() : v.toUpperCase();
      };
    case "tostring":
      arity(1);
      return (b) => {
        const v = a0(b);
        if (v === null || v === undefined) return null;
        return typeof v === "object" ? JSON.stringify(ops.output(v)) : String(v);
      };
    case "tointeger":
      arity(1);
      return (b) => {
        const v = a0(b);
        const n = typeof v === "number" ? v : typeof v === "string" && v.trim() !== "" ? Number(v) : NaN;
        return Number.isFinite(n) ? Math.trunc(n) : null;
      };
    default:
      throw new InputError(`unknown function ${e.name}()`);
  }
}

// ---------------------------------------------------------------------------------------------------
// RETURN: projection, grouping, DISTINCT, ORDER BY, SKIP/LIMIT, row cap

interface Candidate {
  row: unknown[];
  keys: unknown[];
}

class Accumulator {
  private count = 0;
  private readonly values: unknown[] = [];
  private readonly seen: Set<unknown> | undefined;
  private best: unknown = null;
  private sum = 0;
  private numeric = 0;

  constructor(
    private readonly spec: AggregateSpec,
    private readonly ops: ValueOps,
  ) {
    this.seen = spec.distinct ? new Set() : undefined;
  }

  add(b: Binding): void {
    if (this.spec.star) {
      this.count++;
      return;
    }
    const v = this.spec.arg!(b);
    if (v === null || v === undefined) return;
    if (this.seen) {
      const k = this.ops.identity(v);
      if (this.seen.has(k)) return;
      this.seen.add(k);
    }
    this.count++;
    switch (this.spec.name) {
      case "collect":
        this.values.push(v);
        break;
      case "min":
        if (this.count === 1 || this.ops.orderCompare(v, this.best) < 0) this.best = v;
        break;
      case "max":
        if (this.count === 1 || this.ops.orderCompare(v, this.best) > 0) this.best = v;
        break;
      case "sum":
      case "avg":
        if (typeof v === "number") {
          this.sum += v;
          this.numeric++;
        }
        break;
    }
  }

  result(): unknown {
    switch (this.spec.name) {
      case "count":
        return this.count;
      case "collect":
        return this.values;
      case "min":
      case "max":
        return this.best;
      case "sum":
        return this.sum;
      default:
        return this.numeric ? this.sum / this.numeric : null;
    }
  }
}

function compileReturn(model: QueryModel, ctx: Context): { sink: Next; finish: () => QueryResult } {
  const ret = model.return;
  const { ops } = ctx;
  const items = ret.star
    ? [...ctx.vars.keys()].filter((n) => !n.startsWith(" ")).map((name) => ({ expression: { type: "variable", name } as Expression, alias: name }))
    : ret.items;
  const columns = items.map((i) => i.alias ?? printExpression(i.expression));
  const specs: AggregateSpec[] = [];
  const compiled = items.map((item) => {
    const before = specs.length;
    const fn = compileExpr(item.expression, ctx, specs);
    return { fn, aggregate: specs.length > before };
  });
  const aggregating = compiled.some((c) => c.aggregate);
  // Each column gets a slot so ORDER BY can name it by alias or by its text.
  const itemSlots = items.map(() => ctx.anonymous());
  const aliasScope = new Map<string, number>();
  items.forEach((item, i) => {
    if (item.alias !== undefined) aliasScope.set(item.alias, i);
  });
  const orderFns = ret.orderBy.map((o) => {
    const text = printExpression(o.expression);
    const byText = columns.findIndex((c, i) => c === text || printExpression(items[i]!.expression) === text);
    if (byText >= 0) {
      const slot = itemSlots[byText]!;
      return (b: Binding) => b[slot];
    }
    return withAliases(ctx, aliasScope, itemSlots, () => compileExpr(o.expression, ctx, specs));
  });
  const descending = ret.orderBy.map((o) => o.descending);
  const skip = ret.skip !== undefined ? ctx.int(ret.skip, "SKIP") : 0;
  const limit = ret.limit !== undefined ? ctx.int(ret.limit, "LIMIT") : Infinity;
  const maxRows = ctx.limits.maxRows;
  const candidates: Candidate[] = [];
  const distinctSeen = new Set<string>();
  const rowKey = (row: unknown[]) => row.map((v) => ops.key(v)).join("\u0003");

  const accept = (row: unknown[], b: Binding): boolean => {
    if (ret.distinct) {
      const k = rowKey(row);
      if (distinctSeen.has(k)) return false;
      distinctSeen.add(k);
    }
    itemSlots.forEach((s, i) => (b[s] = row[i]));
    candidates.push({ row, keys: orderFns.map((f) => f(b)) });
    for (const s of itemSlots) b[s] = undefined;
    return true;
  };

  let sink: Next;
  const groups = new Map<unknown, { binding: Binding; accs: Accumulator[] }>();
  if (!aggregating) {
    const needed = ret.orderBy.length === 0 ? skip + Math.min(limit, maxRows + 1) : Infinity;
    sink = (b) => {
      accept(
        compiled.map((c) => c.fn(b)),
        b,
      );
      return candidates.length < needed;
    };
  } else {
    const keyItems = compiled.map((c, i) => (c.aggregate ? -1 : i)).filter((i) => i >= 0);
    const keyFns = keyItems.map((i) => compiled[i]!.fn);
    // Groups are found through one Map level per grouping key (identities, not built strings): a
    // template over a large cluster feeds hundreds of thousands of bindings through here.
    type Tree = Map<unknown, Tree | { binding: Binding; accs: Accumulator[] }>;
    const tree: Tree = new Map();
    const last = keyFns.length - 1;
    sink = (b) => {
      let level = tree;
      let g: { binding: Binding; accs: Accumulator[] } | undefined;
      if (keyFns.length === 0) g = groups.get("");
      for (let i = 0; i <= last; i++) {
        const k = ops.identity(keyFns[i]!(b));
        const hit = level.get(k);
        if (i < last) {
          let next = hit as Tree | undefined;
          if (!next) level.set(k, (next = new Map()));
          level = next;
        } else g = hit as typeof g;
      }
      if (!g) {
        g = { binding: b.slice(), accs: specs.map((s) => new Accumulator(s, ops)) };
        if (keyFns.length === 0) groups.set("", g);
        else {
          groups.set(groups.size, g);
          level.set(ops.identity(keyFns[last]!(b)), g);
        }
      }
      for (const acc of g.accs) acc.add(b);
      return true;
    };
  }

  const finish = (): QueryResult => {
    if (aggregating) {
      // Aggregating everything over no rows still answers one row (count(*) = 0).
      if (groups.size === 0 && compiled.every((c) => c.aggregate)) {
        groups.set("", { binding: new Array<unknown>(ctx.slotCount).fill(null), accs: specs.map((s) => new Accumulator(s, ops)) });
      }
      for (const g of groups.values()) {
        ctx.aggValues = g.accs.map((a) => a.result());
        accept(
          compiled.map((c) => c.fn(g.binding)),
          g.binding,
        );
      }
    }
    if (orderFns.length) {
      candidates.sort((x, y) => {
        for (let i = 0; i < orderFns.length; i++) {
          const c = ops.orderCompare(x.keys[i], y.keys[i]);
          if (c !== 0) return descending[i] ? -c : c;
        }
        return 0;
      });
    }
    let rows = candidates.slice(skip, limit === Infinity ? undefined : skip + limit).map((c) => c.row);
    const truncated = rows.length > maxRows;
    if (truncated) rows = rows.slice(0, maxRows);
    return { columns, rows: rows.map((r) => r.map((v) => ops.output(v))), truncated };
  };
  return { sink, finish };
}

/** Compiles with RETURN aliases in scope (they shadow variables of the same name). */
function withAliases(ctx: Context, aliases: Map<string, number>, itemSlots: number[], compile: () => Fn): Fn {
  const saved = new Map<string, VarInfo | undefined>();
  for (const [alias, i] of aliases) {
    saved.set(alias, ctx.vars.get(alias));
    ctx.vars.set(alias, { slot: itemSlots[i]!, kind: "value" });
  }
  try {
    return compile();
  } finally {
    for (const [alias, info] of saved) {
      if (info) ctx.vars.set(alias, info);
      else ctx.vars.delete(alias);
    }
  }
}
