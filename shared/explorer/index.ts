// The cloud security explorer: a read-only Cypher subset over the security graph.
//   parseQuery(text) → QueryModel → evaluate(model, new GraphView(report), limits) → QueryResult
//
// Semantics worth knowing (openCypher unless stated):
// - Labels are node kinds, case-insensitive, plus pseudo-labels HasInsight, ChokePoint,
//   OnAttackPath; an unknown label is an error. Relationship types match edge kinds
//   case-insensitively; a type absent from the graph matches nothing and adds a note.
// - `n.x` reads id/kind/name/namespace, then `properties.x`; a missing property is null.
//   `r.x` reads kind/from/to, then the edge's properties.
// - In rows, a node is its id, a relationship {kind, from, to}, a path its node-id sequence, a
//   variable-length relationship its list of relationships.
// - Within one MATCH, an edge is used at most once per row (relationship isomorphism).
// - Unbounded (`*`, `*2..`) or too long ranges are capped at limits.maxHops, with a note.
// - maxRows caps the answer (`truncated: true`); the binding and time budgets raise
//   LimitExceededError (HTTP 413). `notes` are advisory and not part of the JSON body.
// - Functions: the table QUERY_FUNCTIONS (functions.ts) — aggregates group implicitly.
// - Cost limits (QueryLimits): list lengths, row width, intermediate memory, parameters; each
//   exceeded limit is a LimitExceededError naming it.
import { evaluate } from "./evaluator.js";
import type { GraphView } from "./graph-view.js";
import type { QueryLimits, QueryResult } from "./model.js";
import { parseQuery } from "./parser.js";

export * from "./model.js";
export { QUERY_FUNCTIONS, AGGREGATE_FUNCTIONS, queryFunction, type QueryFunction } from "./functions.js";
export { parseQuery, validateQuery } from "./parser.js";
export { evaluate, checkParams } from "./evaluator.js";
export { GraphView, nodeProperty, edgeProperty } from "./graph-view.js";
export { printQuery, printExpression } from "./print.js";
export { toCsv, toTable, cellText } from "./format.js";
export { encodeShareLink, decodeShareLink, SHARE_PREFIX } from "./share.js";
export { NODE_KINDS, resolveLabel } from "./labels.js";
export {
  TEMPLATES,
  INSIGHT_EXPOSED,
  getTemplate,
  renderTemplate,
  runTemplate,
  templateParams,
  type QueryTemplate,
  type TemplateParameter,
  type TemplateValue,
} from "./templates.js";

/** Parses and evaluates in one step (what POST /api/query does). */
export function runQuery(text: string, view: GraphView, limits: Partial<QueryLimits> = {}, params: Record<string, unknown> = {}): QueryResult {
  return evaluate(parseQuery(text), view, limits, params);
}
