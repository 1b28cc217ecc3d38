// API discovery: which group versions serve which of the resources we list.
import { KubernetesAuthError } from "./errors.js";
import { fetchJson } from "./requests.js";
import type { KubeClient } from "./client.js";
import type { Limiter } from "./limit.js";
import type { CollectedResource } from "./resources.js";

export interface DiscoveredResource {
  resource: CollectedResource;
  version: string;
}

export interface DiscoveryResult {
  served: DiscoveredResource[];
  missing: CollectedResource[];
  warnings: string[];
}

const resourceNames = (doc: unknown): Set<string> =>
  new Set(((doc as { resources?: { name?: unknown }[] })?.resources ?? []).map((r) => String(r.name)));

export async function discover(client: KubeClient, limit: Limiter, wanted: CollectedResource[]): Promise<DiscoveryResult> {
  const groupsDoc = (await limit(() => fetchJson(client, "/apis"))) as { groups?: { name: string; versions?: { version: string }[] }[] };
  const servedVersions = new Map<string, Set<string>>([["", new Set(["v1"])]]);
  for (const g of groupsDoc.groups ?? []) servedVersions.set(g.name, new Set((g.versions ?? []).map((v) => v.version)));

  const gvs = new Set<string>();
  for (const r of wanted) for (const v of r.versions) if (servedVersions.get(r.group)?.has(v)) gvs.add(r.group ? `${r.group}/${v}` : v);
  const warnings: string[] = [];
  const resourcesByGv = new Map<string, Set<string>>();
  await Promise.all(
    [...gvs].map((gv) =>
      limit(async () => {
        const path = gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`;
        try {
          resourcesByGv.set(gv, resourceNames(await fetchJson(client, path)));
        } catch (err) {
          if (err instanceof KubernetesAuthError) throw err;
          // An unavailable aggregated API must not sink the snapshot: its kinds count as missing.
          warnings.push(`discovery of ${gv} failed: ${(err as Error).message}`);
        }
      }),
    ),
  );

  const served: DiscoveredResource[] = [];
  const missing: CollectedResource[] = [];
  for (const r of wanted) {
    const version = r.versions.find((v) => resourcesByGv.get(r.group ? `${r.group}/${v}` : v)?.has(r.plural));
    if (version) served.push({ resource: r, version });
    else missing.push(r);
  }
  return { served, missing, warnings };
}
