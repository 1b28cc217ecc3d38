// The explorer's query model: the JSON a parsed query becomes, and the same JSON a UI query builder
// would emit. It is plain data (no classes, no functions) so it can be stored, sent over HTTP and
// printed back to text (`printQuery`). Positions are optional: only parsed queries carry them, and
// they exist so semantic errors can still point at a line and column.

export interface SourcePos {
  line: number;
  column: number;
}

/** An integer that may be a `$param` (variable-length bounds, SKIP, LIMIT). */
export type IntOrParam = number | { param: string };

export interface QueryModel {
  version: 1;
  /** One or more MATCH clauses, joined on shared variables (a cross product otherwise). */
  matches: MatchClause[];
  return: ReturnClause;
}

export interface MatchClause {
  /** OPTIONAL MATCH: rows without a match are kept, with this clause's new variables null. */
  optional?: boolean;
  /** Comma-separated patterns of one MATCH. */
  patterns: PathPattern[];
  where?: Expression;
}

export interface PathPattern {
  /** `p = (a)-->(b)`: binds the path (returned as its node-id sequence). */
  variable?: string;
  start: NodePattern;
  steps: PatternStep[];
}

export interface PatternStep {
  relationship: RelationshipPattern;
  node: NodePattern;
}

export interface NodePattern {
  variable?: string;
  /**
   * Label constraints: every inner group must hold (`:Pod:HasInsight`); within a group any label
   * may (`:Pod|Container`). Labels are node kinds matched case-insensitively, or a pseudo-label
   * (`HasInsight`, `ChokePoint`, `OnAttackPath`).
   */
  labels: string[][];
  /** `{namespace: "shop"}`: equality on (flattened) properties. */
  properties: Record<string, Expression>;
  pos?: SourcePos;
}

export type Direction = "out" | "in" | "both";

export interface RelationshipPattern {
  variable?: string;
  /** Edge kinds, any of which may match (`:A|B`); empty = any kind. Case-insensitive. */
  types: string[];
  /** `-->` out, `<--` in, `--` either. */
  direction: Direction;
  /** Absent = exactly one hop. `*` = {min: 1}; a missing max is capped at the max-hops limit. */
  length?: { min: IntOrParam; max?: IntOrParam };
  properties: Record<string, Expression>;
  pos?: SourcePos;
}

export type BinaryOperator =
  | "and" | "or" | "xor"
  | "=" | "<>" | "<" | "<=" | ">" | ">="
  | "in" | "contains" | "starts with" | "ends with"
  | "+" | "-" | "*" | "/" | "%";

export type Expression =
  | { type: "literal"; value: string | number | boolean | null }
  | { type: "param"; name: string; pos?: SourcePos }
  | { type: "variable"; name: string; pos?: SourcePos }
  | { type: "property"; object: Expression; key: string }
  | { type: "list"; items: Expression[] }
  | { type: "not"; operand: Expression }
  | { type: "negate"; operand: Expression }
  | { type: "binary"; operator: BinaryOperator; left: Expression; right: Expression }
  | { type: "isNull"; operand: Expression; negated: boolean }
  /** `n:Pod` / `n:HasInsight` inside WHERE or RETURN. */
  | { type: "hasLabels"; variable: string; labels: string[][]; pos?: SourcePos }
  /** Functions and aggregates; `count(*)` has `star: true` and no arguments. */
  | { type: "call"; name: string; args: Expression[]; distinct?: boolean; star?: boolean; pos?: SourcePos };

export interface ReturnItem {
  expression: Expression;
  alias?: string;
}

export interface OrderItem {
  expression: Expression;
  descending: boolean;
}

export interface ReturnClause {
  distinct: boolean;
  /** `RETURN *`: every named variable, in order of first appearance. */
  star: boolean;
  items: ReturnItem[];
  orderBy: OrderItem[];
  skip?: IntOrParam;
  limit?: IntOrParam;
}

/** What a query answers (docs/cli.md); `notes` are advisory and not part of the JSON body. */
export interface QueryResult {
  columns: string[];
  rows: unknown[][];
  truncated: boolean;
  notes?: string[];
}

export interface QueryLimits {
  /** Rows returned before `truncated: true` (default 1,000). */
  maxRows: number;
  /** Wall-clock budget; exceeding it is a LimitExceededError (default 5,000 ms). */
  timeBudgetMs: number;
  /** Cap for unbounded or too-long variable-length relationships (default 8). */
  maxHops: number;
  /** Partial matches explored before giving up with a LimitExceededError (default 2,000,000). */
  maxBindings: number;
  /** Items in any list a query passes or builds (`$L`, `+`, collect()) (default 10,000). */
  maxListItems: number;
  /** Estimated size of one result row (default 1 MiB). */
  maxRowBytes: number;
  /** Estimated memory held until the end: groups, collected values, rows to sort (default 64 MiB). */
  maxMemoryBytes: number;
  /** Parameters one query may take (default 100). */
  maxParams: number;
}

export const DEFAULT_LIMITS: QueryLimits = {
  maxRows: 1000,
  timeBudgetMs: 5000,
  maxHops: 8,
  maxBindings: 2_000_000,
  maxListItems: 10_000,
  maxRowBytes: 1024 * 1024,
  maxMemoryBytes: 64 * 1024 * 1024,
  maxParams: 100,
};
