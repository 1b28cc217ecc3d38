// Explorer queries over the stored graphs (POST /api/query, `vantage query --api`). One cluster: the query runs on
// its graph. Several: it runs on each cluster's graph and rows are concatenated behind a leading
// "cluster" column (node ids are only unique within a cluster, so graphs are not merged).
import { GraphView, parseQuery, evaluate, getTemplate, templateParams, type QueryResult, type QueryLimits } from "../explorer/index.js";
import { InputError } from "../errors.js";
import { ALL, type Scope } from "./access.js";
import type { Dependencies } from "./dependencies.js";
import { loadGraphs } from "./read-model.js";

const views = new Map<string, { digest: string; view: GraphView }>();

async function clusterViews(deps: Dependencies, cluster: string | undefined, scope: Scope): Promise<{ cluster: string; view: GraphView }[]> {
  // Graphs outside the caller's subscriptions are never loaded, so no query can reach them.
  const graphs = await loadGraphs(deps, cluster, scope);
  if (cluster && graphs.length === 0) throw new InputError(`no graph for cluster "${cluster}"`, "NotFound", 404);
  return graphs
    .sort((a, b) => a.clusterName.localeCompare(b.clusterName))
    .map((g) => {
      // Views are built once per stored graph version and reused across queries.
      let cached = views.get(g.clusterId);
      if (!cached || cached.digest !== g.blob.digest) {
        cached = { digest: g.blob.digest, view: new GraphView(g.report) };
        views.set(g.clusterId, cached);
      }
      return { cluster: g.clusterName, view: cached.view };
    });
}

export interface QueryRequest {
  query?: unknown;
  template?: unknown;
  params?: unknown;
  cluster?: unknown;
}

export async function runExplorerQuery(deps: Dependencies, request: QueryRequest, limits: Partial<QueryLimits> = {}, scope: Scope = ALL): Promise<QueryResult> {
  let text: string;
  let params: Record<string, unknown> = {};
  if (typeof request.template === "string") {
    const template = getTemplate(request.template);
    text = template.query;
    params = templateParams(template, (request.params as Record<string, unknown>) ?? {});
  } else if (typeof request.query === "string" && request.query.trim()) {
    text = request.query;
    if (request.params && typeof request.params === "object") params = request.params as Record<string, unknown>;
  } else {
    throw new InputError('body must be {"query": "MATCH …"} or {"template": "id"}');
  }
  if (text.length > 20_000) throw new InputError("query is longer than 20,000 characters");
  const model = parseQuery(text); // syntax errors name line and column
  const cluster = typeof request.cluster === "string" && request.cluster ? request.cluster : undefined;
  const targets = await clusterViews(deps, cluster, scope);
  if (targets.length === 1 && cluster) return evaluate(model, targets[0].view, limits, params);
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
