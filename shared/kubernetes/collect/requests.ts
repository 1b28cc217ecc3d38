// One GET with brief retries for what is worth retrying: network errors, timeouts, 429 and 5xx, and
// one 401 (the token callback may hand out a fresh token).
import type { ApiResponse, KubeClient } from "./client.js";
import { KubernetesApiError, KubernetesAuthError, statusMessage } from "./errors.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function getWithRetry(client: KubeClient, path: string, accept: string | undefined, retries: number): Promise<ApiResponse> {
  for (let attempt = 0; ; attempt++) {
    let res: ApiResponse | undefined;
    let failure: unknown;
    try {
      res = await client.get(path, accept);
    } catch (err) {
      failure = err;
    }
    const transient = !res || res.status === 429 || res.status >= 500;
    // One retry on 401 too: the token callback may hand out a fresh token.
    const retryAuth = res?.status === 401 && attempt === 0;
    if ((!transient && !retryAuth) || attempt >= retries) {
      if (res) return res;
      throw failure;
    }
    await sleep(Math.min(res?.retryAfterMs ?? 100 * 2 ** attempt, 2000));
  }
}

export async function fetchJson(client: KubeClient, path: string): Promise<unknown> {
  const res = await getWithRetry(client, path, undefined, 2);
  if (res.status === 401) throw authError(client, res.body);
  if (res.status !== 200) {
    const s = statusMessage(res.body);
    throw new KubernetesApiError(`GET ${path}: ${res.status} ${s.message ?? s.reason ?? ""}`.trim(), res.status, s.reason, path);
  }
  return res.body;
}

export function authError(client: KubeClient, body: unknown): KubernetesAuthError {
  const s = statusMessage(body);
  return new KubernetesAuthError(`the Kubernetes API at ${client.server} rejected the credentials (401 ${s.message ?? "Unauthorized"})`, 401, "Unauthorized");
}

