// Registry client (OCI distribution spec / Docker Registry HTTP API v2): ping, manifests, verified
// blob streams, push. Authentication follows the 401 challenge: Basic with the given credentials,
// Bearer through the challenge's token realm (anonymous, Basic, or ACR's Entra exchange).
import type { TokenCredential } from "@azure/identity";
import type { Readable } from "node:stream";
import { acrAccessToken, acrRefreshToken, entraTokenForAcr } from "./acr.js";
import { parseChallenges, type Challenge } from "./challenge.js";
import { assertDigest, sha256Digest, VerifyingStream } from "./digest.js";
import { nextLink, parseAcrManifests, parseRepositories, parseTags, type AcrManifest } from "./listing.js";
import { RegistryError } from "./errors.js";
import { DEFAULT_HTTP, send, type HttpOptions, type HttpResponse } from "./http.js";
import {
  DEFAULT_PLATFORM,
  MAX_MANIFEST_BYTES,
  parseImageConfig,
  parseManifest,
  selectPlatform,
  type AnyManifest,
  type Descriptor,
  type ImageConfig,
  type ImageManifest,
  type Platform,
} from "./manifest.js";
import { MANIFEST_ACCEPT } from "./media-types.js";
import { formatReference, isLoopbackHost, type ImageReference } from "./reference.js";
import { DEFAULT_RETRY, type RetryPolicy } from "./retry.js";

/** One listing page (1,000 repositories or manifests with tags is well under 1 MiB). */
const MAX_LISTING_BYTES = 8 * 1024 * 1024;

export interface RegistryClientOptions {
  /** Use http://; defaults to true for loopback registries only. */
  plainHttp?: boolean;
  auth?: { username: string; password: string };
  /** Entra credential for Azure Container Registry's token exchange. */
  credential?: TokenCredential;
  tenant?: string;
  retry?: Partial<RetryPolicy>;
  /** Per-request timeout; while a body streams, the longest wait for the next chunk. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

export interface RegistryStats {
  requests: number;
  /** Blob bytes received (layers and configs). */
  blobBytes: number;
  blobsFetched: number;
}

export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: AnyManifest;
}

export interface ResolvedImage {
  /** Digest the reference resolves to (an index's digest for multi-platform images). */
  digest: string;
  /** Digest of the platform's image manifest (equals `digest` for single-platform images). */
  manifestDigest: string;
  manifest: ImageManifest;
  config: ImageConfig;
  platform?: Platform;
}

const MAX_ERROR_BODY = 64 * 1024;
const DEFAULT_CHUNK = 8 * 1024 * 1024;

export class RegistryClient {
  readonly stats: RegistryStats = { requests: 0, blobBytes: 0, blobsFetched: 0 };
  readonly baseUrl: string;
  private readonly http: HttpOptions;
  private readonly tokens = new Map<string, string>();
  private basic = false;
  private acrRefresh?: string;

  constructor(
    readonly registry: string,
    private readonly options: RegistryClientOptions = {},
  ) {
    const plain = options.plainHttp ?? isLoopbackHost(registry);
    this.baseUrl = `${plain ? "http" : "https"}://${registry}`;
    this.http = {
      fetch: options.fetch ?? DEFAULT_HTTP.fetch,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      timeoutMs: options.timeoutMs ?? DEFAULT_HTTP.timeoutMs,
    };
  }

  /** GET /v2/: reachability and credentials. */
  async ping(): Promise<void> {
    const res = await this.request("GET", "/v2/", { scope: "" }, `${this.registry} /v2/`);
    await this.expectOk(res, `${this.registry} /v2/`, [200]);
    await res.discard();
  }

