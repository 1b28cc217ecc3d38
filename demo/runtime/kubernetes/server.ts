// A loopback Kubernetes API server for tests, benchmarks and `npm start`: discovery documents, list
// and get over the real paths, chunked lists (limit/continue, remainingItemCount), 410 Expired for
// stale continue tokens, 403/401/5xx/latency faults, and metadata-only lists for
// `Accept: …;as=PartialObjectMetadataList`. Secrets are served WITH data, like a real server, so
// tests can prove the collector never asks for (or keeps) their values. Read-only: GET only.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFile } from "node:fs/promises";
import { listManifestFiles, parseManifestText } from "../../../shared/kubernetes/manifests/index.js";
import { isNamespaced, materialize } from "./controllers.js";
import { DEFAULT_DISABLED_APIS, groupOfApiVersion, groupVersion, isServed, RESOURCES, storeKey, type EmulatedResource } from "./resources.js";

type Obj = Record<string, any>;

export interface KubernetesEmulatorFaults {
  /** Delay before every response. */
  latencyMs?: number;
  /** Extra delay for requests to one resource, by plural (`{ pods: 2000 }`). */
  slow?: Record<string, number>;
  /** Resources answered 403 Forbidden: a plural (`secrets`) or `group/plural` (`rbac.authorization.k8s.io/clusterroles`). */
  forbidden?: string[];
  /** The next N requests carrying a continue token get 410 Gone (reason Expired). */
  expireContinue?: number;
  /** The next `count` requests (for `resource`, a plural, when given) get a 5xx (default 503). */
  serverErrors?: { count: number; status?: number; resource?: string };
}

export interface KubernetesEmulatorOptions {
  /** Raw objects, or manifest files/directories (as `vantage snapshot --manifests` reads them). */
  objects: unknown[] | string | string[];
  /** When set, requests must carry `Authorization: Bearer <token>` (else 401). */
  token?: string;
  port?: number;
  /** Largest page the server returns whatever `limit` asks for (servers may return fewer). */
  pageSizeMax?: number;
  faults?: KubernetesEmulatorFaults;
  /** Group versions (`batch/v1beta1`) or resources (`discovery.k8s.io/v1/endpointslices`) not served. Default: batch/v1beta1. */
  disabledApis?: string[];
  /** image reference → digest for containerStatuses[].imageID. */
  imageDigests?: Record<string, string>;
  /** Simulate controllers (Deployments → ReplicaSets → Pods, EndpointSlices, status). Default true. */
  materialize?: boolean;
}

export interface RequestLogEntry {
  method: string;
  path: string;
  query: string;
  accept: string;
  status: number;
}

export interface KubernetesEmulator {
  url: string;
  setFaults(faults: KubernetesEmulatorFaults): void;
  stop(): Promise<void>;
  requests: { readonly count: number; readonly log: RequestLogEntry[]; readonly maxInFlight: number; reset(): void };
  /** The served state (after controller simulation). */
  readonly objects: readonly Obj[];
}

const status = (code: number, reason: string, message: string, extra: Obj = {}) => ({
  kind: "Status", apiVersion: "v1", metadata: {}, status: "Failure", message, reason, code, ...extra,
});

async function loadObjects(source: KubernetesEmulatorOptions["objects"]): Promise<unknown[]> {
  if (Array.isArray(source) && (source.length === 0 || typeof source[0] !== "string")) return source as unknown[];
  const paths = typeof source === "string" ? [source] : (source as string[]);
  const objects: unknown[] = [];
  for (const file of await listManifestFiles(paths))
    for (const o of parseManifestText(await readFile(file, "utf8"), file)) objects.push(o.kindHint && !o.raw.kind ? { kind: o.kindHint, ...o.raw } : o.raw);
  return objects;
}

interface Continue {
  rv: number;
  after: string;
}
const encodeContinue = (c: Continue) => Buffer.from(JSON.stringify(c)).toString("base64url");
function decodeContinue(token: string): Continue | undefined {
  try {
    const c = JSON.parse(Buffer.from(token, "base64url").toString("utf8")) as Continue;
    return typeof c.rv === "number" && typeof c.after === "string" ? c : undefined;
  } catch {
    return undefined;
  }
}

