// Chunked list (limit/continue). A 410 Gone means the continue token outlived the server's
// compaction window: the list restarts from scratch, and earlier pages are discarded so the result
// is one consistent list. Transient failures (network, timeout, 429, 5xx) are retried briefly.
import { KubernetesApiError, statusMessage } from "./errors.js";
import type { KubeClient } from "./client.js";
import { authError, getWithRetry } from "./requests.js";

/** Lists every item of one resource, normalizing page by page; returns what the pages kept. */
export async function listAll<T>(client: KubeClient, path: string, options: { pageSize: number; accept?: string; maxRestarts?: number; retries?: number }, normalizePage: (items: unknown[], listKind: string | undefined) => T[]): Promise<T[]> {
  const maxRestarts = options.maxRestarts ?? 3;
  for (let restart = 0; ; restart++) {
    const kept: T[] = [];
    let token: string | undefined;
    let expired = false;
    do {
      const query = new URLSearchParams({ limit: String(options.pageSize) });
      if (token) query.set("continue", token);
      const res = await getWithRetry(client, `${path}?${query}`, options.accept, options.retries ?? 2);
      if (res.status === 410 && token) {
        expired = true;
        break;
      }
      if (res.status === 401) throw authError(client, res.body);
      if (res.status !== 200) {
        const s = statusMessage(res.body);
        throw new KubernetesApiError(`GET ${path}: ${res.status} ${s.message ?? s.reason ?? ""}`.trim(), res.status, s.reason, path);
      }
      const body = res.body as { kind?: string; items?: unknown[]; metadata?: { continue?: string } };
      kept.push(...normalizePage(Array.isArray(body.items) ? body.items : [], body.kind));
      token = body.metadata?.continue || undefined;
    } while (token);
    if (!expired) return kept;
    if (restart >= maxRestarts) throw new KubernetesApiError(`GET ${path}: the list expired (410) ${restart + 1} times while paging`, 410, "Expired", path);
  }
}
