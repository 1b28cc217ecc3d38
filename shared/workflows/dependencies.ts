// What activities and handlers work with, built once per host and passed in: configuration, the
// storage connection, the pipeline's tables and the per-aggregate repositories, and ARM connections.
// Azure builds it from app settings (functions/index.ts); the local host, tests and benchmarks build
// it explicitly. Nothing below looks anything up by itself.
import type { ArmConnection } from "../azure/connection.js";
import { storageFromEnv, type StorageConnection } from "../storage/connection.js";
import { armConnections } from "./arm.js";
import { configFromEnv, type VantageConfig } from "./config.js";
import { FeedRepository } from "./repositories/feed.js";
import { FindingRepository } from "./repositories/findings.js";
import { GraphRepository } from "./repositories/graphs.js";
import { BlobLayerCache } from "./repositories/layer-cache.js";
import { SnapshotRepository } from "./repositories/snapshots.js";
import { PipelineState } from "./state.js";

export interface Dependencies {
  readonly config: VantageConfig;
  readonly storage: StorageConnection;
  /** Subscriptions, clusters, registries, runs, images, handled events (and the raw tables). */
  readonly state: PipelineState;
  readonly snapshots: SnapshotRepository;
  readonly findings: FindingRepository;
  readonly graphs: GraphRepository;
  readonly feed: FeedRepository;
  readonly layers: BlobLayerCache;
  /** The ARM connection for a subscription, from the configured endpoint and credential. */
  arm(subscriptionId: string): ArmConnection;
}

type Env = Record<string, string | undefined>;

export function createDependencies(options: { storage: StorageConnection; config?: Partial<VantageConfig>; env?: Env }): Dependencies {
  const config = configFromEnv(options.env ?? process.env, options.config);
  const state = new PipelineState(options.storage, config.tablePrefix);
  return {
    config,
    storage: options.storage,
    state,
    snapshots: new SnapshotRepository(state),
    findings: new FindingRepository(state),
    graphs: new GraphRepository(state),
    feed: new FeedRepository(state, { feedDir: config.feedDir, sources: config.feedSources }),
    layers: new BlobLayerCache(state),
    arm: armConnections(config),
  };
}

/**
 * The Azure host's dependencies from app settings. Built on first use rather than at import, so
 * loading the entry point (registration, tests) needs no storage settings.
 */
export function dependenciesFromEnv(env: Env = process.env): Dependencies {
  let built: Dependencies | undefined;
  const get = () => (built ??= createDependencies({ storage: storageFromEnv(env), env }));
  return {
    get config() { return get().config; },
    get storage() { return get().storage; },
    get state() { return get().state; },
    get snapshots() { return get().snapshots; },
    get findings() { return get().findings; },
    get graphs() { return get().graphs; },
    get feed() { return get().feed; },
    get layers() { return get().layers; },
    arm: (subscriptionId) => get().arm(subscriptionId),
  };
}
