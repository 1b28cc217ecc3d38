// Against a real Distribution registry (Debian's docker-registry): push what our builder makes, pull
// and catalog it back.
import { createServer, type Server } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegistryClient, RegistryError } from "../../shared/registry/index.js";
import { buildImage, buildIndex, pushImage } from "../../demo/runtime/images/index.js";
import { collectTarget, catalogTarget, emptyStatsForTest, MemoryLayerCache } from "./support.js";
import { registryAvailable, startRegistry, type RegistryHandle } from "../../demo/runtime/registry/distribution.js";
import { dpkgStatus, testAssemble, TEST_CATALOGERS } from "../scanner/image/helpers.js";

const HTPASSWD = "alice:$2b$04$A5cygRaZ/bMwAYor2/bgLewVPJH3Ee.SpqT9Kc3O9fzuew.Uq89Ae"; // password "s3cret"

describe.runIf(registryAvailable())("Distribution registry", () => {
  let reg: RegistryHandle;
  let hook: Server;
  const events: unknown[] = [];
  beforeAll(async () => {
    hook = createServer((req, res) => {
      let body = "";
      req.on("data", (c) => (body += c));
      req.on("end", () => {
        try {
          events.push(...(JSON.parse(body).events ?? []));
        } catch {
          /* ignore */
        }
        res.end();
      });
    });
    await new Promise<void>((r) => hook.listen(0, "127.0.0.1", r));
    reg = await startRegistry({ notificationsUrl: `http://127.0.0.1:${(hook.address() as { port: number }).port}/events` });
  });
  afterAll(async () => {
    await reg?.stop();
    await new Promise((r) => hook.close(r));
  });

  it("pushes gzip and zstd layers (chunked upload) and catalogs them with whiteouts applied", async () => {
    const img = await buildImage([
      { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }, { path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2"], ["curl", "7.88"]]) }] },
      { files: [{ path: "var/lib/dpkg/status", type: "whiteout" }, { path: "opt/app/big.bin", content: Buffer.alloc(300_000, 1) }], compression: "zstd" },
      { files: [{ path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2"]]) }], compression: "gzip" },
    ]);
    const client = new RegistryClient(reg.host);
    await client.ping();
    const digest = await pushImage(client, "team/app", "v1", img, { chunkSize: 64 * 1024 });
    expect(digest).toBe(img.manifestDigest);

    const cache = new MemoryLayerCache();
    const stats = emptyStatsForTest();
    const sbom = await catalogTarget(`registry:${reg.host}/team/app:v1`, { catalogers: TEST_CATALOGERS, assemble: testAssemble, layerCache: cache, stats });
    expect(sbom.artifact).toMatchObject({ digest: img.manifestDigest, repository: `${reg.host}/team/app`, tag: "v1", architecture: "amd64", os: { family: "debian", version: "12" } });
    expect(sbom.artifact.layers).toEqual(img.layers.map((l) => l.descriptor.digest));
    expect(sbom.packages.map((p) => [p.name, p.layerDigest])).toEqual([["bash", img.layers[2].descriptor.digest]]);
    expect(stats.layerBytesFetched).toBe(img.layers.reduce((n, l) => n + l.descriptor.size, 0));

    // A rescan with the same cache fetches no layer bytes at all.
    const again = emptyStatsForTest();
    let blobBytes = -1;
    const sbom2 = await catalogTarget(`${reg.host}/team/app@${digest}`, { catalogers: TEST_CATALOGERS, assemble: testAssemble, layerCache: cache, stats: again, registryStats: (s) => (blobBytes = s.blobBytes - img.configBytes.length) });
    expect(sbom2.packages).toEqual(sbom.packages);
    expect(again).toMatchObject({ layerBytesFetched: 0, layersFromCache: 3 });
    expect(blobBytes).toBe(0);
  });

  it("selects a platform from a two-platform index and records the index digest", async () => {
    const amd = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.19\n" }] }]);
    const arm = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.20\n" }] }], { platform: { os: "linux", architecture: "arm64", variant: "v8" } });
    const index = buildIndex([
      { image: amd, platform: { os: "linux", architecture: "amd64" } },
      { image: arm, platform: { os: "linux", architecture: "arm64", variant: "v8" } },
    ]);
    await pushImage(new RegistryClient(reg.host), "multi", "latest", index);
    const a = await collectTarget(`${reg.host}/multi`, { catalogers: TEST_CATALOGERS });
    const b = await collectTarget(`${reg.host}/multi:latest`, { catalogers: TEST_CATALOGERS, platform: "linux/arm64" });
    expect(a.artifact.digest).toBe(index.indexDigest);
    expect(a.files[0].facts.os?.version).toBe("3.19");
    expect(b.files[0].facts.os?.version).toBe("3.20");
    expect(b.artifact.architecture).toBe("arm64");
    await expect(collectTarget(`${reg.host}/multi`, { catalogers: TEST_CATALOGERS, platform: "linux/s390x" })).rejects.toThrow(/no image for platform linux\/s390x/);
  });

  it("answers 404 for an unknown manifest and repository", async () => {
    const err = await collectTarget(`${reg.host}/nope:1`, { catalogers: TEST_CATALOGERS }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.status).toBe(404);
    expect(err.message).toMatch(new RegExp(`^${reg.host}/nope:1: manifest unknown`));
  });

  it("refuses an image with an unknown layer media type before fetching layers", async () => {
    const img = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=x\n" }] }]);
    const manifest = { ...img.manifest, layers: [{ ...img.layers[0].descriptor, mediaType: "application/vnd.example.layer.v1+lz4" }] };
    const client = new RegistryClient(reg.host);
    for (const blob of img.blobs.values()) await client.pushBlob("odd", blob);
    await client.pushManifest("odd", "1", Buffer.from(JSON.stringify(manifest)), img.mediaType);
    const stats = emptyStatsForTest();
    await expect(collectTarget(`${reg.host}/odd:1`, { catalogers: TEST_CATALOGERS, stats })).rejects.toThrow(/unsupported layer media type "application\/vnd.example.layer.v1\+lz4"/);
    expect(stats.layerBytesFetched).toBe(0);
  });

  it("sends push notifications to the configured webhook", async () => {
    const deadline = Date.now() + 10_000;
    while (!events.some((e) => (e as { action?: string }).action === "push") && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(events.some((e) => (e as { action?: string; target?: { repository?: string } }).action === "push")).toBe(true);
  });
});

describe.runIf(registryAvailable())("Distribution registry with htpasswd", () => {
  let reg: RegistryHandle;
  beforeAll(async () => {
    reg = await startRegistry({ htpasswd: HTPASSWD });
  });
  afterAll(async () => reg?.stop());

  it("uses Basic credentials after the challenge, and fails clearly without them", async () => {
    const img = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=debian\n" }] }]);
    const auth = { username: "alice", password: "s3cret" };
    await pushImage(new RegistryClient(reg.host, { auth }), "private", "1", img);
    const got = await collectTarget(`${reg.host}/private:1`, { catalogers: TEST_CATALOGERS, auth });
    expect(got.artifact.digest).toBe(img.manifestDigest);
    const err = await collectTarget(`${reg.host}/private:1`, { catalogers: TEST_CATALOGERS }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.status).toBe(401);
    const wrong = await collectTarget(`${reg.host}/private:1`, { catalogers: TEST_CATALOGERS, auth: { username: "alice", password: "bad" } }).catch((e) => e);
    expect(wrong.message).toMatch(/authentication failed \(HTTP 401\)/);
  });
});
