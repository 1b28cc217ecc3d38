// Explorer and graph HTTP triggers: templates, queries (JSON or CSV), graphs.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { json, readJson, withErrors } from "../shared/platform/http.js";
import { InputError, NotFoundError } from "../shared/errors.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { runExplorerQuery, TEMPLATES, toCsv, type QueryRequest } from "../shared/workflows/explore.js";
import { loadGraphs } from "../shared/workflows/read-model.js";
import { scopeOf } from "./http.js";

type HttpDef = Extract<FunctionDefinition, { trigger: { type: "http" } }>;

export function explorerFunctions(deps: Dependencies): HttpDef[] {
  return [
    {
      name: "queryTemplates",
      trigger: { type: "http", route: "api/query/templates", methods: ["GET"], authLevel: "anonymous" },
      handler: withErrors(async () => json(200, { templates: TEMPLATES })),
    },
    {
      name: "query",
      trigger: { type: "http", route: "api/query", methods: ["POST"], authLevel: "anonymous" },
      handler: withErrors(async (req) => {
        const body = (await readJson(req)) as QueryRequest;
        if (!body || typeof body !== "object" || Array.isArray(body)) throw new InputError("body must be a JSON object");
        // A large cluster's heavier templates need a few seconds; anything slower is a clear 413.
        const result = await runExplorerQuery(deps, body, { timeBudgetMs: 15_000 }, scopeOf(deps, req));
        if ((req.headers.get("accept") ?? "").includes("text/csv")) {
          return { status: 200, body: toCsv(result), headers: { "content-type": "text/csv; charset=utf-8", "content-disposition": 'attachment; filename="vantage-query.csv"' } };
        }
        return json(200, result);
      }),
    },
    {
      name: "graphs",
      trigger: { type: "http", route: "api/graphs", methods: ["GET"], authLevel: "anonymous" },
      handler: withErrors(async (req) =>
        json(200, { graphs: (await loadGraphs(deps, undefined, scopeOf(deps, req))).map(({ report: _r, ...meta }) => meta) }),
      ),
    },
    {
      name: "graph",
      trigger: { type: "http", route: "api/graphs/{cluster}", methods: ["GET"], authLevel: "anonymous" },
      handler: withErrors(async (req) => {
        const [graph] = await loadGraphs(deps, req.params.cluster, scopeOf(deps, req));
        if (!graph) throw new NotFoundError(`no graph for cluster "${req.params.cluster}"`);
        return json(200, graph.report);
      }),
    },
  ];
}
