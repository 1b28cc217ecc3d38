// Layer facts are cached per cataloger version: bumping one cataloger's version re-reads the layers
// for that cataloger alone, while every other cataloger's facts come from the cache — observed by
// counting parse calls, layer bytes fetched and, for the Blob cache, the stored blob itself.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage, writeOciLayout } from "../../demo/runtime/images/index.js";
import type { Cataloger } from "../../shared/scanner/catalogers/types.js";
import { catalogTarget, collectTarget, MemoryLayerCache, type LayerCache } from "../../shared/scanner/image/index.js";
import type { PackedLayer } from "../../shared/scanner/image/layer-facts.js";
import { createDependencies } from "../../shared/workflows/dependencies.js";
import { BlobLayerCache } from "../../shared/workflows/repositories/layer-cache.js";
import { CONTAINERS } from "../../shared/workflows/state.js";
import { dpkgCataloger, dpkgStatus, osReleaseCataloger, testAssemble } from "../scanner/image/helpers.js";
import { testStorage, uniqueName } from "../support/storage.js";

let tmp: string;
let target: string;
let layerDigests: string[];

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-layer-cache-"));
  // A nonce file no cataloger reads makes the layer digests new, so the shared Blob container holds nothing for them yet.
  const nonce = { path: "etc/nonce", content: uniqueName("n") };
  const img = await buildImage([
    { files: [nonce, { path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }, { path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2"]]) }] },
    { files: [nonce, { path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2"], ["curl", "7.88"]]) }] },
  ]);
  layerDigests = img.layers.map((l) => l.descriptor.digest);
  await writeOciLayout(join(tmp, "img"), [{ image: img }]);
  target = `oci:${join(tmp, "img")}`;
});
afterAll(async () => rm(tmp, { recursive: true, force: true }));

/** A cataloger that counts its parse calls, at a given version. */
function counted(base: Cataloger, version: number): Cataloger & { parses: number } {
  const c = { ...base, version, parses: 0 };
  c.parse = (path, content) => {
    c.parses++;
    return base.parse(path, content);
  };
  return c;
}

async function exercise(cache: LayerCache, inspect?: () => Promise<PackedLayer | undefined>): Promise<void> {
  const os = counted(osReleaseCataloger, 1);
  const dpkgV1 = counted(dpkgCataloger, 1);
  const scan = (catalogers: Cataloger[]) => collectTarget(target, { catalogers, layerCache: cache });

  const first = await scan([os, dpkgV1]);
  expect([os.parses, dpkgV1.parses]).toEqual([1, 2]);
  expect(first.stats.layerBytesFetched).toBeGreaterThan(0);

  const again = await scan([os, dpkgV1]);
  expect(again.stats).toMatchObject({ layersFromCache: 2, layerBytesFetched: 0 });
  expect([os.parses, dpkgV1.parses]).toEqual([1, 2]);

  // dpkg's version moves on: only dpkg reads the layers again; os-release is served from the cache.
  const dpkgV2 = counted(dpkgCataloger, 2);
  const bumped = await scan([os, dpkgV2]);
  expect([os.parses, dpkgV2.parses]).toEqual([1, 2]);
  expect(bumped.stats.layersFromCache).toBe(0);
  expect(bumped.stats.layerBytesFetched).toBe(first.stats.layerBytesFetched);
  // Same facts as a cold scan: the os from the cached part, the packages from the new walk.
  const cold = await collectTarget(target, { catalogers: [osReleaseCataloger, dpkgCataloger] });
  expect(bumped.files).toEqual(cold.files);
  expect(testAssemble({ target, artifact: {}, files: bumped.files }).packages.map((p) => `${p.name}@${p.version}`)).toEqual(["bash@5.2", "curl@7.88"]);

  // Both parts are now stored at their versions: a rescan reads nothing.
  const settled = await scan([os, dpkgV2]);
  expect(settled.stats).toMatchObject({ layersFromCache: 2, layerBytesFetched: 0 });
  expect([os.parses, dpkgV2.parses]).toEqual([1, 2]);

  if (inspect) {
    const packed = await inspect();
    expect(Object.keys(packed!.catalogers).sort()).toEqual(["dpkg@2", "os-release@1"]);
    expect(packed!.catalogers["os-release@1"]!.map((f) => f.path)).toEqual(["etc/os-release"]);
  }

  // A cataloger new to the set is a partial miss too; a dropped one costs nothing.
  const extra = counted({ name: "extra", matches: (p) => p === "etc/os-release", parse: () => ({ packages: [] }) }, 1);
  await scan([os, dpkgV2, extra]);
  expect([os.parses, dpkgV2.parses, extra.parses]).toEqual([1, 2, 1]);
  expect((await scan([dpkgV2])).stats.layersFromCache).toBe(2);
}

describe("per-cataloger layer cache", () => {
  it("in memory: one cataloger's new version re-reads only its facts", async () => {
    await exercise(new MemoryLayerCache());
  });

  it("in Blob: one blob per layer, each cataloger's part under name@version", async () => {
    const deps = createDependencies({ storage: testStorage(), config: { tablePrefix: uniqueName("lc"), taskHub: uniqueName("lc") } });
    const cache = new BlobLayerCache(deps.state);
    await exercise(cache, () => deps.state.blobs.getJsonAt<PackedLayer>(CONTAINERS.layers, BlobLayerCache.blobName(layerDigests[0]!)));
    // The SBOM a scan assembles from the Blob cache matches one without a cache.
    const catalogers = [osReleaseCataloger, { ...dpkgCataloger, version: 2 }];
    expect(await catalogTarget(target, { catalogers, assemble: testAssemble, layerCache: cache })).toEqual(await catalogTarget(target, { catalogers, assemble: testAssemble }));
  });
});
