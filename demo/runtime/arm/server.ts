// A loopback HTTPS ARM emulator serving exactly the operations Vantage uses (see routes.ts), with
// per-operation fault injection and a call log. HTTPS because the SDKs' bearer-token policy refuses
// plain HTTP; the self-signed certificate is generated at start and handed to the caller as
// `caCert`, to be trusted for this connection only (ArmConnection.tls.ca) — never globally.
import { createServer, type Server } from "node:https";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import type { AccessToken, TokenCredential } from "@azure/core-auth";
import { createLoopbackCertificate } from "./tls.js";
import { type EstateFile, loadEstate } from "./estate.js";
import { type Fault, FaultRegistry, faultCode } from "./faults.js";
import { ArmState } from "./state.js";
import { ArmHttpError, type ArmRequest, type ArmResponse, matchRoute, type RouteOptions } from "./routes.js";
import { matchReadRoute, seedAuthorization, seedManagementGroups } from "./authorization-reads.js";

export const EMULATOR_TOKEN = "vantage-arm-emulator-token";

export interface ArmCall {
  method: string;
  path: string;
  operationId?: string;
  status: number;
  /** True when an injected fault produced the status. */
  injected?: boolean;
  at: number;
}

export interface ArmEmulatorOptions {
  /** Defaults to demo/arm/estate.json. */
  estate?: EstateFile;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Cluster name → API server address (e.g. the Kubernetes emulator's 127.0.0.1:PORT). */
  fqdnOverrides?: Record<string, string>;
  /** Items per list page before a nextLink (default 100). */
  pageSize?: number;
  /** InProgress polls before an async operation succeeds (default 1). */
  lroPolls?: number;
  /** Retry-After on long-running operation responses, seconds (default 0). */
  lroRetryAfterSeconds?: number;
  /** Trusted-access binding PUT: "sync" (documented example, default) or "lro" (operation headers). */
  trustedAccessPut?: "sync" | "lro";
  /** Simulated ARM latency added to every request, ms (default 0). */
  latencyMs?: number;
}

export interface ArmEmulator {
  endpoint: string;
  credential: TokenCredential;
  /** PEM of the emulator's self-signed certificate: trust exactly this (ArmConnection.tls.ca). */
  caCert: string;
  faults: { set(operationId: string, fault: Fault): void; clear(operationId?: string): void };
  calls: ArmCall[];
  state: ArmState;
  /** TLS connections accepted (keep-alive reuse shows as few connections for many calls). */
  stats: { tlsConnections: number };
  stop(): Promise<void>;
}

/** A TokenCredential for the emulator: a fixed fake token, never a real one. */
export function emulatorCredential(token = EMULATOR_TOKEN): TokenCredential {
  return {
    async getToken(): Promise<AccessToken> {
      return { token, expiresOnTimestamp: Date.now() + 3_600_000 };
    },
  };
}

export async function startArmEmulator(options: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  const estate = options.estate ?? loadEstate();
  const state = new ArmState(estate, options.fqdnOverrides);
  for (const sub of estate.subscriptions) seedAuthorization(state, sub.subscriptionId, sub);
  seedManagementGroups(state, estate.managementGroups);
  const faults = new FaultRegistry();
  const calls: ArmCall[] = [];
  const routeOptions: RouteOptions = {
    pageSize: options.pageSize ?? 100,
    lroPolls: options.lroPolls ?? 1,
    lroRetryAfterSeconds: options.lroRetryAfterSeconds ?? 0,
    trustedAccessPut: options.trustedAccessPut ?? "sync",
  };
  const tls = createLoopbackCertificate();
  let endpoint = "";

  const server: Server = createServer({ cert: tls.cert, key: tls.key }, (req, res) => {
    void handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) send(res, { status: 500, body: { error: { code: "InternalServerError", message: String(err) } } });
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", endpoint);
    const path = decodeURIComponent(url.pathname).replace(/\/+$/, "");
    const method = (req.method ?? "GET").toUpperCase();
    const raw = await readBody(req);
    if (options.latencyMs) await new Promise((r) => setTimeout(r, options.latencyMs));
    const found = matchReadRoute(method, path) ?? matchRoute(method, path);
    const operationId = found && "route" in found ? found.route.operationId : undefined;
    const log = (status: number, injected = false) => calls.push({ method, path, operationId, status, at: Date.now(), ...(injected ? { injected } : {}) });

    const reply = (response: ArmResponse, injected = false) => {
      log(response.status, injected);
      send(res, response);
    };
    const error = (e: ArmHttpError, headers?: Record<string, string>) =>
      reply({ status: e.status, body: { error: { code: e.code, message: e.message } }, ...(headers ? { headers } : {}) });

    const auth = req.headers.authorization;
    if (!auth || !/^Bearer\s+\S+/i.test(auth)) {
      return error(new ArmHttpError(401, "AuthenticationFailed", "Authentication failed. The 'Authorization' header is missing."));
    }
    if (auth.replace(/^Bearer\s+/i, "") !== EMULATOR_TOKEN) {
      return error(new ArmHttpError(401, "InvalidAuthenticationToken", "The access token is invalid."));
    }

    const fault = faults.take(operationId ?? "unknown", path);
    if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
    if (fault?.status) {
      const headers: Record<string, string> = fault.retryAfterSeconds !== undefined ? { "Retry-After": String(fault.retryAfterSeconds) } : {};
      const code = faultCode(fault);
      return reply({ status: fault.status, headers, body: { error: { code, message: fault.message ?? `Injected fault: ${code}` } } }, true);
    }

    const sub = /^\/subscriptions\/([^/]+)/i.exec(path)?.[1];
    if (!found) {
      return error(new ArmHttpError(sub ? 400 : 404, sub ? "InvalidResourceType" : "NotFound", `No route for ${method} ${path} in the ARM emulator.`));
    }
    if ("methodNotAllowed" in found) {
      return error(new ArmHttpError(405, "MethodNotAllowed", `The requested resource does not support http method '${method}'.`));
    }
    const { route, match } = found;
    const apiVersion = url.searchParams.get("api-version");
    if (!apiVersion) {
      return error(new ArmHttpError(400, "MissingApiVersionParameter", "The api-version query parameter (?api-version=) is required for all requests."));
    }
    if (!route.apiVersions.includes(apiVersion)) {
      return error(
        new ArmHttpError(400, "NoRegisteredProviderFound", `No registered resource provider found for API version '${apiVersion}'. The supported api-versions are '${route.apiVersions.join(", ")}'.`),
      );
    }
    if (sub && !state.subscriptions.has(sub.toLowerCase())) {
      return error(new ArmHttpError(404, "SubscriptionNotFound", `The subscription '${sub}' could not be found.`));
    }
    let body: unknown;
    if (raw.length > 0) {
      try {
        body = JSON.parse(raw);
      } catch {
        return error(new ArmHttpError(400, "InvalidRequestContent", "The request content was invalid and could not be deserialized."));
      }
    }
    const armRequest: ArmRequest = { method, url, path, body, endpoint };
    try {
      reply(route.handle(armRequest, match, state, routeOptions));
    } catch (e) {
      if (e instanceof ArmHttpError) return error(e);
      throw e;
    }
  }

  const stats = { tlsConnections: 0 };
  server.on("secureConnection", () => stats.tlsConnections++);

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    credential: emulatorCredential(),
    caCert: tls.cert,
    faults: { set: (id, fault) => faults.set(id, fault), clear: (id) => faults.clear(id) },
    calls,
    state,
    stats,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function send(res: ServerResponse, response: ArmResponse): void {
  const headers: Record<string, string> = {
    "x-ms-request-id": randomUUID(),
    "x-ms-correlation-request-id": randomUUID(),
    ...response.headers,
  };
  if (response.body !== undefined) {
    const text = JSON.stringify(response.body);
    res.writeHead(response.status, { ...headers, "Content-Type": "application/json; charset=utf-8", "Content-Length": Buffer.byteLength(text) });
    res.end(text);
  } else {
    res.writeHead(response.status, { ...headers, "Content-Length": 0 });
    res.end();
  }
}
