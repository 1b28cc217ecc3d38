// QueryModel × GraphView → QueryResult.
//
// Each variable (named or anonymous) gets a slot in one mutable binding array (eval/context.ts).
// MATCH clauses compile to operator chains (eval/match.ts), expressions to closures
// (eval/expressions.ts, functions from functions.ts), RETURN to a row sink with grouping, ordering
// and paging (eval/projection.ts). The row sink can stop the whole chain early (no ORDER BY or
// aggregation: enough rows seen). Every limit is enforced by the context's cost meter.
import type { GraphView } from "./graph-view.js";
import { DEFAULT_LIMITS, type QueryLimits, type QueryModel, type QueryResult } from "./model.js";
import { validateQuery } from "./parser.js";
import { Context, type Op } from "./eval/context.js";
import { compileClause, compose } from "./eval/match.js";
import { compileReturn } from "./eval/projection.js";

export { checkParams } from "./eval/context.js";

/** Evaluates a query model on an indexed graph. Bad models are InputErrors; exceeded limits LimitExceededErrors (413). */
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
