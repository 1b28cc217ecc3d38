// What one evaluation carries: variable slots, parameters and the cost meter. Every limit a query
// can hit is enforced here, so each 413 names the limit (as a QueryLimits key) and what exceeded it.
import { InputError, LimitExceededError } from "../../errors.js";
import type { FunctionEnv } from "../functions.js";
import type { GraphView } from "../graph-view.js";
import type { IntOrParam, QueryLimits } from "../model.js";
import { PathValue, EdgeList, ValueOps } from "../values.js";

export type Binding = unknown[];
export type Fn = (b: Binding) => unknown;
export type Next = (b: Binding) => boolean;
export type Op = (b: Binding, next: Next) => boolean;

export interface VarInfo {
  slot: number;
  kind: "node" | "relationship" | "varlength" | "path" | "value";
}

export interface AggregateSpec {
  name: string;
  distinct: boolean;
  star: boolean;
  arg?: Fn;
}

/** Thrown when a QueryLimits bound is exceeded: HTTP 413 with a message naming the limit. */
export function limitError(limit: keyof QueryLimits, value: number, what: string, hint: string): LimitExceededError {
  return new LimitExceededError(`query exceeded ${limit} (${value}): ${what} (hint: ${hint})`);
}

/**
 * A rough, bounded size estimate of a runtime value in bytes. Graph objects are references (the
 * graph is already in memory); strings count two bytes per character. Stops counting past `cap`.
 */
export function estimateSize(v: unknown, ops: ValueOps, cap = Infinity): number {
  if (v === null || v === undefined) return 8;
  switch (typeof v) {
    case "string":
      return 16 + 2 * v.length;
    case "number":
    case "boolean":
      return 8;
  }
  if (ops.isNode(v) || ops.isEdge(v)) return 8;
  let items: readonly unknown[];
  if (v instanceof PathValue) return 16 + 8 * (v.nodes.length + v.edges.length);
  if (v instanceof EdgeList) return 16 + 8 * v.edges.length;
  if (Array.isArray(v)) items = v;
  else items = Object.values(v as Record<string, unknown>);
  let total = 16;
  for (const x of items) {
    total += 8 + estimateSize(x, ops, cap - total);
    if (total > cap) return total;
  }
  return total;
}

export class Context {
  readonly ops: ValueOps;
  readonly vars = new Map<string, VarInfo>();
  readonly notes = new Set<string>();
  slotCount = 0;
  aggValues: unknown[] = [];
  private ticks = 0;
  private units = 0;
  private nextTimeCheck = 1 << 16;
  private memory = 0;
  private readonly deadline: number;
  /** What functions in the table may use. */
  readonly functionEnv: FunctionEnv;

  constructor(
    readonly view: GraphView,
    readonly limits: QueryLimits,
    readonly params: Record<string, unknown>,
  ) {
    this.ops = new ValueOps(view);
    this.deadline = Date.now() + limits.timeBudgetMs;
    checkParams(params, limits);
    this.functionEnv = { ops: this.ops, view, work: (units) => this.work(units) };
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
      throw limitError("maxBindings", this.limits.maxBindings, `more than ${this.limits.maxBindings} partial matches explored`, "add labels, property filters or a shorter hop range");
    }
    if ((this.ticks & 1023) === 0) this.checkTime();
  }

  /** Work done inside one binding (list scans, copies): keeps the time budget honest per row. */
  work(units: number): void {
    this.units += units;
    if (this.units >= this.nextTimeCheck) {
      this.nextTimeCheck = this.units + (1 << 16);
      this.checkTime();
    }
  }

  /** A list about to be built or kept: bounded in length. */
  listOf(length: number, what: string): void {
    if (length > this.limits.maxListItems) {
      throw limitError("maxListItems", this.limits.maxListItems, `${what} would hold ${length} items`, "filter before collecting, or pass a shorter list");
    }
    this.work(length);
  }

  /** Intermediate results kept until the end (groups, collected values, rows to sort, DISTINCT keys). */
  charge(bytes: number, what: string): void {
    this.memory += bytes;
    if (this.memory > this.limits.maxMemoryBytes) {
      throw limitError("maxMemoryBytes", this.limits.maxMemoryBytes, `intermediate results grew past the limit while ${what}`, "aggregate less, add LIMIT without ORDER BY, or narrow the MATCH");
    }
  }

  /** One result row: bounded in width. */
  checkRow(row: readonly unknown[]): number {
    const size = estimateSize(row, this.ops, this.limits.maxRowBytes + 1);
    if (size > this.limits.maxRowBytes) {
      throw limitError("maxRowBytes", this.limits.maxRowBytes, `a result row is about ${size} bytes wide`, "return fewer or smaller columns");
    }
    return size;
  }

  checkTime(): void {
    if (Date.now() > this.deadline) {
      throw limitError("timeBudgetMs", this.limits.timeBudgetMs, `the query ran past its time budget of ${this.limits.timeBudgetMs} ms`, "narrow the MATCH with labels or WHERE filters");
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

/**
 * Parameters are bounded before anything runs: count, list lengths (at any depth) and total size.
 * Exported so callers that receive parameters over the wire can refuse them before parsing a query.
 */
export function checkParams(params: Record<string, unknown>, limits: Pick<QueryLimits, "maxListItems" | "maxParams" | "maxMemoryBytes">): void {
  const names = Object.keys(params);
  if (names.length > limits.maxParams) {
    throw limitError("maxParams", limits.maxParams, `${names.length} parameters given`, "pass fewer parameters");
  }
  let budget = limits.maxMemoryBytes;
  const walk = (v: unknown, name: string, depth: number): void => {
    if (depth > 32) throw new InputError(`parameter $${name} nests more than 32 levels deep`);
    if (typeof v === "string") budget -= 16 + 2 * v.length;
    else budget -= 8;
    if (budget < 0) throw limitError("maxMemoryBytes", limits.maxMemoryBytes, "the parameters are larger than the limit", "pass smaller parameters");
    if (v === null || typeof v !== "object") return;
    const items = Array.isArray(v) ? v : Object.values(v as Record<string, unknown>);
    if (items.length > limits.maxListItems) {
      throw limitError("maxListItems", limits.maxListItems, `parameter $${name} holds ${items.length} items`, "pass a shorter list");
    }
    for (const x of items) walk(x, name, depth + 1);
  };
  for (const name of names) walk(params[name], name, 0);
}