export async function startKubernetesEmulator(options: KubernetesEmulatorOptions): Promise<KubernetesEmulator> {
  const raw = await loadObjects(options.objects);
  const objects = options.materialize === false ? (raw as Obj[]) : materialize(raw, { imageDigests: options.imageDigests });
  const disabled = options.disabledApis ?? DEFAULT_DISABLED_APIS;
  const served = RESOURCES.filter((r) => isServed(r, disabled));
  // Faults are copied: counters (expireContinue, serverErrors.count) are consumed as they fire.
  const copyFaults = (f: KubernetesEmulatorFaults): KubernetesEmulatorFaults => ({ ...f, ...(f.serverErrors ? { serverErrors: { ...f.serverErrors } } : {}) });
  let faults = copyFaults(options.faults ?? {});

  // Store by group+kind, sorted by namespace/name like etcd keys; every object gets a resourceVersion.
  const store = new Map<string, Obj[]>();
  let rv = 1000;
  for (const o of objects) {
    if (typeof o?.kind !== "string") continue;
    const key = storeKey(groupOfApiVersion(String(o.apiVersion ?? "v1")), o.kind);
    o.metadata ??= {};
    o.metadata.resourceVersion = String(++rv);
    if (isNamespaced(o.kind)) o.metadata.namespace ??= "default";
    store.set(key, [...(store.get(key) ?? []), o]);
  }
  const sortKey = (o: Obj) => `${o.metadata.namespace ?? ""}/${o.metadata.name}`;
  for (const list of store.values()) list.sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : sortKey(a) > sortKey(b) ? 1 : 0));
  const currentRv = rv;

  const log: RequestLogEntry[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const timers = new Set<NodeJS.Timeout>();

  const send = (res: ServerResponse, code: number, body: unknown, entry: RequestLogEntry) => {
    entry.status = code;
    if (res.destroyed) return;
    res.writeHead(code, { "content-type": "application/json" });
    res.end(JSON.stringify(body));
  };

  const discovery = (path: string): unknown | undefined => {
    if (path === "/version") return { major: "1", minor: "29", gitVersion: "v1.29.7", platform: "linux/amd64" };
    if (path === "/api") return { kind: "APIVersions", versions: ["v1"], serverAddressByClientCIDRs: [{ clientCIDR: "0.0.0.0/0", serverAddress: "10.0.0.1:443" }] };
    const groups = [...new Set(served.filter((r) => r.group).map((r) => r.group))];
    const groupDoc = (g: string) => {
      const versions = [...new Set(served.filter((r) => r.group === g).map((r) => r.version))].map((v) => ({ groupVersion: `${g}/${v}`, version: v }));
      return { name: g, versions, preferredVersion: versions[0] };
    };
    if (path === "/apis") return { kind: "APIGroupList", apiVersion: "v1", groups: groups.map(groupDoc) };
    const m = /^\/apis\/([^/]+)$/.exec(path);
    if (m && groups.includes(m[1]!)) return { kind: "APIGroup", apiVersion: "v1", ...groupDoc(m[1]!) };
    const gv = /^\/api\/(v1)$/.exec(path) ?? /^\/apis\/([^/]+\/[^/]+)$/.exec(path);
    if (gv) {
      const resources = served.filter((r) => groupVersion(r) === gv[1]);
      if (resources.length === 0) return undefined;
      return {
        kind: "APIResourceList", apiVersion: "v1", groupVersion: gv[1],
        resources: resources.map((r) => ({
          name: r.plural, singularName: r.kind.toLowerCase(), namespaced: r.namespaced, kind: r.kind,
          verbs: ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"],
          ...(r.shortNames ? { shortNames: r.shortNames } : {}),
        })),
      };
    }
    return undefined;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, entry: RequestLogEntry) => {
    if (req.method !== "GET") return send(res, 405, status(405, "MethodNotAllowed", `${req.method} is not supported by the emulator`), entry);
    if (options.token !== undefined && req.headers.authorization !== `Bearer ${options.token}`)
      return send(res, 401, status(401, "Unauthorized", "Unauthorized"), entry);
    const url = new URL(req.url ?? "/", "http://emulator");
    const path = url.pathname.replace(/\/+$/, "") || "/";

    const doc = discovery(path);
    if (doc) return send(res, 200, doc, entry);

    const parts = path.split("/").filter(Boolean);
    let group = "";
    let version: string;
    let rest: string[];
    if (parts[0] === "api" && parts.length >= 3) [version, rest] = [parts[1]!, parts.slice(2)];
    else if (parts[0] === "apis" && parts.length >= 4) [group, version, rest] = [parts[1]!, parts[2]!, parts.slice(3)];
    else return send(res, 404, status(404, "NotFound", "the server could not find the requested resource"), entry);

    let namespace: string | undefined;
    if (rest[0] === "namespaces" && rest.length >= 3) [namespace, rest] = [rest[1]!, rest.slice(2)];
    const [plural, name, ...more] = rest;
    const resource = served.find((r) => r.group === group && r.version === version && r.plural === plural);
    if (!resource || more.length > 0 || (namespace !== undefined && !resource.namespaced))
      return send(res, 404, status(404, "NotFound", "the server could not find the requested resource"), entry);

    const groupName = resource.group || '""';
    if (faults.forbidden?.some((f) => f === resource.plural || f === `${resource.group}/${resource.plural}`)) {
      const scope = namespace ? `in the namespace "${namespace}"` : "at the cluster scope";
      return send(res, 403, status(403, "Forbidden", `${resource.plural} is forbidden: User "vantage" cannot ${name ? "get" : "list"} resource "${resource.plural}" in API group ${groupName} ${scope}`, { details: { kind: resource.plural, group: resource.group } }), entry);
    }
    const se = faults.serverErrors;
    if (se && se.count > 0 && (!se.resource || se.resource === resource.plural)) {
      se.count--;
      const code = se.status ?? 503;
      return send(res, code, status(code, code === 503 ? "ServiceUnavailable" : "InternalError", "injected fault"), entry);
    }

    const accept = String(req.headers.accept ?? "");
    const metadataOnly = /as=PartialObjectMetadata(List)?\b/.test(accept);
    const all = (store.get(storeKey(resource.group, resource.kind)) ?? []).filter((o) => namespace === undefined || o.metadata.namespace === namespace);
    const present = (o: Obj, inList: boolean): Obj => {
      if (metadataOnly) return { kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1", metadata: structuredClone(o.metadata) };
      const { kind: _k, apiVersion: _a, ...body } = structuredClone(o);
      // List items carry no kind/apiVersion on the wire; single objects do.
      return inList ? body : { kind: resource.kind, apiVersion: groupVersion(resource), ...body };
    };

    if (name !== undefined) {
      const found = all.find((o) => o.metadata.name === name);
      if (!found) return send(res, 404, status(404, "NotFound", `${resource.plural} "${name}" not found`), entry);
      return send(res, 200, present(found, false), entry);
    }

    let start = 0;
    const token = url.searchParams.get("continue");
    if (token) {
      if (faults.expireContinue && faults.expireContinue > 0) {
        faults.expireContinue--;
        return send(res, 410, status(410, "Expired", "The provided continue parameter is too old to display a consistent list result. You can start a new list without the continue parameter."), entry);
      }
      const c = decodeContinue(token);
      if (!c) return send(res, 400, status(400, "BadRequest", "continue key is not valid: incorrect encoded start resourceVersion (version meta.k8s.io/v1)"), entry);
      start = all.findIndex((o) => sortKey(o) > c.after);
      if (start < 0) start = all.length;
    }
    const asked = Number.parseInt(url.searchParams.get("limit") ?? "", 10);
    let limit = Number.isFinite(asked) && asked > 0 ? asked : all.length - start;
    if (options.pageSizeMax) limit = Math.min(limit, options.pageSizeMax);
    const page = all.slice(start, start + Math.max(limit, 0));
    const remaining = all.length - start - page.length;
    const metadata: Obj = { resourceVersion: String(currentRv) };
    if (remaining > 0 && page.length > 0) {
      metadata.continue = encodeContinue({ rv: currentRv, after: sortKey(page[page.length - 1]!) });
      metadata.remainingItemCount = remaining;
    }
    const body = metadataOnly
      ? { kind: "PartialObjectMetadataList", apiVersion: "meta.k8s.io/v1", metadata, items: page.map((o) => present(o, true)) }
      : { kind: `${resource.kind}List`, apiVersion: groupVersion(resource), metadata, items: page.map((o) => present(o, true)) };
    return send(res, 200, body, entry);
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://emulator");
    const entry: RequestLogEntry = { method: req.method ?? "", path: url.pathname, query: url.search, accept: String(req.headers.accept ?? ""), status: 0 };
    log.push(entry);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    res.on("close", () => inFlight--);
    const slow = Object.entries(faults.slow ?? {}).find(([plural]) => url.pathname.endsWith(`/${plural}`))?.[1] ?? 0;
    const delay = (faults.latencyMs ?? 0) + slow;
    if (delay > 0) {
      const t = setTimeout(() => {
        timers.delete(t);
        handle(req, res, entry);
      }, delay);
      timers.add(t);
    } else handle(req, res, entry);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    objects,
    setFaults(next) {
      faults = copyFaults(next);
    },
    requests: {
      get count() {
        return log.length;
      },
      log,
      get maxInFlight() {
        return maxInFlight;
      },
      reset() {
        log.length = 0;
        maxInFlight = 0;
      },
    },
    async stop() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export type { EmulatedResource };
