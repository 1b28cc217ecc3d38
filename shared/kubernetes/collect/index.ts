// Live collection: discovery, then one chunked list per served resource (bounded concurrency),
// normalized page by page into the Snapshot model. Read-only (GET only); Secrets are listed as
// metadata only. A 403 on one resource marks that kind not visible (partial snapshot); a 401, or a
// resource that keeps failing (5xx, timeouts), fails the collection.
import { SnapshotBuilder } from "../normalize/builder.js";
import { ShapeError } from "../normalize/fields.js";
import { normalizeObject, type NormalizedObject } from "../normalize/objects.js";
import { scrubSecretValues } from "../normalize/scrub.js";
import type { Snapshot, SnapshotCluster } from "../model.js";
import { createKubeClient, type CollectTarget, type KubeClient } from "./client.js";
import { discover } from "./discovery.js";
import { KubernetesApiError, KubernetesAuthError } from "./errors.js";
import { createLimiter } from "./limit.js";
import { listAll } from "./list.js";
import { COLLECTED_RESOURCES, listPath, METADATA_ONLY_ACCEPT, type CollectedResource } from "./resources.js";

export { AKS_TOKEN_SCOPE, kubeConfigFor, type CollectTarget } from "./client.js";
export { KubernetesApiError, KubernetesAuthError } from "./errors.js";

export interface CollectOptions {
  cluster: SnapshotCluster;
  /** Items per list page (`limit`); default 500. */
  pageSize?: number;
  /** Lists in flight at once; default 4. */
  concurrency?: number;
  /** Per-request timeout; default 30 s. */
  timeoutMs?: number;
  now?: () => Date;
}

type ListOutcome = { resource: CollectedResource; objects: NormalizedObject[]; warnings: string[] } | { resource: CollectedResource; error: KubernetesApiError | Error };

export async function collectSnapshot(target: CollectTarget, options: CollectOptions): Promise<Snapshot> {
  const client = createKubeClient(target, options.timeoutMs ?? 30_000);
  const limit = createLimiter(options.concurrency ?? 4);
  const builder = new SnapshotBuilder({
    source: "live",
    cluster: options.cluster,
    collectedAt: (options.now?.() ?? new Date()).toISOString(),
    expandTemplates: false,
  });

  const found = await discover(client, limit, COLLECTED_RESOURCES);
  for (const w of found.warnings) builder.warn(w);
  for (const r of found.missing) {
    if (r.optional) builder.warn(`${r.kind}: not served by this API server (${r.versions.map((v) => (r.group ? `${r.group}/${v}` : v)).join(", ")}); skipped`);
    else builder.notVisible(r.into, `${r.kind}: not served by this API server`);
  }

  const outcomes = await Promise.all(
    found.served.map(({ resource, version }) =>
      limit(async (): Promise<ListOutcome> => {
        try {
          return { resource, ...(await listResource(client, resource, version, options.pageSize ?? 500)) };
        } catch (err) {
          if (err instanceof KubernetesAuthError) throw err;
          return { resource, error: err as Error };
        }
      }),
    ),
  );

  for (const outcome of outcomes) {
    const { resource } = outcome;
    if ("error" in outcome) {
      const e = outcome.error;
      // What the server refuses for good (RBAC, metadata listing, not served) makes the snapshot
      // partial. What merely failed now (5xx, timeouts, resets) fails the whole collection: a
      // snapshot silently missing every pod would read as "all pods deleted" downstream, so the
      // previous snapshot must stay the latest instead.
      const refused = e instanceof KubernetesApiError && [403, 404, 406].includes(e.status);
      if (!refused) throw new KubernetesApiError(`${resource.kind}: ${e.message}`, e instanceof KubernetesApiError ? e.status : 0, undefined, e instanceof KubernetesApiError ? e.path : undefined);
      const why = e.status === 403 ? "forbidden (403)" : e.status === 406 ? "metadata-only listing not supported (406); values are never requested" : "not found (404)";
      builder.notVisible(resource.into, `${resource.kind}: ${why}`);
      continue;
    }
    for (const w of outcome.warnings) builder.warn(w);
    for (const o of outcome.objects) builder.addNormalized(o);
  }
  return builder.build();
}

async function listResource(client: KubeClient, resource: CollectedResource, version: string, pageSize: number): Promise<{ objects: NormalizedObject[]; warnings: string[] }> {
  const warnings: string[] = [];
  const path = listPath(resource.group, version, resource.plural);
  const accept = resource.metadataOnly ? METADATA_ONLY_ACCEPT : "application/json";
  const objects = await listAll(client, path, { pageSize, accept }, (items) =>
    items.flatMap((item, i) => {
      if (!item || typeof item !== "object") return [];
      const raw = item as Record<string, unknown>;
      // Belt and braces: whatever the server sent, Secret values go before anything reads the item.
      if (resource.kind === "Secret") scrubSecretValues(raw, "Secret");
      raw.kind = resource.kind; // list items carry no kind on the wire
      try {
        const n = normalizeObject(raw, resource.kind, `items[${i}]`);
        return n ? [n] : [];
      } catch (err) {
        if (!(err instanceof ShapeError)) throw err;
        const meta = raw.metadata as { name?: string; namespace?: string } | undefined;
        warnings.push(`${resource.kind} ${meta?.namespace ? `${meta.namespace}/` : ""}${meta?.name ?? "?"}: skipped, ${err.problem} at ${err.path}`);
        return [];
      }
    }),
  );
  return { objects, warnings };
}
