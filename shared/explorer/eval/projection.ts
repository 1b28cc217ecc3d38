// RETURN: projection, grouping with aggregates, DISTINCT, ORDER BY, SKIP/LIMIT and the row cap.
// Everything kept until the end (groups, collected values, DISTINCT keys, rows awaiting ORDER BY)
// is charged to the query's memory budget, and every row to its width limit.
import type { Expression, QueryModel, QueryResult } from "../model.js";
import { printExpression } from "../print.js";
import { estimateSize, type AggregateSpec, type Binding, type Context, type Fn, type Next, type VarInfo } from "./context.js";
import { compileExpr } from "./expressions.js";


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
    private readonly ctx: Context,
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
    const { ops } = this.ctx;
    if (this.seen) {
      const k = ops.identity(v);
      if (this.seen.has(k)) return;
      this.ctx.charge(typeof k === "string" ? 16 + 2 * k.length : 16, `keeping DISTINCT values for ${this.spec.name}()`);
      this.seen.add(k);
    }
    this.count++;
    switch (this.spec.name) {
      case "collect":
        this.ctx.listOf(this.values.length + 1, "collect()");
        this.ctx.charge(8 + estimateSize(v, ops), "collecting values");
        this.values.push(v);
        break;
      case "min":
        if (this.count === 1 || ops.orderCompare(v, this.best) < 0) this.best = v;
        break;
      case "max":
        if (this.count === 1 || ops.orderCompare(v, this.best) > 0) this.best = v;
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

export function compileReturn(model: QueryModel, ctx: Context): { sink: Next; finish: () => QueryResult } {
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
    const width = ctx.checkRow(row);
    if (ret.distinct) {
      const k = rowKey(row);
      if (distinctSeen.has(k)) return false;
      ctx.charge(16 + 2 * k.length, "keeping DISTINCT rows");
      distinctSeen.add(k);
    }
    itemSlots.forEach((s, i) => (b[s] = row[i]));
    ctx.charge(width + 32, "keeping rows to sort and page");
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
        ctx.charge(64 + 8 * b.length + 64 * specs.length, "grouping rows");
        g = { binding: b.slice(), accs: specs.map((s) => new Accumulator(s, ctx)) };
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
        groups.set("", { binding: new Array<unknown>(ctx.slotCount).fill(null), accs: specs.map((s) => new Accumulator(s, ctx)) });
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
