// Explorer queries over the stored graphs (POST /api/query, `vantage query --api`). One cluster: the query runs on
// its graph. Several: it runs on each cluster's graph and rows are concatenated behind a leading
// "cluster" column (node ids are only unique within a cluster, so graphs are not merged). Queries
// run in the worker pool: a pathological one costs a worker, never the host's event loop.
import { getTemplate, templateParams, checkParams, DEFAULT_LIMITS, type QueryResult, type QueryLimits } from "../explorer/index.js";
import { InputError, LimitExceededError, NotFoundError } from "../errors.js";
import { PoolLimitError, queryIsolated } from "../isolation/index.js";
import { ALL, type Scope } from "./access.js";
import type { Dependencies } from "./dependencies.js";
import { scopedGraphs } from "./read-model.js";

/** What the HTTP layer serves beside queries: the template list and CSV rendering of a result. */
export { TEMPLATES, toCsv } from "../explorer/index.js";

export interface QueryRequest {
  query?: unknown;
  template?: unknown;
  params?: unknown;
  cluster?: unknown;
}

/**
 * `callerLimits` are the caller's (e.g. the HTTP API's longer time budget); the operator's
 * VANTAGE_QUERY_LIMITS (deps.config.queryLimits) replace them key by key.
 */
export async function runExplorerQuery(deps: Dependencies, request: QueryRequest, callerLimits: Partial<QueryLimits> = {}, scope: Scope = ALL): Promise<QueryResult> {
  const limits: QueryLimits = { ...DEFAULT_LIMITS, ...callerLimits, ...deps.config.queryLimits };
  let text: string;
  let params: Record<string, unknown> = {};
  if (typeof request.template === "string") {
    const template = getTemplate(request.template);
    text = template.query;
    params = templateParams(template, (request.params as Record<string, unknown>) ?? {});
  } else if (typeof request.query === "string" && request.query.trim()) {
    text = request.query;
    if (request.params && typeof request.params === "object" && !Array.isArray(request.params)) params = request.params as Record<string, unknown>;
  } else {
    throw new InputError('body must be {"query": "MATCH …"} or {"template": "id"}');
  }
  if (text.length > 20_000) throw new InputError("query is longer than 20,000 characters");
  // Parameters are bounded before the query is parsed or any graph is loaded.
  checkParams(params, limits);
  const cluster = typeof request.cluster === "string" && request.cluster ? request.cluster : undefined;
  // Graphs outside the caller's subscriptions are never offered to the query, so none can reach them.
  const metas = (await scopedGraphs(deps, scope)).filter((m) => !cluster || m.clusterName === cluster || m.clusterId === cluster.toLowerCase());
  if (cluster && metas.length === 0) throw new NotFoundError(`no graph for cluster "${cluster}"`);
  const targets = metas
    .sort((a, b) => a.clusterName.localeCompare(b.clusterName))
    .map((m) => ({ cluster: m.clusterName, clusterId: m.clusterId, digest: m.blob.digest, load: () => deps.graphs.report(m) }));
  try {
    // The worker parses the text (syntax errors name line and column) and keeps each graph's view per version.
    return await queryIsolated({ query: text, params, limits, single: Boolean(cluster) }, targets);
  } catch (err) {
    if (err instanceof PoolLimitError) throw new LimitExceededError(`query stopped: ${err.message}`);
    throw err;
  }
}
