// The heavy steps of the pipeline, run in the worker pool. Each takes what it needs from the host
// thread explicitly (a layer cache, a credential, the feed, stored graphs) and offers only that.
import type { TokenCredential } from "@azure/identity";
import type { AzureIdentityAccess } from "../azure/model.js";
import type { BuiltPathsReport, PathsReport } from "../graph/model.js";
import type { ImageFindings } from "../graph/index.js";
import type { QueryLimits, QueryModel, QueryResult } from "../explorer/model.js";
import type { Snapshot } from "../kubernetes/model.js";
import type { FeedIndex } from "../scanner/feed/model.js";
import type { LayerCache, WalkLimits } from "../scanner/image/index.js";
import type { Finding, Sbom } from "../scanner/model.js";
import type { EvaluateOptions } from "../posture/evaluate.js";
import type { PostureInput, PostureReport } from "../posture/model.js";
import { taskPool, type TaskPool } from "./pool.js";
import type { ScanImageOutput } from "./tasks.js";

export { TaskPool, PoolLimitError, taskPool, closeTaskPool, poolSettingsFromEnv, DEFAULT_DEADLINES, type PoolSettings } from "./pool.js";
export { TASKS, type TaskName, type HostCalls, type ScanImageOutput } from "./tasks.js";
export { sbomSummary, type SbomSummary } from "./summary.js";

/** How an image is read: registry transport, the host's layer cache and credential, the walk budgets (over the defaults). */
export interface IsolatedCatalogOptions {
  plainHttp?: boolean;
  layerCache?: LayerCache;
  credential?: TokenCredential;
  limits?: Partial<WalkLimits>;
}

export function catalogIsolated(target: string, options: IsolatedCatalogOptions, pool: TaskPool = taskPool()): Promise<Sbom> {
  const { layerCache, credential } = options;
  return pool.run(
    "catalogImage",
    { target, plainHttp: options.plainHttp, limits: options.limits, cache: Boolean(layerCache), credential: Boolean(credential) },
    {
      host: {
        ...(layerCache ? { cacheGet: (d, cs) => layerCache.get(d, cs), cachePut: (d, f, cs) => layerCache.put(d, f, cs) } : {}),
        ...(credential ? { getToken: (scopes, o) => credential.getToken(scopes, o) } : {}),
      },
    },
  );
}

/** Catalog + match of one image in one task; the SBOM comes back as canonical JSON bytes for storage. */
export function scanIsolated(target: string, options: IsolatedCatalogOptions, feed: FeedIndex, pool: TaskPool = taskPool()): Promise<ScanImageOutput> {
  const { layerCache, credential } = options;
  return pool.run(
    "scanImage",
    { target, plainHttp: options.plainHttp, limits: options.limits, cache: Boolean(layerCache), credential: Boolean(credential), feedHash: feed.version.hash },
    {
      host: {
        feed: async () => feed,
        ...(layerCache ? { cacheGet: (d, cs) => layerCache.get(d, cs), cachePut: (d, f, cs) => layerCache.put(d, f, cs) } : {}),
        ...(credential ? { getToken: (scopes, o) => credential.getToken(scopes, o) } : {}),
      },
    },
  );
}

export function postureIsolated(input: PostureInput, options: Omit<EvaluateOptions, "catalog">, pool: TaskPool = taskPool()): Promise<PostureReport> {
  return pool.run("evaluatePosture", { input, options });
}

export function matchIsolated(sbom: Sbom, feed: FeedIndex, pool: TaskPool = taskPool()): Promise<Finding[]> {
  return pool.run("matchSbom", { sbom, feedHash: feed.version.hash }, { host: { feed: async () => feed } });
}

export function buildGraphIsolated(
  snapshot: Snapshot,
  images: ImageFindings[],
  options: { azure?: AzureIdentityAccess[] } = {},
  pool: TaskPool = taskPool(),
): Promise<BuiltPathsReport> {
  return pool.run("buildGraph", { snapshot, images, azure: options.azure });
}

export function queryIsolated(
  request: { query: string | QueryModel; params: Record<string, unknown>; limits: Partial<QueryLimits>; single: boolean },
  targets: { cluster: string; clusterId: string; digest: string; load: () => Promise<PathsReport> }[],
  pool: TaskPool = taskPool(),
): Promise<QueryResult> {
  const byId = new Map(targets.map((t) => [t.clusterId, t]));
  return pool.run(
    "explorerQuery",
    { ...request, targets: targets.map(({ cluster, clusterId, digest }) => ({ cluster, clusterId, digest })) },
    {
      // The query's own time budget ends it cleanly; the deadline is the hard stop behind it.
      deadlineMs: (request.limits.timeBudgetMs ?? 5000) * targets.length + 10_000,
      host: {
        graph: async (clusterId) => {
          const t = byId.get(clusterId);
          if (!t) throw new Error(`no graph ${clusterId} in this query's scope`);
          return t.load();
        },
      },
    },
  );
}
