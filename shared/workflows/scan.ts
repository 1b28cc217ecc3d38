// Image vulnerability assessment in the pipeline (issue 6): scan on push, scan what runs, and the
// daily refresh that re-matches stored SBOMs against the current feed without pulling any layer.
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { ensureError } from "../errors.js";
import { parseReference, type ImageReference } from "../registry/reference.js";
import { loadFeedDir } from "../scanner/feed/load-dir.js";
import type { FeedIndex } from "../scanner/feed/model.js";
import { feedSourcesFromEnv, updateFeed, type FeedStore, type FeedUpdateResult } from "../scanner/feed/update.js";
import { CATALOGERS } from "../scanner/catalogers/index.js";
import { SECRET_FACTS_VERSION } from "../scanner/secrets/layer-scan.js";
import { catalogTarget, type LayerCache, type LayerFacts } from "../scanner/image/index.js";
import { matchSbom } from "../scanner/match/index.js";
import { severityCounts } from "../scanner/report/counts.js";
import { secretCounts } from "../scanner/report/secrets.js";
import type { Finding, Sbom } from "../scanner/model.js";
import { digestOf } from "../storage/blobs.js";
import { ACTIVITIES, PACKAGE_VERSION } from "./names.js";
import { services } from "./services.js";
import { latestSnapshot } from "./snapshot.js";
import { CONTAINERS, type FindingRecord, type ImageRecord } from "./state.js";

export interface ImageToScan {
  ref: string;
  digest?: string;
  pushed?: boolean;
}

export interface ScanResult {
  ok: boolean;
  ref: string;
  digest?: string;
  skipped?: string;
  cached?: boolean;
  findings?: number;
  error?: string;
}

// ---- orchestrators -------------------------------------------------------------------------

export const scanImages: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as { images?: ImageToScan[]; clusterIds?: string[] };
  let images = input.images ?? [];
  if (input.clusterIds?.length) {
    const running: ImageToScan[] = yield context.df.callActivity(ACTIVITIES.listRunningImages, { clusterIds: input.clusterIds });
    images = [...images, ...running];
  }
  const results: ScanResult[] = yield context.df.Task.all(images.map((image) => context.df.callActivity(ACTIVITIES.scanImage, image)));
  return {
    scanned: results.filter((r) => r.ok && !r.skipped).length,
    failed: results.filter((r) => !r.ok).length,
    skipped: results.filter((r) => r.skipped).length,
    results,
  };
};

export const refreshFindings: OrchestrationHandler = function* (context: OrchestrationContext) {
  const digests: string[] = yield context.df.callActivity(ACTIVITIES.listRefreshImages, {});
  const results: { ok: boolean; changed: number }[] = yield context.df.Task.all(
    digests.map((digest) => context.df.callActivity(ACTIVITIES.rematchImage, { digest })),
  );
  const clusters: string[] = yield context.df.callActivity(ACTIVITIES.listGraphClusters, {});
  yield context.df.Task.all(clusters.map((clusterId) => context.df.callActivity(ACTIVITIES.buildGraph, { clusterId })));
  return { images: digests.length, changedFindings: results.reduce((n, r) => n + (r.changed ?? 0), 0), failed: results.filter((r) => !r.ok).length };
};

// ---- feed ----------------------------------------------------------------------------------

/** The current feed index lives in Blob behind a pointer; the previous one stays until a new one is complete. */
export class BlobFeedStore implements FeedStore {
  async get(): Promise<FeedIndex | undefined> {
    const { state } = services();
    const p = await state.blobs.getPointer<{ ref: { container: string; name: string; digest: string } }>(CONTAINERS.pointers, "feed/current.json");
    return p ? state.blobs.getJson<FeedIndex>(p.value.ref) : undefined;
  }
  async put(index: FeedIndex): Promise<void> {
    const { state } = services();
    const ref = await state.blobs.putJson(CONTAINERS.feed, "index", index);
    await state.blobs.setPointer(CONTAINERS.pointers, "feed/current.json", { ref, version: index.version });
  }
}

let feedCache: { index: FeedIndex; loadedAt: number } | undefined;

/** The feed index for matching: stored one, else built from the configured directory and stored. */
export async function currentFeed(): Promise<FeedIndex> {
  if (feedCache && Date.now() - feedCache.loadedAt < 60_000) return feedCache.index;
  const store = new BlobFeedStore();
  let index = await store.get();
  if (!index) {
    const dir = services().config.feedDir;
    if (!dir) throw new Error("no advisory feed: run `vantage feed update` or set VANTAGE_FEED_DIR");
    index = await loadFeedDir(dir);
    await store.put(index);
  }
  feedCache = { index, loadedAt: Date.now() };
  return index;
}

