// Read-only HTTP access to a Kubernetes API server. @kubernetes/client-node's KubeConfig supplies
// what it is good at — kubeconfig files and contexts, TLS (CA, client certs, skip-verify), exec and
// token authenticators — and requests go out through the agent and headers it configures. Requests
// are raw GETs so that every kind shares one path: chosen Accept headers (metadata-only Secrets),
// untyped JSON for the one normalizer, and exact control of timeouts, 401/403/410 and retries.
import http from "node:http";
import https from "node:https";
import { KubeConfig, type User } from "@kubernetes/client-node";
import { InputError } from "../../errors.js";
import { KubernetesApiError } from "./errors.js";

export interface CollectTarget {
  /** API server URL; with a kubeconfig it overrides the context's cluster server. */
  server?: string;
  /** Bearer token source, called for every request (e.g. an Entra token for AKS scope 6dae42f8-4368-4678-94ff-3960e28e3630/.default). */
  token?: () => Promise<string>;
  kubeconfig?: { file: string; context?: string };
  caData?: string;
  skipTLSVerify?: boolean;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  retryAfterMs?: number;
}

export interface KubeClient {
  server: string;
  /** One GET; network failures and timeouts reject, HTTP statuses resolve. */
  get(path: string, accept?: string): Promise<ApiResponse>;
}

const TOKEN_USER = "vantage-token";
export const AKS_TOKEN_SCOPE = "6dae42f8-4368-4678-94ff-3960e28e3630/.default";

export function kubeConfigFor(target: CollectTarget): KubeConfig {
  const kc = new KubeConfig();
  if (target.kubeconfig) {
    try {
      kc.loadFromFile(target.kubeconfig.file);
    } catch (err) {
      throw new InputError(`${target.kubeconfig.file}: not a readable kubeconfig (${(err as Error).message.split("\n")[0]})`);
    }
    const context = target.kubeconfig.context;
    if (context) {
      if (!kc.getContextObject(context)) throw new InputError(`${target.kubeconfig.file}: no context named "${context}"`);
      kc.setCurrentContext(context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster) throw new InputError(`${target.kubeconfig.file}: the current context names no cluster`);
    if (target.server) (cluster as { server: string }).server = target.server;
    return kc;
  }
  if (!target.server) throw new InputError("a Kubernetes API server URL or a kubeconfig is required");
  // client-node refuses http:// unless TLS verification is "skipped"; there is no TLS to verify.
  const plainHttp = target.server.startsWith("http:");
  kc.loadFromOptions({
    clusters: [{ name: "target", server: target.server, caData: target.caData, skipTLSVerify: Boolean(target.skipTLSVerify) || plainHttp }],
    users: [{ name: TOKEN_USER }],
    contexts: [{ name: "target", cluster: "target", user: TOKEN_USER }],
    currentContext: "target",
  });
  const token = target.token;
  if (token)
    kc.addAuthenticator({
      isAuthProvider: (user: User) => user.name === TOKEN_USER,
      async applyAuthentication(_user, opts) {
        (opts.headers as Record<string, string>).Authorization = `Bearer ${await token()}`;
      },
    });
  return kc;
}

export function createKubeClient(target: CollectTarget, timeoutMs: number): KubeClient {
  const kc = kubeConfigFor(target);
  const server = kc.getCurrentCluster()!.server.replace(/\/+$/, "");
  let agent: http.Agent | undefined;
  return {
    server,
    async get(path, accept = "application/json") {
      const opts: https.RequestOptions = {};
      await kc.applyToHTTPSOptions(opts); // fresh headers per request: tokens refresh
      agent ??= opts.agent as http.Agent;
      const url = new URL(server + path);
      const headers = { ...(opts.headers as Record<string, string>), Accept: accept, "User-Agent": "vantage-snapshot" };
      const transport = url.protocol === "http:" ? http : https;
      return new Promise<ApiResponse>((resolve, reject) => {
        const req = transport.request(url, { method: "GET", headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            clearTimeout(timer);
            const text = Buffer.concat(chunks).toString("utf8");
            let body: unknown = text;
            try {
              body = text ? JSON.parse(text) : undefined;
            } catch {
              if ((res.statusCode ?? 0) < 300) return reject(new KubernetesApiError(`GET ${path}: the server answered with non-JSON content`, res.statusCode ?? 0, undefined, path));
            }
            const retryAfter = Number(res.headers["retry-after"]);
            resolve({ status: res.statusCode ?? 0, body, retryAfterMs: Number.isFinite(retryAfter) ? retryAfter * 1000 : undefined });
          });
        });
        const timer = setTimeout(() => req.destroy(new KubernetesApiError(`GET ${path}: no answer within ${timeoutMs} ms`, 0, "Timeout", path)), timeoutMs);
        req.on("error", (err) => {
          clearTimeout(timer);
          reject(err);
        });
        req.end();
      });
    },
  };
}
