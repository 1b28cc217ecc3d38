// Azure Container Registry's data-plane listing in front of Debian's Distribution registry, which
// serves only the distribution API: `GET /acr/v1/_catalog` and `GET /acr/v1/{name}/_manifests` are
// answered from the registry's own storage (the filesystem driver's repositories, tag and revision
// links — their modification times are when a manifest was pushed and when a tag last moved), in
// the shape of ACR's 2021-07-01 REST API: {"repositories":[…]} and {"registry","imageName",
// "manifests":[{digest,imageSize,createdTime,lastUpdateTime,architecture,os,mediaType,
// configMediaType,tags,changeableAttributes}]}, paged by `n` and `last` with an RFC 8288 `Link:
// <…>; rel="next"` header, manifests ordered by `orderby=timedesc|timeasc` (by digest otherwise).
// Everything else is proxied to the registry unchanged; the bytes of blob responses are counted.
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { RegistryHandle } from "./distribution.js";

const V2 = join("docker", "registry", "v2");
const DEFAULT_PAGE = 100;
const MAX_PAGE = 1000;

export interface AcrFrontStats {
  requests: number;
  listingRequests: number;
  manifestRequests: number;
  blobRequests: number;
  /** Bytes of blob (layer and config) bodies served through the front. */
  blobBytes: number;
}

export interface AcrFront {
  /** "127.0.0.1:PORT" */
  host: string;
  url: string;
  stats: AcrFrontStats;
  stop(): Promise<void>;
}

interface ManifestEntry {
  digest: string;
  imageSize: number;
  createdTime: string;
  lastUpdateTime: string;
  architecture?: string;
  os?: string;
  mediaType?: string;
  configMediaType?: string;
  tags: string[];
  changeableAttributes: { deleteEnabled: boolean; writeEnabled: boolean; readEnabled: boolean; listEnabled: boolean };
}

/** ACR writes times with seven fractional digits (.NET ticks). */
function acrTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$10000Z");
}

function blobPath(root: string, digest: string): string {
  const hex = digest.slice("sha256:".length);
  return join(root, V2, "blobs", "sha256", hex.slice(0, 2), hex, "data");
}

