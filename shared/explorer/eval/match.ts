// MATCH: each clause becomes a chain of operators (anchor a node, expand one relationship, filter,
// bind a path), each calling the next in continuation-passing style and undoing its writes on
// return, so partial matches are never copied. WHERE is split into AND-ed conjuncts, each run as
// soon as its variables are bound (predicate push-down); each pattern starts from its most
// selective node.
import type { GraphEdge, GraphNode } from "../../graph/model.js";
import { edgeProperty } from "../graph-view.js";
import { resolveLabel, type ResolvedLabel } from "../labels.js";
import type { Expression, MatchClause, NodePattern, RelationshipPattern } from "../model.js";
import { PathValue, truth } from "../values.js";
import { nodeProperty } from "../graph-view.js";
import type { Binding, Context, Fn, Next, Op, VarInfo } from "./context.js";
import { compileExpr } from "./expressions.js";
import { hasLabel, labelNodes } from "./labels.js";

/** Chains operators into one continuation ending in `tail`. */
export function compose(ops: Op[], tail: Next): Next {
  let k = tail;
  for (let i = ops.length - 1; i >= 0; i--) {
    const op = ops[i]!;
    const next = k;
    k = (b) => op(b, next);
  }
  return k;
}

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

export function compileClause(clause: MatchClause, ctx: Context): Op[] {
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

  /**
   * Every edge one hop from `node` that fits the relationship (direction, kinds, properties) and is
   * not used elsewhere in this MATCH: `visit` runs with the edge marked used. False stops the search.
   */
  const eachEdge = (node: GraphNode, b: Binding, visit: (edge: GraphEdge, other: GraphNode) => boolean): boolean => {
    for (const d of directions) {
      const { edges, nodes } = view.adjacent(node, d, kinds, targetKind);
      for (let i = 0; i < edges.length; i++) {
        const edge = edges[i]!;
        // An undirected self-loop would otherwise be seen from both ends.
        if (undirected && d === "in" && edge.from === edge.to) continue;
        if (used.has(edge)) continue;
        ctx.tick();
        if (props.length && !relOk(edge, b)) continue;
        used.add(edge);
        const cont = visit(edge, nodes[i]!);
        used.delete(edge);
        if (!cont) return false;
      }
    }
    return true;
  };

  if (!rel.varLength) {
    return (b, next) => {
      const start = b[from.slot] as GraphNode | null;
      if (!start || (kinds && kinds.length === 0)) return true;
      return eachEdge(start, b, (edge, other) => bindEnd(other, b, edge, next));
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
      return eachEdge(node, b, (edge, other) => {
        pathEdges.push(edge);
        pathNodes.push(other);
        const cont = walk(other, depth + 1);
        pathNodes.pop();
        pathEdges.pop();
        return cont;
      });
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

