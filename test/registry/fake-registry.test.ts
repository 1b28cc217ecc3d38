import { afterEach, describe, expect, it } from "vitest";
import { RegistryError } from "../../shared/registry/index.js";
import { buildImage, type BuiltImage } from "../../demo/runtime/images/index.js";
import { collectTarget, MemoryLayerCache } from "../../shared/scanner/image/index.js";
import { dpkgStatus, TEST_CATALOGERS } from "../scanner/image/helpers.js";
import { startFake, type Fake } from "./fake-registry.js";

const FAST = { retry: { attempts: 3, baseDelayMs: 5, maxDelayMs: 50 }, timeoutMs: 2000 };

async function image(): Promise<BuiltImage> {
  return buildImage([
    { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }] },
    { files: [{ path: "var/lib/dpkg/status", content: dpkgStatus([["openssl", "3.0.11-1"]]) }], compression: "zstd" },
  ]);
}

let fake: Fake | undefined;
afterEach(async () => {
  await fake?.stop();
  fake = undefined;
});

describe("registry client against a bearer-token fake", () => {
  it("gets a scoped token, follows blob redirects without leaking credentials, verifies digests", async () => {
    const img = await image();
    fake = await startFake("team/app", "1.0", img, { tokenUser: "bob:pw" });
    const got = await collectTarget(`${fake.host}/team/app:1.0`, { catalogers: TEST_CATALOGERS, auth: { username: "bob", password: "pw" }, registry: FAST });
    expect(got.artifact.digest).toBe(img.manifestDigest);
    expect(got.files.map((f) => f.path)).toEqual(["etc/os-release", "var/lib/dpkg/status"]);
    expect(fake.tokenRequests).toEqual(["fake-registry repository:team/app:pull"]);
    // Two layers plus nothing else went to storage, and none carried our Authorization header.
    expect(fake.storageAuthHeaders).toHaveLength(3); // config + 2 layers
    expect(fake.storageAuthHeaders.every((h) => h === undefined)).toBe(true);
  });

  it("fails with 401 when the token endpoint refuses the credentials", async () => {
    fake = await startFake("team/app", "1.0", await image(), { tokenUser: "bob:pw" });
    const err = await collectTarget(`${fake.host}/team/app:1.0`, { catalogers: TEST_CATALOGERS, auth: { username: "bob", password: "nope" }, registry: FAST }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toMatch(/token endpoint answered HTTP 401/);
  });

  it("retries 429 (Retry-After) and 503, then succeeds", async () => {
    fake = await startFake("app", "1", await image(), { throttle: { count: 2, status: 429 } });
    const got = await collectTarget(`${fake.host}/app:1`, { catalogers: TEST_CATALOGERS, registry: FAST });
    expect(got.files).toHaveLength(2);
    expect(fake.manifestRequests).toBe(3);
    await fake.stop();
    fake = await startFake("app", "1", await image(), { throttle: { count: 5, status: 503 } });
    const err = await collectTarget(`${fake.host}/app:1`, { catalogers: TEST_CATALOGERS, registry: FAST }).catch((e) => e);
    expect(err.message).toMatch(/HTTP 503/);
    expect(fake.manifestRequests).toBe(3);
  });

  it("reports an unknown manifest as 404 naming the reference", async () => {
    fake = await startFake("app", "1", await image());
    const err = await collectTarget(`${fake.host}/app:2`, { catalogers: TEST_CATALOGERS, registry: FAST }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.status).toBe(404);
    expect(err.message).toBe(`${fake.host}/app:2: manifest unknown (HTTP 404, MANIFEST_UNKNOWN manifest unknown)`);
  });

  it("rejects a blob whose bytes do not match its digest and caches nothing", async () => {
    const img = await image();
    const layer = img.layers[0].descriptor.digest;
    fake = await startFake("app", "1", img, { corruptBlob: layer });
    const cache = new MemoryLayerCache();
    const err = await collectTarget(`${fake.host}/app:1`, { catalogers: TEST_CATALOGERS, registry: FAST, layerCache: cache, concurrency: 1 }).catch((e) => e);
    expect(err.message).toMatch(new RegExp(`${layer}: (digest mismatch|corrupt or truncated gzip)`));
    expect(await cache.get(layer, TEST_CATALOGERS)).toBeUndefined();
  });

  it("times out a stalled blob body instead of hanging", async () => {
    const img = await buildImage([{ files: [{ path: "var/lib/dpkg/status", content: "x".repeat(200_000) }], compression: "none" }]);
    fake = await startFake("app", "1", img, { stallBlob: img.layers[0].descriptor.digest });
    const err = await collectTarget(`${fake.host}/app:1`, { catalogers: TEST_CATALOGERS, registry: { ...FAST, timeoutMs: 300 } }).catch((e) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect(err.message).toMatch(/timed out/);
  });
});
