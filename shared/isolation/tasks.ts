// The tasks the worker pool runs, one table. A task is (input, host) → output: input and output
// are structured-cloneable; `host` reaches back to the host thread for what only it holds (cached
// layer facts, tokens, the feed, stored graphs). Adding a task is one entry here.
import type { AccessToken, GetTokenOptions, TokenCredential } from "@azure/identity";
import type { Snapshot } from "../kubernetes/model.js";
import type { AzureIdentityAccess } from "../azure/model.js";
import type { BuiltPathsReport, PathsReport } from "../graph/model.js";
import type { ImageFindings } from "../graph/index.js";
import type { GraphView } from "../explorer/graph-view.js";
import type { QueryLimits, QueryModel, QueryResult } from "../explorer/model.js";
import type { FeedIndex } from "../scanner/feed/model.js";
import type { CachedLayer, CatalogerKey, CatalogProgress, LayerCache, LayerFacts, WalkLimits } from "../scanner/image/index.js";
import type { Finding, Sbom } from "../scanner/model.js";
import type { EvaluateOptions } from "../posture/evaluate.js";
import type { PostureInput, PostureReport } from "../posture/model.js";
import type { SbomSummary } from "./summary.js";

/** What a task may ask the host thread for. A task is given only the calls its caller offers. */
export interface HostCalls {
  cacheGet(layerDigest: string, catalogers: CatalogerKey[]): Promise<CachedLayer | undefined>;
  cachePut(layerDigest: string, facts: LayerFacts, catalogers: CatalogerKey[]): Promise<void>;
  getToken(scopes: string | string[], options?: Pick<GetTokenOptions, "tenantId">): Promise<AccessToken | null>;
  /** The current feed index, when the worker's copy is not `hash`. */
  feed(hash: string): Promise<FeedIndex>;
  /** A stored graph report. */
  graph(clusterId: string): Promise<PathsReport>;
  /** A catalog's progress (the CLI prints it); not awaited by the task. */
  progress(e: CatalogProgress): Promise<void>;
}

export interface CatalogImageInput {
  target: string;
  plainHttp?: boolean;
  platform?: string;
  limits?: Partial<WalkLimits>;
  /** Use the host's layer cache. */
  cache?: boolean;
  /** Use the host's credential for registry token exchange. */
  credential?: boolean;
  /** The CLI's: relative paths resolve against cwd; dir: skips; registry basic auth; progress through the host. */
  cwd?: string;
  skipDirs?: string[];
  auth?: { username: string; password: string };
  progress?: boolean;
}

export interface MatchSbomInput {
  sbom: Sbom;
  feedHash: string;
}

export interface ScanImageInput extends CatalogImageInput {
  feedHash: string;
}

/**
 * A scan's result in the form the host stores it: the SBOM as its canonical JSON bytes (serialised
 * here and moved, not copied, to the host, which writes them as they are), the few SBOM facts the
 * image record needs, and the findings.
 */
export interface ScanImageOutput {
  sbomJson: Uint8Array;
  summary: SbomSummary;
  findings: Finding[];
}

export interface EvaluatePostureInput {
  input: PostureInput;
  /** Everything but a custom catalog (controls are functions; the worker uses the built-in one). */
  options: Omit<EvaluateOptions, "catalog">;
}

export interface BuildGraphInput {
  snapshot: Snapshot;
  images: ImageFindings[];
  /** Azure access of the cluster's identities, read on the host (it needs ARM). */
  azure?: AzureIdentityAccess[];
}

export interface ExplorerQueryInput {
  /** Query text (parsed in the worker) or a model built by a UI. */
  query: string | QueryModel;
  params: Record<string, unknown>;
  limits: Partial<QueryLimits>;
  targets: { cluster: string; clusterId: string; digest: string }[];
  /** The caller named one cluster: no leading cluster column. */
  single: boolean;
}

// Modules are loaded by the first task that needs them: a worker boots fast and holds only what it runs.
// Per-worker caches: the feed and graph views are sent once per version, not with every task.
let feed: FeedIndex | undefined;
const views = new Map<string, { digest: string; view: GraphView }>();

// Catalogers cross the thread boundary as their keys (name and version), not as code.
const keys = (cs: readonly CatalogerKey[]): CatalogerKey[] => cs.map(({ name, version }) => ({ name, version }));
const hostCache = (host: HostCalls): LayerCache => ({ get: (d, cs) => host.cacheGet(d, keys(cs)), put: (d, f, cs) => host.cachePut(d, f, keys(cs)) });
const hostCredential = (host: HostCalls): TokenCredential => ({ getToken: (scopes, options) => host.getToken(scopes, options?.tenantId ? { tenantId: options.tenantId } : undefined) });

