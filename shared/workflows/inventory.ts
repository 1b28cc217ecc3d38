// Registry inventory: every image in an onboarded registry that was pushed in the last 90 days is
// assessed, even if it never runs and was pushed before onboarding. Runs when a registry is first
// discovered (a sub-orchestration of onboarding) and daily (timer). One activity lists each
// registry (ACR's listing API, or the distribution API elsewhere), one merges the lists, deduplicates
// by digest and leaves out digests whose SBOM is already stored; the rest are scanned in chunks
// (sub-orchestrations) of bounded batches, so a replayed or resumed run continues where it stopped
// and no finished chunk is redone. Lists travel as Blob references; orchestrators stay pure.
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { ensureError } from "../errors.js";
import { RegistryClient } from "../registry/client.js";
import { inventoryRegistry, type InventoryImage, type InventoryLimits, DEFAULT_INVENTORY_LIMITS } from "../registry/inventory.js";
import { inventoryOciLayouts } from "../registry/oci-inventory.js";
import type { BlobRef } from "../storage/blobs.js";
import type { Dependencies } from "./dependencies.js";
import { inventoryChunkInstanceId } from "./instance-ids.js";
import { ACTIVITIES, ORCHESTRATIONS } from "./names.js";
import { scanActivities, type ScanResult } from "./scan.js";
import type { ImageRecord } from "./state.js";

/** Blob container of the listings and work lists (content-addressed gzip JSON). */
export const INVENTORY_CONTAINER = "inventory";
/** Defender's scope for registry images: pushed (or retagged) in the last 90 days. */
export const INVENTORY_WINDOW_DAYS = 90;
/** Scans running at once within a run: each holds a worker of the catalog pool. */
export const DEFAULT_BATCH = 4;
/** Batches per chunk sub-orchestration: bounds each history (100 scans) however big the registry. */
export const DEFAULT_CHUNK_BATCHES = 25;

export interface InventoryInput {
  subscriptionId: string;
  /** Only these login servers (the ones onboarding just discovered); all of the subscription's otherwise. */
  registries?: string[];
  batchSize?: number;
  chunkBatches?: number;
}

export interface RegistryListing {
  ok: boolean;
  loginServer: string;
  mode?: "acr" | "v2" | "oci";
  repositories: number;
  tags: number;
  images: number;
  truncated?: boolean;
  list?: BlobRef;
  error?: string;
}

export interface InventoryPlan {
  /** Distinct in-window digests across the listed registries. */
  images: number;
  /** Digests whose SBOM is already stored: not fetched again (the daily refresh re-matches them). */
  known: number;
  toScan: number;
  list?: BlobRef;
}

/** One image to scan: the first name it was listed under, every name, and the registry's update time. */
export interface InventoryItem {
  ref: string;
  digest: string;
  refs: string[];
  updatedAt?: string;
}

export interface ChunkResult {
  scanned: number;
  failed: number;
  skipped: number;
  /** The first few failures, for the run's output. */
  errors: string[];
}

export interface InventorySummary {
  subscriptionId: string;
  registries: number;
  failedRegistries: { loginServer: string; error: string }[];
  repositories: number;
  tags: number;
  images: number;
  skipped: number;
  scanned: number;
  failed: number;
  truncated: boolean;
  errors: string[];
}

const MAX_ERRORS = 20;

// ---- orchestrators -------------------------------------------------------------------------