  async getManifest(repository: string, reference: string, accept = MANIFEST_ACCEPT): Promise<FetchedManifest> {
    const what = `${this.registry}/${repository}${reference.startsWith("sha256:") ? "@" : ":"}${reference}`;
    const res = await this.request("GET", `/v2/${repository}/manifests/${reference}`, { scope: pullScope(repository), headers: { accept: accept.join(", ") } }, what);
    await this.expectOk(res, what, [200], "manifest unknown");
    const bytes = await res.bytes(MAX_MANIFEST_BYTES, what);
    const digest = sha256Digest(bytes);
    // A digest reference pins the content: verify it. A tag's Docker-Content-Digest is advisory.
    if (reference.startsWith("sha256:") && digest !== reference) {
      throw new RegistryError(`${what}: manifest digest mismatch (got ${digest})`, "DigestMismatch");
    }
    const contentType = res.headers.get("content-type") ?? undefined;
    const manifest = parseManifest(bytes, what, contentType);
    return { digest, mediaType: manifest.mediaType, bytes, manifest };
  }

  /**
   * The digest a tag points to, from a HEAD of the manifest (`Docker-Content-Digest`); registries
   * that omit the header get a GET whose bytes are hashed. No blob is read either way.
   */
  async manifestDigest(repository: string, reference: string, accept = MANIFEST_ACCEPT): Promise<string> {
    const what = `${this.registry}/${repository}:${reference}`;
    const res = await this.request("HEAD", `/v2/${repository}/manifests/${reference}`, { scope: pullScope(repository), headers: { accept: accept.join(", ") } }, what);
    await this.expectOk(res, what, [200], "manifest unknown");
    await res.discard();
    const header = res.headers.get("docker-content-digest") ?? "";
    if (/^sha256:[0-9a-f]{64}$/.test(header)) return header;
    return (await this.getManifest(repository, reference, accept)).digest;
  }

  /** Resolves a reference to one platform's image manifest and config. */
  async resolveImage(ref: ImageReference, platform: Platform = DEFAULT_PLATFORM): Promise<ResolvedImage> {
    const what = formatReference(ref);
    const top = await this.getManifest(ref.repository, ref.digest ?? ref.tag ?? "latest");
    let manifest = top.manifest;
    let manifestDigest = top.digest;
    let chosen: Platform | undefined;
    if (manifest.kind === "index") {
      const entry = selectPlatform(manifest, platform, what);
      chosen = entry.platform;
      const inner = await this.getManifest(ref.repository, entry.digest);
      if (inner.manifest.kind !== "manifest") throw new RegistryError(`${what}: nested index for platform entry ${entry.digest}`, "Unsupported", 422);
      manifest = inner.manifest;
      manifestDigest = inner.digest;
    }
    const config = parseImageConfig(await this.getBlob(ref.repository, manifest.config, MAX_MANIFEST_BYTES), `${what} config`);
    return { digest: top.digest, manifestDigest, manifest, config, platform: chosen };
  }

  /** Small blob (config) read fully, verified. */
  async getBlob(repository: string, desc: Descriptor, max: number): Promise<Buffer> {
    const what = `${this.registry}/${repository}@${desc.digest}`;
    if (desc.size > max) throw new RegistryError(`${what}: blob of ${desc.size} bytes exceeds the ${max}-byte limit`, "TooLarge");
    const res = await this.request("GET", `/v2/${repository}/blobs/${assertDigest(desc.digest, what)}`, { scope: pullScope(repository) }, what);
    await this.expectOk(res, what, [200], "blob unknown");
    const bytes = await res.bytes(max, what);
    this.stats.blobBytes += bytes.length;
    this.stats.blobsFetched++;
    if (sha256Digest(bytes) !== desc.digest) throw new RegistryError(`${what}: digest mismatch`, "DigestMismatch");
    return bytes;
  }

