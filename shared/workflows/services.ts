// The process-wide services activities and HTTP handlers use: configuration and storage state.
// Built lazily from app settings in Azure; the local host and tests configure them explicitly.
import { storageFromEnv, type StorageConnection } from "../storage/connection.js";
import { configFromEnv, type VantageConfig } from "./config.js";
import { PipelineState } from "./state.js";

export interface Services {
  config: VantageConfig;
  storage: StorageConnection;
  state: PipelineState;
}

let current: Services | undefined;

export function configureServices(options: { config?: Partial<VantageConfig>; storage?: StorageConnection; env?: Record<string, string | undefined> } = {}): Services {
  const env = options.env ?? process.env;
  const config = configFromEnv(env, options.config);
  const storage = options.storage ?? storageFromEnv(env);
  current = { config, storage, state: new PipelineState(storage, config.tablePrefix) };
  return current;
}

export function services(): Services {
  return current ?? configureServices();
}