async function catalogImage(input: CatalogImageInput, host: HostCalls): Promise<Sbom> {
  return (await import("../scanner/image/index.js")).catalogTarget(input.target, {
    plainHttp: input.plainHttp,
    platform: input.platform,
    limits: input.limits,
    ...(input.cache ? { layerCache: hostCache(host) } : {}),
    ...(input.credential ? { credential: hostCredential(host) } : {}),
    cwd: input.cwd,
    skipDirs: input.skipDirs,
    auth: input.auth,
    // Progress is a courtesy: the walk never waits for the host to print it.
    onProgress: input.progress ? (e) => void host.progress(e).catch(() => undefined) : undefined,
  });
}

async function matchSbom(input: MatchSbomInput, host: HostCalls): Promise<Finding[]> {
  if (feed?.version.hash !== input.feedHash) feed = await host.feed(input.feedHash);
  return (await import("../scanner/match/index.js")).matchSbom(input.sbom, feed);
}

export const TASKS = {
  catalogImage,
  matchSbom,

  /** Catalog + match in one task: the SBOM never crosses the thread boundary as an object graph. */
  scanImage: async (input: ScanImageInput, host: HostCalls): Promise<ScanImageOutput> => {
    const sbom = await catalogImage(input, host);
    const findings = await matchSbom({ sbom, feedHash: input.feedHash }, host);
    const [{ canonicalJson }, { sbomSummary }] = await Promise.all([import("../storage/blobs.js"), import("./summary.js")]);
    return { sbomJson: new TextEncoder().encode(canonicalJson(sbom)), summary: sbomSummary(sbom), findings };
  },

  evaluatePosture: async (input: EvaluatePostureInput): Promise<PostureReport> =>
    (await import("../posture/evaluate.js")).evaluatePosture(input.input, input.options),

  buildGraph: async (input: BuildGraphInput): Promise<BuiltPathsReport> =>
    (await import("../graph/index.js")).buildSecurityGraph(input.snapshot, input.images, { azure: input.azure }),

  explorerQuery: async (input: ExplorerQueryInput, host: HostCalls): Promise<QueryResult> => {
    const [{ parseQuery }, { GraphView }, { evaluateAcross }] = await Promise.all([import("../explorer/parser.js"), import("../explorer/graph-view.js"), import("../explorer/clusters.js")]);
    const model = typeof input.query === "string" ? parseQuery(input.query) : input.query;
    const targets: { cluster: string; view: GraphView }[] = [];
    for (const t of input.targets) {
      let cached = views.get(t.clusterId);
      if (!cached || cached.digest !== t.digest) {
        cached = { digest: t.digest, view: new GraphView(await host.graph(t.clusterId)) };
        views.set(t.clusterId, cached);
      }
      targets.push({ cluster: t.cluster, view: cached.view });
    }
    return evaluateAcross(model, targets, input.limits, input.params, input.single);
  },

  /**
   * Loads what an image scan runs (and the feed, when given) before the first scan needs it: a
   * worker's first scan otherwise spends a second of CPU loading modules beside the host thread.
   */
  warmUp: async (input: { feedHash?: string }, host: HostCalls): Promise<{ ok: true }> => {
    await Promise.all([import("../scanner/image/index.js"), import("../scanner/match/index.js"), import("../storage/blobs.js"), import("./summary.js")]);
    if (input.feedHash && feed?.version.hash !== input.feedHash) feed = await host.feed(input.feedHash);
    return { ok: true };
  },

  /** A task that spins or allocates on purpose: proves deadlines and heap limits (tests, bench). */
  selfTest: async (input: { spinMs?: number; allocateMb?: number }): Promise<{ ok: true }> => {
    const until = Date.now() + (input.spinMs ?? 0);
    while (Date.now() < until) {
      /* busy */
    }
    const hold: unknown[] = [];
    for (let i = 0; i < (input.allocateMb ?? 0); i++) hold.push(new Array(128 * 1024).fill(i));
    return { ok: true };
  },
} satisfies Record<string, (input: never, host: HostCalls) => Promise<unknown>>;

export type TaskName = keyof typeof TASKS;
export type TaskInput<N extends TaskName> = Parameters<(typeof TASKS)[N]>[0];
export type TaskOutput<N extends TaskName> = Awaited<ReturnType<(typeof TASKS)[N]>>;
