// One query over several clusters' graphs: it runs on each graph and rows are concatenated behind a
// leading "cluster" column (node ids are only unique within a cluster, so graphs are not merged).
import { evaluate } from "./evaluator.js";
import type { GraphView } from "./graph-view.js";
import type { QueryLimits, QueryModel, QueryResult } from "./model.js";

export function evaluateAcross(model: QueryModel, targets: { cluster: string; view: GraphView }[], limits: Partial<QueryLimits>, params: Record<string, unknown>, single: boolean): QueryResult {
  if (targets.length === 1 && single) return evaluate(model, targets[0]!.view, limits, params);
  const maxRows = limits.maxRows ?? 1000;
  const out: QueryResult = { columns: [], rows: [], truncated: false };
  for (const t of targets) {
    const r = evaluate(model, t.view, { ...limits, maxRows: maxRows - out.rows.length }, params);
    out.columns = ["cluster", ...r.columns];
    for (const row of r.rows) out.rows.push([t.cluster, ...row]);
    if (r.truncated || out.rows.length >= maxRows) {
      out.truncated = true;
      break;
    }
  }
  if (out.columns.length === 0) out.columns = ["cluster"];
  return out;
}
