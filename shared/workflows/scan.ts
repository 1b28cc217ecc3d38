// Image vulnerability assessment in the pipeline: scan on push, scan what runs, and the daily
// refresh that re-matches stored SBOMs against the current feed without pulling any layer.
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { ensureError } from "../errors.js";
import { parseReference, type ImageReference } from "../registry/reference.js";
import { matchIsolated, sbomSummary, scanIsolated, type SbomSummary } from "../isolation/index.js";
import { severityCounts } from "../scanner/report/counts.js";
import type { Finding, Sbom } from "../scanner/model.js";
import { digestOf, type BlobRef } from "../storage/blobs.js";
import type { Dependencies } from "./dependencies.js";
import { ACTIVITIES } from "./names.js";
import { CONTAINERS, type ImageRecord } from "./state.js";

export interface ImageToScan {
  ref: string;
  digest?: string;
  pushed?: boolean;
  /** Found by the registry inventory: every name it has there and when the registry last updated it. */
  inventory?: { refs: string[]; updatedAt?: string };
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

// ---- activities ----------------------------------------------------------------------------

function laterOf(a: string | undefined, b: string | undefined): string | undefined {
  if (!a || !b) return a ?? b;
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** The reference parsed once, or undefined when it is not a valid image reference. */
function tryParseReference(ref: string): ImageReference | undefined {
  try {
    return parseReference(ref);
  } catch {
    return undefined;
  }
}

/** The scan activities, keyed by their function names. */
export function scanActivities(deps: Dependencies) {
  /** Images whose containers run in the clusters' latest snapshots, one entry per image. */
  async function listRunningImages(input: { clusterIds: string[] }): Promise<ImageToScan[]> {
    const seen = new Map<string, ImageToScan>();
    for (const clusterId of input.clusterIds) {
      const latest = await deps.snapshots.latest(clusterId);
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

  async function scanImage(input: ImageToScan): Promise<ScanResult> {
    const { state, config } = deps;
    const parsed = tryParseReference(input.ref);
    const host = parsed?.registry.toLowerCase() ?? "";
    // Only registries discovered in onboarded subscriptions are contacted (no SSRF through events or pod specs).
    const registry = host ? await state.registries.get("registry", host) : undefined;
    if (!registry || !parsed) return { ok: true, ref: input.ref, digest: input.digest, skipped: `registry ${host || "(none)"} is not in an onboarded subscription` };
    try {
      const feed = await deps.feed.current();
      const known = input.digest ? (await state.images.get("image", input.digest))?.value : undefined;
      let summary: SbomSummary;
      let findings: Finding[];
      let sbomRef: BlobRef;
      let cached = false;
      if (known?.sbom) {
        const sbom = await state.blobs.getJson<Sbom>(known.sbom);
        findings = await matchIsolated(sbom, feed);
        summary = sbomSummary(sbom);
        sbomRef = known.sbom;
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
        // Catalog and match in one pool task; the SBOM arrives serialised and is stored as it is.
        const scanned = await scanIsolated(target, { credential: config.credential, plainHttp: base?.protocol === "http:", layerCache: deps.layers, limits: config.walkLimits }, feed);
        findings = scanned.findings;
        summary = scanned.summary;
        sbomRef = await state.blobs.putCanonicalJson(CONTAINERS.sboms, "images", scanned.sbomJson);
      }
      const digest = summary.digest ?? input.digest ?? digestOf(input.ref);
      await deps.findings.replace(digest, findings);
      const now = new Date().toISOString();
      const previous = known ?? (await state.images.get("image", digest))?.value;
      const record: ImageRecord = {
        ...previous,
        digest,
        refs: [...new Set([...(previous?.refs ?? []), input.ref.replace(/@sha256:[0-9a-f]{64}$/, ""), ...(input.inventory?.refs ?? [])])].sort(),
        registry: host,
        repository: parsed.repository,
        os: summary.os ? `${summary.os.family} ${summary.os.version}` : previous?.os,
        sbom: sbomRef,
        packages: summary.packages,
        scannedAt: now,
        pushedAt: input.pushed ? now : laterOf(previous?.pushedAt, input.inventory?.updatedAt),
        lastSeenRunningAt: input.pushed || input.inventory ? previous?.lastSeenRunningAt : now,
        feedVersion: feed.version.hash,
        counts: severityCounts(findings),
        secrets: summary.secrets,
        error: undefined,
      };
      await state.images.upsert("image", digest, record);
      return { ok: true, ref: input.ref, digest, cached, findings: findings.length };
    } catch (err) {
      return { ok: false, ref: input.ref, digest: input.digest, error: ensureError(err).message };
    }
  }

  /** Daily refresh scope (Defender's): pushed in 90 days, seen running in 30. */
  async function listRefreshImages(): Promise<string[]> {
    const now = Date.now();
    const day = 86_400_000;
    return (await deps.state.images.all({ partitionKey: "image" }))
      .map((r) => r.value)
      .filter((i) => i.sbom && ((i.pushedAt && now - Date.parse(i.pushedAt) < 90 * day) || (i.lastSeenRunningAt && now - Date.parse(i.lastSeenRunningAt) < 30 * day)))
      .map((i) => i.digest)
      .sort();
  }

  /** Re-matches a stored SBOM against the current feed: no registry call, only changed findings written. */
  async function rematchImage(input: { digest: string }): Promise<{ ok: boolean; changed: number; error?: string }> {
    const { state } = deps;
    try {
      const row = await state.images.get("image", input.digest);
      if (!row?.value.sbom) return { ok: false, changed: 0, error: "no stored SBOM" };
      const feed = await deps.feed.current();
      const sbom = await state.blobs.getJson<Sbom>(row.value.sbom);
      const findings = await matchIsolated(sbom, feed);
      const changed = await deps.findings.replace(input.digest, findings);
      if (changed || row.value.feedVersion !== feed.version.hash) {
        await state.images.upsert("image", input.digest, { ...row.value, feedVersion: feed.version.hash, counts: severityCounts(findings) });
      }
      return { ok: true, changed };
    } catch (err) {
      return { ok: false, changed: 0, error: ensureError(err).message };
    }
  }

  return {
    [ACTIVITIES.listRunningImages]: listRunningImages,
    [ACTIVITIES.scanImage]: scanImage,
    [ACTIVITIES.listRefreshImages]: listRefreshImages,
    [ACTIVITIES.rematchImage]: rematchImage,
  };
}