export const inventoryRegistries: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as InventoryInput;
  const batchSize = Math.max(1, Math.min(32, Math.floor(input.batchSize ?? DEFAULT_BATCH)));
  const chunkBatches = Math.max(1, Math.min(100, Math.floor(input.chunkBatches ?? DEFAULT_CHUNK_BATCHES)));
  const runId = context.df.currentUtcDateTime.toISOString();
  const summary: InventorySummary = {
    subscriptionId: input.subscriptionId,
    registries: 0,
    failedRegistries: [],
    repositories: 0,
    tags: 0,
    images: 0,
    skipped: 0,
    scanned: 0,
    failed: 0,
    truncated: false,
    errors: [],
  };

  context.df.setCustomStatus({ step: "list" });
  const registries: string[] = yield context.df.callActivity(ACTIVITIES.inventoryListRegistries, { subscriptionId: input.subscriptionId, registries: input.registries });
  summary.registries = registries.length;
  // One listing per registry: a registry that fails to list never stops the others.
  const listings: RegistryListing[] = yield context.df.Task.all(registries.map((loginServer) => context.df.callActivity(ACTIVITIES.inventoryListRegistry, { loginServer })));
  for (const l of listings) {
    summary.repositories += l.repositories;
    summary.tags += l.tags;
    summary.truncated ||= Boolean(l.truncated);
    if (!l.ok) summary.failedRegistries.push({ loginServer: l.loginServer, error: l.error ?? "listing failed" });
  }

  context.df.setCustomStatus({ step: "plan", ...progress(summary, 0) });
  const plan: InventoryPlan = yield context.df.callActivity(ACTIVITIES.inventoryPlan, {
    lists: listings.filter((l) => l.ok && l.list).map((l) => ({ loginServer: l.loginServer, list: l.list })),
  });
  summary.images = plan.images;
  summary.skipped = plan.known;

  const chunkSize = batchSize * chunkBatches;
  for (let from = 0; plan.list && from < plan.toScan; from += chunkSize) {
    context.df.setCustomStatus({ step: "scan", ...progress(summary, plan.toScan) });
    const chunk: ChunkResult = yield context.df.callSubOrchestrator(
      ORCHESTRATIONS.inventoryScanChunk,
      { list: plan.list, from, to: Math.min(plan.toScan, from + chunkSize), batchSize },
      inventoryChunkInstanceId(context.df.instanceId, runId, from),
    );
    summary.scanned += chunk.scanned;
    summary.failed += chunk.failed;
    summary.skipped += chunk.skipped;
    summary.errors = [...summary.errors, ...chunk.errors].slice(0, MAX_ERRORS);
  }
  context.df.setCustomStatus({ step: "done", ...progress(summary, plan.toScan) });
  return summary;
};

function progress(s: InventorySummary, toScan: number) {
  return { registries: s.registries, repositories: s.repositories, images: s.images, skipped: s.skipped, toScan, scanned: s.scanned, failed: s.failed };
}

/** Scans items [from, to) of a work list, `batchSize` at a time. */
export const inventoryScanChunk: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { list: BlobRef; from: number; to: number; batchSize: number };
  const result: ChunkResult = { scanned: 0, failed: 0, skipped: 0, errors: [] };
  for (let i = input.from; i < input.to; i += input.batchSize) {
    const indexes: number[] = [];
    for (let j = i; j < Math.min(input.to, i + input.batchSize); j++) indexes.push(j);
    const results: ScanResult[] = yield context.df.Task.all(indexes.map((index) => context.df.callActivity(ACTIVITIES.inventoryScanImage, { list: input.list, index })));
    for (const r of results) {
      if (!r.ok) {
        result.failed++;
        if (result.errors.length < MAX_ERRORS) result.errors.push(`${r.ref}: ${r.error ?? "failed"}`);
      } else if (r.skipped) result.skipped++;
      else result.scanned++;
    }
    context.df.setCustomStatus({ done: Math.min(input.to, i + input.batchSize) - input.from, of: input.to - input.from, ...result, errors: undefined });
  }
  return result;
};

// ---- activities ----------------------------------------------------------------------------

/** A bounded cache of work lists by digest (they are content-addressed, so never stale). */
class ListCache {
  private readonly lists = new Map<string, Promise<InventoryItem[]>>();
  get(ref: BlobRef, load: () => Promise<InventoryItem[]>): Promise<InventoryItem[]> {
    let hit = this.lists.get(ref.digest);
    if (!hit) {
      if (this.lists.size >= 4) this.lists.delete(this.lists.keys().next().value!);
      hit = load();
      hit.catch(() => this.lists.delete(ref.digest));
      this.lists.set(ref.digest, hit);
    }
    return hit;
  }
}