/** Daily: download OSV/KEV/EPSS and store a new index; any failure keeps the previous one. */
export async function refreshFeed(): Promise<FeedUpdateResult> {
  const result = await updateFeed(feedSourcesFromEnv(), new BlobFeedStore());
  if (result.status === "updated") resetFeedCache();
  return result;
}

export function resetFeedCache(): void {
  feedCache = undefined;
}

// ---- layer cache ---------------------------------------------------------------------------

/**
 * Per-layer catalog results in Blob: a layer seen once is never downloaded again. The key carries a
 * fingerprint of the cataloger set, the secret facts version and the package version, so new
 * catalogers or secret rules re-read old layers.
 */
export class BlobLayerCache implements LayerCache {
  private static readonly version = digestOf(`${PACKAGE_VERSION}|${CATALOGERS.map((c) => c.name).join(",")}|${SECRET_FACTS_VERSION}`).slice(7, 19);
  private name(layerDigest: string): string {
    return `facts/${BlobLayerCache.version}/${layerDigest.replace(":", "/")}.json.gz`;
  }
  async get(layerDigest: string): Promise<LayerFacts | undefined> {
    return services().state.blobs.getJsonAt<LayerFacts>(CONTAINERS.layers, this.name(layerDigest));
  }
  async put(layerDigest: string, facts: LayerFacts): Promise<void> {
    await services().state.blobs.putJsonAt(CONTAINERS.layers, this.name(layerDigest), facts);
  }
}

// ---- activities ----------------------------------------------------------------------------

/** Images whose containers run in the clusters' latest snapshots, one entry per image. */
export async function listRunningImagesActivity(input: { clusterIds: string[] }): Promise<ImageToScan[]> {
  const seen = new Map<string, ImageToScan>();
  for (const clusterId of input.clusterIds) {
    const latest = await latestSnapshot(clusterId);
    if (!latest) continue;
    for (const pod of latest.snapshot.pods) {
      for (const c of pod.containers) {
        const key = c.imageDigest ?? c.image;
        if (!seen.has(key)) seen.set(key, { ref: c.image, digest: c.imageDigest });
      }
    }
  }
  return [...seen.values()].sort((a, b) => a.ref.localeCompare(b.ref));
}

function findingKey(f: Finding): string {
  return `${f.id}|${f.package.purl}`;
}

/**
 * Replaces an image's findings with `findings`, writing only what changed (Table partition per
 * digest). Idempotent: a retry converges to exactly one row per (image, vulnerability, package).
 */
export async function writeFindings(digest: string, findings: Finding[]): Promise<number> {
  const { state } = services();
  const existing = new Map((await state.findings.all({ partitionKey: digest })).map((r) => [r.rowKey, r.value]));
  const now = new Date().toISOString();
  const upserts = [];
  const keep = new Set<string>();
  for (const f of findings) {
    const key = findingKey(f);
    keep.add(key);
    const prev = existing.get(key);
    const { digest: _d, firstSeen: _f, lastSeen: _l, ...prevFinding } = prev ?? ({} as FindingRecord);
    if (prev && JSON.stringify(prevFinding) === JSON.stringify(f)) continue;
    upserts.push({ partitionKey: digest, rowKey: key, value: { ...f, digest, firstSeen: prev?.firstSeen ?? now, lastSeen: now } });
  }
  const deletes = [...existing.keys()].filter((k) => !keep.has(k)).map((rowKey) => ({ partitionKey: digest, rowKey }));
  if (upserts.length || deletes.length) await state.findings.writeBatch({ upserts, deletes });
  return upserts.length + deletes.length;
}

/** The reference parsed once, or undefined when it is not a valid image reference. */
function tryParseReference(ref: string): ImageReference | undefined {
  try {
    return parseReference(ref);
  } catch {
    return undefined;
  }
}

