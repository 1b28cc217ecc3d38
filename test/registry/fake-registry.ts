// A loopback fake of just enough of the distribution API to exercise what a real Distribution
// registry cannot easily be made to do: bearer tokens, redirects to blob storage, throttling, lies.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { BuiltImage, BuiltIndex } from "../../demo/runtime/images/index.js";

export interface FakeOptions {
  /** Require this Basic user:password at the token endpoint. */
  tokenUser?: string;
  /** Answer the first N manifest GETs with this status (429 carries Retry-After: 0). */
  throttle?: { count: number; status: number };
  /** Serve these bytes instead of the real blob (digest mismatch). */
  corruptBlob?: string;
  /** Stop sending a blob's body half-way and hang. */
  stallBlob?: string;
}

export interface Fake {
  host: string;
  storageAuthHeaders: (string | undefined)[];
  tokenRequests: string[];
  manifestRequests: number;
  blobRequests: number;
  stop(): Promise<void>;
}

function listen(server: Server): Promise<number> {
  return new Promise((r) => server.listen(0, "127.0.0.1", () => r((server.address() as { port: number }).port)));
}

export async function startFake(repo: string, tag: string, image: BuiltImage | BuiltIndex, opts: FakeOptions = {}): Promise<Fake> {
  const blobs = new Map<string, Buffer>();
  const manifests = new Map<string, { bytes: Buffer; type: string }>();
  const images = "indexBytes" in image ? image.images : [image];
  for (const img of images) {
    for (const [d, b] of img.blobs) blobs.set(d, b);
    manifests.set(img.manifestDigest, { bytes: img.manifestBytes, type: img.mediaType });
  }
  const top = "indexBytes" in image ? { bytes: image.indexBytes, type: image.mediaType, digest: image.indexDigest } : { bytes: image.manifestBytes, type: image.mediaType, digest: image.manifestDigest };
  manifests.set(tag, top);
  manifests.set(top.digest, top);

  const fake: Fake = { host: "", storageAuthHeaders: [], tokenRequests: [], manifestRequests: 0, blobRequests: 0, stop: async () => {} };
  const storage = createServer((req, res) => {
    fake.storageAuthHeaders.push(req.headers.authorization);
    const digest = decodeURIComponent((req.url ?? "").replace(/^\/blob\//, ""));
    const blob = blobs.get(digest);
    if (!blob) return void res.writeHead(404).end();
    if (opts.stallBlob === digest) {
      res.writeHead(200, { "content-length": String(blob.length) });
      res.write(blob.subarray(0, blob.length >> 1));
      return; // never ends
    }
    const body = opts.corruptBlob === digest ? Buffer.from(blob).fill(0x41, blob.length - 16) : blob;
    res.writeHead(200, { "content-length": String(body.length) }).end(body);
  });
  const storagePort = await listen(storage);
  let throttled = 0;
  const registry = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    const challenge = (scope: string) =>
      res.writeHead(401, { "www-authenticate": `Bearer realm="http://${fake.host}/token",service="fake-registry",scope="${scope}"`, "content-type": "application/json" }).end('{"errors":[{"code":"UNAUTHORIZED"}]}');
    if (url.pathname === "/token") {
      fake.tokenRequests.push(`${url.searchParams.get("service")} ${url.searchParams.get("scope")}`);
      if (opts.tokenUser && req.headers.authorization !== `Basic ${Buffer.from(opts.tokenUser).toString("base64")}`) return void res.writeHead(401).end();
      return void res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ token: `tok:${url.searchParams.get("scope")}` }));
    }
    const m = /^\/v2\/(.+)\/(manifests|blobs)\/([^/]+)$/.exec(url.pathname);
    if (url.pathname === "/v2/") return req.headers.authorization ? void res.writeHead(200).end("{}") : challenge("");
    if (!m) return void res.writeHead(404).end();
    const [, name, kind, ref] = m;
    const scope = `repository:${name}:pull`;
    if (req.headers.authorization !== `Bearer tok:${scope}`) return challenge(scope);
    if (kind === "manifests") {
      fake.manifestRequests++;
      if (opts.throttle && throttled < opts.throttle.count) {
        throttled++;
        return void res.writeHead(opts.throttle.status, opts.throttle.status === 429 ? { "retry-after": "0" } : {}).end();
      }
      const man = name === repo ? manifests.get(ref) : undefined;
      if (!man) return void res.writeHead(404, { "content-type": "application/json" }).end('{"errors":[{"code":"MANIFEST_UNKNOWN","message":"manifest unknown"}]}');
      return void res.writeHead(200, { "content-type": man.type, "content-length": String(man.bytes.length) }).end(man.bytes);
    }
    fake.blobRequests++;
    return void res.writeHead(307, { location: `http://127.0.0.1:${storagePort}/blob/${encodeURIComponent(ref)}` }).end();
  });
  const port = await listen(registry);
  fake.host = `127.0.0.1:${port}`;
  fake.stop = async () => {
    registry.closeAllConnections();
    storage.closeAllConnections();
    await Promise.all([new Promise((r) => registry.close(r)), new Promise((r) => storage.close(r))]);
  };
  return fake;
}