async function dirs(path: string): Promise<string[]> {
  try {
    return (await readdir(path, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name);
  } catch {
    return [];
  }
}

/** Repository names: directories holding `_manifests`, below the storage's repositories folder. */
async function repositories(root: string): Promise<string[]> {
  const base = join(root, V2, "repositories");
  const out: string[] = [];
  const walk = async (rel: string, depth: number): Promise<void> => {
    const children = await dirs(join(base, rel));
    if (children.includes("_manifests")) out.push(rel);
    if (depth >= 8) return;
    for (const c of children) if (!c.startsWith("_")) await walk(rel ? `${rel}/${c}` : c, depth + 1);
  };
  await walk("", 0);
  return out.filter(Boolean).sort();
}

async function manifests(root: string, repository: string): Promise<ManifestEntry[] | undefined> {
  const repo = join(root, V2, "repositories", ...repository.split("/"));
  const revisions = join(repo, "_manifests", "revisions", "sha256");
  const hexes = await dirs(revisions);
  if (!hexes.length && !(await dirs(join(repo, "_manifests"))).length) return undefined;
  const tagsByDigest = new Map<string, { tag: string; at: number }[]>();
  for (const tag of await dirs(join(repo, "_manifests", "tags"))) {
    const link = join(repo, "_manifests", "tags", tag, "current", "link");
    try {
      const digest = (await readFile(link, "utf8")).trim();
      const at = (await stat(link)).mtimeMs;
      tagsByDigest.set(digest, [...(tagsByDigest.get(digest) ?? []), { tag, at }]);
    } catch {
      /* a tag being written or deleted */
    }
  }
  const out: ManifestEntry[] = [];
  for (const hex of hexes) {
    const digest = `sha256:${hex}`;
    let created: number;
    let doc: { mediaType?: string; config?: { mediaType?: string; size?: number; digest?: string }; layers?: { size?: number }[]; manifests?: { size?: number }[] };
    try {
      created = (await stat(join(revisions, hex, "link"))).mtimeMs;
      doc = JSON.parse(await readFile(blobPath(root, digest), "utf8"));
    } catch {
      continue; // deleted revision (link gone) or blob not there
    }
    const tags = tagsByDigest.get(digest) ?? [];
    const entry: ManifestEntry = {
      digest,
      imageSize: (doc.config?.size ?? 0) + (doc.layers ?? doc.manifests ?? []).reduce((n, l) => n + (l.size ?? 0), 0),
      createdTime: acrTime(created),
      lastUpdateTime: acrTime(Math.max(created, ...tags.map((t) => t.at))),
      ...(doc.mediaType ? { mediaType: doc.mediaType } : {}),
      ...(doc.config?.mediaType ? { configMediaType: doc.config.mediaType } : {}),
      tags: tags.map((t) => t.tag).sort(),
      changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
    };
    if (doc.config?.digest) {
      try {
        const config = JSON.parse(await readFile(blobPath(root, doc.config.digest), "utf8")) as { architecture?: string; os?: string };
        if (config.architecture) entry.architecture = config.architecture;
        if (config.os) entry.os = config.os;
      } catch {
        /* config not readable: fields stay absent (they are nullable) */
      }
    }
    out.push(entry);
  }
  return out;
}

function pageSize(url: URL): number {
  const n = Number(url.searchParams.get("n") ?? DEFAULT_PAGE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, MAX_PAGE) : DEFAULT_PAGE;
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", "content-length": String(Buffer.byteLength(text)), "docker-distribution-api-version": "registry/2.0", ...headers });
  res.end(text);
}

function acrError(res: ServerResponse, status: number, code: string, message: string, detail: unknown): void {
  sendJson(res, status, { errors: [{ code, message, detail }] });
}

async function serveCatalog(root: string, url: URL, res: ServerResponse): Promise<void> {
  const n = pageSize(url);
  const last = url.searchParams.get("last") ?? "";
  const all = (await repositories(root)).filter((r) => r > last);
  const page = all.slice(0, n);
  const headers: Record<string, string> = {};
  if (all.length > n) headers.link = `</acr/v1/_catalog?last=${encodeURIComponent(page[page.length - 1]!)}&n=${n}&orderby=>; rel="next"`;
  sendJson(res, 200, { repositories: page }, headers);
}

async function serveManifests(root: string, registry: string, name: string, url: URL, res: ServerResponse): Promise<void> {
  const list = await manifests(root, name);
  if (!list) return acrError(res, 404, "NAME_UNKNOWN", "repository name not known to registry", { name });
  const orderby = url.searchParams.get("orderby") ?? "";
  const time = (m: ManifestEntry) => Date.parse(m.lastUpdateTime);
  const byDigest = (a: ManifestEntry, b: ManifestEntry) => (a.digest < b.digest ? -1 : a.digest > b.digest ? 1 : 0);
  if (orderby === "timedesc") list.sort((a, b) => time(b) - time(a) || byDigest(a, b));
  else if (orderby === "timeasc") list.sort((a, b) => time(a) - time(b) || byDigest(a, b));
  else list.sort(byDigest);
  const n = pageSize(url);
  const last = url.searchParams.get("last");
  const start = last ? list.findIndex((m) => m.digest === last) + 1 : 0;
  const page = list.slice(start, start + n);
  const headers: Record<string, string> = {};
  if (start + n < list.length) headers.link = `</acr/v1/${name}/_manifests?last=${encodeURIComponent(page[page.length - 1]!.digest)}&n=${n}&orderby=${orderby}>; rel="next"`;
  sendJson(res, 200, { registry, imageName: name, manifests: page }, headers);
}

function proxy(target: URL, req: IncomingMessage, res: ServerResponse, stats: AcrFrontStats): void {
  const isBlob = req.method === "GET" && /^\/v2\/.+\/blobs\/sha256:[0-9a-f]{64}$/.test(new URL(req.url ?? "/", "http://x").pathname);
  if (isBlob) stats.blobRequests++;
  if (/\/manifests\//.test(req.url ?? "")) stats.manifestRequests++;
  const upstream = request({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
    res.writeHead(answer.statusCode ?? 502, answer.headers);
    if (isBlob) answer.on("data", (chunk: Buffer) => (stats.blobBytes += chunk.length));
    answer.pipe(res);
  });
  upstream.on("error", (err) => {
    if (!res.headersSent) sendJson(res, 502, { errors: [{ code: "UNAVAILABLE", message: err.message }] });
    else res.destroy(err);
  });
  req.pipe(upstream);
}

/** Starts the front on a free loopback port for `registry`, answering as `loginServer`. */
export async function startAcrFront(registry: Pick<RegistryHandle, "url" | "root">, options: { loginServer: string }): Promise<AcrFront> {
  const target = new URL(registry.url);
  const stats: AcrFrontStats = { requests: 0, listingRequests: 0, manifestRequests: 0, blobRequests: 0, blobBytes: 0 };
  const server: Server = createServer((req, res) => {
    stats.requests++;
    const url = new URL(req.url ?? "/", "http://front");
    if (!url.pathname.startsWith("/acr/v1/")) return proxy(target, req, res, stats);
    stats.listingRequests++;
    if (req.method !== "GET") return acrError(res, 405, "UNSUPPORTED", "only GET listings are served here", { method: req.method });
    const handle = async () => {
      if (url.pathname === "/acr/v1/_catalog") return serveCatalog(registry.root, url, res);
      const m = /^\/acr\/v1\/(.+)\/_manifests$/.exec(url.pathname);
      if (m) return serveManifests(registry.root, options.loginServer, decodeURIComponent(m[1]!), url, res);
      acrError(res, 404, "NOT_FOUND", "no such ACR listing here", { path: url.pathname });
    };
    handle().catch((err: Error) => acrError(res, 500, "INTERNAL_ERROR", err.message, {}));
  });
  const port = await new Promise<number>((resolve) => server.listen(0, "127.0.0.1", () => resolve((server.address() as { port: number }).port)));
  const host = `127.0.0.1:${port}`;
  return {
    host,
    url: `http://${host}`,
    stats,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