  /**
   * Streams a blob; the stream errors (after its last byte) when the content does not match the
   * digest, or as soon as it exceeds the descriptor's size. Read it to the end.
   */
  async openBlob(repository: string, desc: Descriptor): Promise<Readable> {
    const what = `${this.registry}/${repository}@${desc.digest}`;
    const res = await this.request("GET", `/v2/${repository}/blobs/${assertDigest(desc.digest, what)}`, { scope: pullScope(repository) }, what);
    await this.expectOk(res, what, [200], "blob unknown");
    this.stats.blobsFetched++;
    const verify = new VerifyingStream(desc.digest, desc.size, what, (n) => (this.stats.blobBytes += n));
    const body = res.body();
    body.on("error", (err) => verify.destroy(err));
    return body.pipe(verify);
  }

  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const what = `${this.registry}/${repository}@${digest}`;
    const res = await this.request("HEAD", `/v2/${repository}/blobs/${assertDigest(digest, what)}`, { scope: pushScope(repository) }, what);
    await res.discard();
    if (res.status === 404) return false;
    await this.expectOk(res, what, [200]);
    return true;
  }

  /**
   * Uploads a blob unless present: one PUT when it fits in `chunkSize`, else PATCH chunks with
   * Content-Range and a closing PUT ?digest=.
   */
  async pushBlob(repository: string, data: Buffer, options: { chunkSize?: number } = {}): Promise<string> {
    const digest = sha256Digest(data);
    if (await this.hasBlob(repository, digest)) return digest;
    const what = `${this.registry}/${repository} upload ${digest}`;
    const scope = pushScope(repository);
    const start = await this.request("POST", `/v2/${repository}/blobs/uploads/`, { scope, headers: { "content-length": "0" } }, what);
    await this.expectOk(start, what, [202]);
    await start.discard();
    let location = this.uploadLocation(start, what);
    const chunkSize = options.chunkSize ?? DEFAULT_CHUNK;
    if (data.length > chunkSize) {
      for (let offset = 0; offset < data.length; offset += chunkSize) {
        const chunk = data.subarray(offset, Math.min(data.length, offset + chunkSize));
        const res = await this.request(
          "PATCH",
          location,
          { scope, body: chunk, headers: { "content-type": "application/octet-stream", "content-range": `${offset}-${offset + chunk.length - 1}`, "content-length": String(chunk.length) } },
          what,
        );
        await this.expectOk(res, what, [202]);
        await res.discard();
        location = this.uploadLocation(res, what);
      }
      data = Buffer.alloc(0);
    }
    const sep = location.includes("?") ? "&" : "?";
    const put = await this.request(
      "PUT",
      `${location}${sep}digest=${encodeURIComponent(digest)}`,
      { scope, body: data, headers: { "content-type": "application/octet-stream", "content-length": String(data.length) } },
      what,
    );
    await this.expectOk(put, what, [201]);
    await put.discard();
    return digest;
  }

  async pushManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    const what = `${this.registry}/${repository}:${reference} manifest`;
    const res = await this.request(
      "PUT",
      `/v2/${repository}/manifests/${reference}`,
      { scope: pushScope(repository), body: bytes, headers: { "content-type": mediaType, "content-length": String(bytes.length) } },
      what,
    );
    await this.expectOk(res, what, [201]);
    await res.discard();
    return sha256Digest(bytes);
  }

  /** Every repository (`GET /v2/_catalog`, following `Link: <…>; rel="next"` pages). */
  listRepositories(pageSize = 1000): AsyncGenerator<string[]> {
    return this.pages(`/v2/_catalog?n=${pageSize}`, "registry:catalog:*", `${this.registry} catalog`, parseRepositories);
  }

  /** A repository's tags (`GET /v2/<name>/tags/list`, paged the same way). */
  listTags(repository: string, pageSize = 1000): AsyncGenerator<string[]> {
    return this.pages(`/v2/${repository}/tags/list?n=${pageSize}`, pullScope(repository), `${this.registry}/${repository} tags`, parseTags);
  }

  /** ACR's data-plane repository list (`GET /acr/v1/_catalog`). */
  listAcrRepositories(pageSize = 1000): AsyncGenerator<string[]> {
    return this.pages(`/acr/v1/_catalog?n=${pageSize}`, "registry:catalog:*", `${this.registry} catalog`, parseRepositories);
  }

  /** ACR's manifests of a repository with digests, tags and last-update times, newest first. */
  listAcrManifests(repository: string, pageSize = 1000): AsyncGenerator<AcrManifest[]> {
    return this.pages(`/acr/v1/${repository}/_manifests?n=${pageSize}&orderby=timedesc`, `repository:${repository}:metadata_read`, `${this.registry}/${repository} manifests`, parseAcrManifests);
  }

  private async *pages<T>(first: string, scope: string, what: string, parse: (b: Buffer, what: string) => T[], maxPages = 100_000): AsyncGenerator<T[]> {
    const seen = new Set<string>();
    for (let next: string | undefined = first, n = 0; next && n < maxPages; n++) {
      seen.add(next);
      const res = await this.request("GET", next, { scope, headers: { accept: "application/json" } }, what);
      await this.expectOk(res, what, [200]);
      const link = nextLink(res.headers.get("link"));
      yield parse(await res.bytes(MAX_LISTING_BYTES, what), what);
      if (!link) return;
      const url = new URL(link, this.baseUrl);
      if (url.origin !== new URL(this.baseUrl).origin) throw new RegistryError(`${what}: next page points to another origin`, "BadResponse");
      next = url.pathname + url.search;
      if (seen.has(next)) throw new RegistryError(`${what}: paging loops back to ${next}`, "BadResponse");
    }
  }

  private uploadLocation(res: HttpResponse, what: string): string {
    const loc = res.headers.get("location");
    if (!loc) throw new RegistryError(`${what}: upload response has no Location`, "BadResponse");
    const url = new URL(loc, this.baseUrl);
    if (url.origin !== new URL(this.baseUrl).origin) throw new RegistryError(`${what}: upload Location points to another origin`, "BadResponse");
    return url.pathname + url.search;
  }

  private async request(
    method: string,
    pathOrUrl: string,
    opts: { scope: string; headers?: Record<string, string>; body?: Buffer },
    what: string,
  ): Promise<HttpResponse> {
    const url = new URL(pathOrUrl, this.baseUrl).href;
    const headers = { "user-agent": "vantage", ...opts.headers };
    for (let round = 0; ; round++) {
      this.stats.requests++;
      const res = await send({ method, url, headers, body: opts.body, authorization: this.authorizationFor(opts.scope) }, this.http, what);
      if (res.status !== 401 || round >= 1) return res;
      const challenges = parseChallenges(res.headers.get("www-authenticate"));
      await res.discard();
      if (!(await this.authenticate(challenges, opts.scope, what))) return this.request401(what);
    }
  }

  private request401(what: string): never {
    throw new RegistryError(`${what}: authentication required (HTTP 401)`, "Unauthorized", 401);
  }

  private authorizationFor(scope: string): string | undefined {
    const token = this.tokens.get(scope);
    if (token) return `Bearer ${token}`;
    if (this.basic && this.options.auth) return basicHeader(this.options.auth);
    return undefined;
  }

  /** Answers a challenge; false when we hold nothing that could satisfy it. */
  private async authenticate(challenges: Challenge[], scope: string, what: string): Promise<boolean> {
    const bearer = challenges.find((c) => c.scheme === "bearer");
    if (bearer?.params.realm) {
      this.tokens.set(scope, await this.fetchToken(bearer, scope, what));
      return true;
    }
    if (challenges.some((c) => c.scheme === "basic") && this.options.auth && !this.basic) {
      this.basic = true;
      return true;
    }
    return false;
  }

  private async fetchToken(challenge: Challenge, scope: string, what: string): Promise<string> {
    const realm = challenge.params.realm;
    let realmUrl: URL;
    try {
      realmUrl = new URL(realm);
    } catch {
      throw new RegistryError(`${what}: bearer challenge has an invalid realm`, "AuthFailed", 401);
    }
    if (realmUrl.protocol !== "https:" && realmUrl.protocol !== "http:") throw new RegistryError(`${what}: bearer realm must be http(s)`, "AuthFailed", 401);
    const service = challenge.params.service ?? this.registry;
    const scopeToAsk = scope || challenge.params.scope || "";
    if (this.options.credential) {
      // An Entra token is only ever exchanged with the registry itself (ACR's realm is
      // https://<login server>/oauth2/token): a challenge naming another host gets nothing.
      if (realmUrl.host.toLowerCase() !== this.registry.toLowerCase()) {
        throw new RegistryError(`${what}: bearer realm ${realmUrl.host} is not the registry ${this.registry}; refusing to send it an Entra token`, "AuthFailed", 401);
      }
      const fetchImpl = this.http.fetch;
      if (!this.acrRefresh) {
        const entraToken = await entraTokenForAcr(this.options.credential, this.registry);
        this.acrRefresh = await acrRefreshToken({ baseUrl: realmUrl.origin, service, entraToken, tenant: this.options.tenant, fetch: fetchImpl });
      }
      return acrAccessToken({ baseUrl: realmUrl.origin, service, scope: scopeToAsk, refreshToken: this.acrRefresh, fetch: fetchImpl });
    }
    realmUrl.searchParams.set("service", service);
    if (scopeToAsk) realmUrl.searchParams.set("scope", scopeToAsk);
    const headers: Record<string, string> = { "user-agent": "vantage" };
    const res = await send(
      { method: "GET", url: realmUrl.href, headers, authorization: this.options.auth ? basicHeader(this.options.auth) : undefined },
      this.http,
      `${what} token`,
    );
    if (res.status !== 200) {
      await res.discard();
      throw new RegistryError(`${what}: token endpoint answered HTTP ${res.status}`, "AuthFailed", res.status === 401 || res.status === 403 ? 401 : 502);
    }
    const body = await res.bytes(1 << 20, `${what} token`);
    let doc: Record<string, unknown> = {};
    try {
      doc = JSON.parse(body.toString("utf8")) as Record<string, unknown>;
    } catch {
      /* handled below */
    }
    const token = typeof doc.token === "string" ? doc.token : typeof doc.access_token === "string" ? doc.access_token : undefined;
    if (!token) throw new RegistryError(`${what}: token endpoint returned no token`, "AuthFailed", 401);
    return token;
  }

  private async expectOk(res: HttpResponse, what: string, ok: number[], notFound = "not found"): Promise<void> {
    if (ok.includes(res.status)) return;
    let detail = "";
    try {
      const body = (await res.bytes(MAX_ERROR_BODY, what)).toString("utf8");
      const doc = JSON.parse(body) as { errors?: { code?: string; message?: string }[] };
      const first = doc.errors?.[0];
      if (first) detail = `: ${[first.code, first.message].filter(Boolean).join(" ")}`;
    } catch {
      /* no structured error body */
    }
    if (res.status === 404) throw new RegistryError(`${what}: ${notFound} (HTTP 404${detail ? `, ${detail.slice(2)}` : ""})`, "NotFound", 404);
    if (res.status === 401) throw new RegistryError(`${what}: authentication failed (HTTP 401)${detail}`, "Unauthorized", 401);
    if (res.status === 403) throw new RegistryError(`${what}: access denied (HTTP 403)${detail}`, "Forbidden", 403);
    throw new RegistryError(`${what}: unexpected HTTP ${res.status}${detail}`, "BadResponse", res.status >= 500 ? 502 : 400);
  }
}

function pullScope(repository: string): string {
  return `repository:${repository}:pull`;
}

function pushScope(repository: string): string {
  return `repository:${repository}:pull,push`;
}

function basicHeader(auth: { username: string; password: string }): string {
  return `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString("base64")}`;
}