export async function scanImageActivity(input: ImageToScan): Promise<ScanResult> {
  const { state, config } = services();
  const parsed = tryParseReference(input.ref);
  const host = parsed?.registry.toLowerCase() ?? "";
  // Only registries discovered in onboarded subscriptions are contacted (no SSRF through events or pod specs).
  const registry = host ? await state.registries.get("registry", host) : undefined;
  if (!registry || !parsed) return { ok: true, ref: input.ref, digest: input.digest, skipped: `registry ${host || "(none)"} is not in an onboarded subscription` };
  try {
    const feed = await currentFeed();
    const known = input.digest ? (await state.images.get("image", input.digest))?.value : undefined;
    let sbom: Sbom;
    let cached = false;
    if (known?.sbom) {
      sbom = await state.blobs.getJson<Sbom>(known.sbom);
      cached = true;
    } else {
      const endpoint = config.registryEndpoints[host];
      const pinned = input.digest ?? parsed.digest;
      const selector = pinned ? `@${pinned}` : `:${parsed.tag ?? "latest"}`;
      // A registry mapped to "oci:DIR" is read from OCI layouts DIR/<repository> (no registry installed).
      const base = endpoint && !endpoint.startsWith("oci:") ? new URL(endpoint) : undefined;
      const target = endpoint?.startsWith("oci:")
        ? `oci:${endpoint.slice(4)}/${parsed.repository}${selector}`
        : `registry:${base ? base.host : host}/${parsed.repository}${selector}`;
      sbom = await catalogTarget(target, {
        credential: config.credential,
        plainHttp: base?.protocol === "http:",
        layerCache: new BlobLayerCache(),
      });
    }
    const digest = sbom.artifact.digest ?? input.digest ?? digestOf(input.ref);
    const findings = matchSbom(sbom, feed);
    const sbomRef = known?.sbom ?? (await state.blobs.putJson(CONTAINERS.sboms, "images", sbom));
    await writeFindings(digest, findings);
    const now = new Date().toISOString();
    const previous = known ?? (await state.images.get("image", digest))?.value;
    const record: ImageRecord = {
      ...previous,
      digest,
      refs: [...new Set([...(previous?.refs ?? []), input.ref.replace(/@sha256:[0-9a-f]{64}$/, "")])].sort(),
      registry: host,
      repository: parsed.repository,
      os: sbom.artifact.os ? `${sbom.artifact.os.family} ${sbom.artifact.os.version}` : previous?.os,
      sbom: sbomRef,
      packages: sbom.packages.length,
      scannedAt: now,
      pushedAt: input.pushed ? now : previous?.pushedAt,
      lastSeenRunningAt: input.pushed ? previous?.lastSeenRunningAt : now,
      feedVersion: feed.version.hash,
      counts: severityCounts(findings),
      secrets: sbom.secrets ? secretCounts(sbom.secrets) : undefined,
      error: undefined,
    };
    await state.images.upsert("image", digest, record);
    return { ok: true, ref: input.ref, digest, cached, findings: findings.length };
  } catch (err) {
    return { ok: false, ref: input.ref, digest: input.digest, error: ensureError(err).message };
  }
}

/** Daily refresh scope (Defender's): pushed in 90 days, seen running in 30. */
export async function listRefreshImagesActivity(): Promise<string[]> {
  const now = Date.now();
  const day = 86_400_000;
  return (await services().state.images.all({ partitionKey: "image" }))
    .map((r) => r.value)
    .filter((i) => i.sbom && ((i.pushedAt && now - Date.parse(i.pushedAt) < 90 * day) || (i.lastSeenRunningAt && now - Date.parse(i.lastSeenRunningAt) < 30 * day)))
    .map((i) => i.digest)
    .sort();
}

/** Re-matches a stored SBOM against the current feed: no registry call, only changed findings written. */
export async function rematchImageActivity(input: { digest: string }): Promise<{ ok: boolean; changed: number; error?: string }> {
  const { state } = services();
  try {
    const row = await state.images.get("image", input.digest);
    if (!row?.value.sbom) return { ok: false, changed: 0, error: "no stored SBOM" };
    const feed = await currentFeed();
    const sbom = await state.blobs.getJson<Sbom>(row.value.sbom);
    const findings = matchSbom(sbom, feed);
    const changed = await writeFindings(input.digest, findings);
    if (changed || row.value.feedVersion !== feed.version.hash) {
      await state.images.upsert("image", input.digest, { ...row.value, feedVersion: feed.version.hash, counts: severityCounts(findings) });
    }
    return { ok: true, changed };
  } catch (err) {
    return { ok: false, changed: 0, error: ensureError(err).message };
  }
}

/**
 * ImageDeleted: the registry no longer has the image. If a cluster still runs it, its findings
 * stay (they are still true where it runs) and only the deleted reference is dropped; otherwise
 * the findings and the record go (the SBOM blob is content-addressed and kept).
 */
export async function removeImage(digest: string, repository?: string): Promise<{ removed: number; stillRunning: boolean }> {
  const { state } = services();
  const running = (await state.graphs.all({ partitionKey: "graph" })).some((g) => g.value.imageDigests?.includes(digest));
  const record = (await state.images.get("image", digest))?.value;
  if (running) {
    if (record && repository) {
      const refs = record.refs.filter((r) => !r.toLowerCase().startsWith(`${repository.toLowerCase()}:`) && r.toLowerCase() !== repository.toLowerCase());
      await state.images.upsert("image", digest, { ...record, refs: refs.length ? refs : record.refs, pushedAt: undefined });
    }
    return { removed: 0, stillRunning: true };
  }
  const rows = await state.findings.all({ partitionKey: digest });
  await state.findings.writeBatch({ deletes: rows.map((r) => ({ partitionKey: r.partitionKey, rowKey: r.rowKey })) });
  await state.images.delete("image", digest);
  return { removed: rows.length, stillRunning: false };
}