function later(a: string | undefined, b: string | undefined): string | undefined {
  if (!a) return b;
  if (!b) return a;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The inventory activities, keyed by their function names. */
export function inventoryActivities(deps: Dependencies, options: { limits?: InventoryLimits; now?: () => number } = {}) {
  const now = options.now ?? (() => Date.now());
  const cache = new ListCache();
  const scan = scanActivities(deps)[ACTIVITIES.scanImage];

  /** Registries of the subscription (or the named subset) whose subscription is onboarded. */
  async function listRegistries(input: { subscriptionId: string; registries?: string[] }): Promise<string[]> {
    const sub = input.subscriptionId.toLowerCase();
    const record = (await deps.state.subscriptions.get("subscription", sub))?.value;
    if (!record || record.state === "offboarded") return [];
    const wanted = input.registries ? new Set(input.registries.map((r) => r.toLowerCase())) : undefined;
    return (await deps.state.registries.all({ partitionKey: "registry" }))
      .filter((r) => String(r.value.subscriptionId ?? "").toLowerCase() === sub && (!wanted || wanted.has(r.rowKey)))
      .map((r) => r.rowKey)
      .sort();
  }

  async function listRegistry(input: { loginServer: string }): Promise<RegistryListing> {
    const loginServer = input.loginServer.toLowerCase();
    const empty = { loginServer, repositories: 0, tags: 0, images: 0 };
    // Only registries discovered in onboarded subscriptions are contacted.
    if (!(await deps.state.registries.get("registry", loginServer))) return { ok: false, ...empty, error: "not a discovered registry" };
    const since = now() - INVENTORY_WINDOW_DAYS * 86_400_000;
    try {
      const endpoint = deps.config.registryEndpoints[loginServer];
      const inventory = endpoint?.startsWith("oci:")
        ? { mode: "oci" as const, ...(await inventoryOciLayouts(endpoint.slice(4))) }
        : await inventoryRegistry(registryClient(deps, loginServer, endpoint), since, options.limits ?? DEFAULT_INVENTORY_LIMITS);
      const list = await deps.state.blobs.putJson(INVENTORY_CONTAINER, `registries/${loginServer}`, inventory.images);
      return { ok: true, loginServer, mode: inventory.mode, repositories: inventory.repositories, tags: inventory.tags, images: inventory.images.length, truncated: inventory.truncated, list };
    } catch (err) {
      return { ok: false, ...empty, error: ensureError(err).message };
    }
  }

  /**
   * Merges the registries' lists by digest; digests with a stored SBOM are only recorded (their new
   * names and update time), the rest become the work list.
   */
  async function plan(input: { lists: { loginServer: string; list: BlobRef }[] }): Promise<InventoryPlan> {
    const byDigest = new Map<string, InventoryItem>();
    for (const { loginServer, list } of input.lists) {
      for (const image of await deps.state.blobs.getJson<InventoryImage[]>(list)) {
        const refs = image.tags.map((t) => `${loginServer}/${t}`);
        const seen = byDigest.get(image.digest);
        if (seen) {
          seen.refs = [...new Set([...seen.refs, ...refs])].sort();
          seen.updatedAt = later(seen.updatedAt, image.updatedAt);
        } else {
          byDigest.set(image.digest, { ref: `${refs[0]}@${image.digest}`, digest: image.digest, refs, ...(image.updatedAt ? { updatedAt: image.updatedAt } : {}) });
        }
      }
    }
    const stored = new Map((await deps.state.images.all({ partitionKey: "image" })).map((r) => [r.rowKey, r.value]));
    const toScan: InventoryItem[] = [];
    let known = 0;
    for (const item of [...byDigest.values()].sort((a, b) => (a.digest < b.digest ? -1 : 1))) {
      const record = stored.get(item.digest);
      if (!record?.sbom) {
        toScan.push(item);
        continue;
      }
      known++;
      const refs = [...new Set([...record.refs, ...item.refs])].sort();
      const pushedAt = later(record.pushedAt, item.updatedAt);
      if (refs.length !== record.refs.length || pushedAt !== record.pushedAt) {
        await deps.state.images.upsert("image", item.digest, { ...record, refs, pushedAt } satisfies ImageRecord);
      }
    }
    const list = toScan.length ? await deps.state.blobs.putJson(INVENTORY_CONTAINER, "plans", toScan) : undefined;
    return { images: byDigest.size, known, toScan: toScan.length, ...(list ? { list } : {}) };
  }

  async function scanItem(input: { list: BlobRef; index: number }): Promise<ScanResult> {
    const items = await cache.get(input.list, () => deps.state.blobs.getJson<InventoryItem[]>(input.list));
    const item = items[input.index];
    if (!item) return { ok: false, ref: `item ${input.index}`, error: `work list ${input.list.name} has no item ${input.index}` };
    return scan({ ref: item.ref, digest: item.digest, inventory: { refs: item.refs, updatedAt: item.updatedAt } });
  }

  return {
    [ACTIVITIES.inventoryListRegistries]: listRegistries,
    [ACTIVITIES.inventoryListRegistry]: listRegistry,
    [ACTIVITIES.inventoryPlan]: plan,
    [ACTIVITIES.inventoryScanImage]: scanItem,
  };
}

/** A client for the registry at its configured endpoint (or https://LOGIN_SERVER), with the app's credential. */
function registryClient(deps: Dependencies, loginServer: string, endpoint: string | undefined): RegistryClient {
  const base = endpoint ? new URL(endpoint) : undefined;
  return new RegistryClient(base ? base.host : loginServer, { plainHttp: base?.protocol === "http:", credential: deps.config.credential });
}
