// The pool's catalog task gives the same SBOM as the host thread (VANTAGE_POOL=inline): secrets
// found in the layer walk and the layer facts the host caches cross the worker boundary intact.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildImage, writeOciLayout } from "../../demo/runtime/images/index.js";
import { DEFAULT_DEADLINES, TaskPool, catalogIsolated, scanIsolated, sbomSummary } from "../../shared/isolation/index.js";
import { canonicalJson } from "../../shared/storage/blobs.js";
import { loadFeedDir } from "../../shared/scanner/feed/index.js";
import { packageRoot } from "../../shared/package-root.js";
import { MemoryLayerCache } from "../../shared/scanner/image/index.js";
import { fake } from "../scanner/secrets/fake-secrets.js";

const pool = new TaskPool({ threads: 1, heapMb: 256, deadlines: DEFAULT_DEADLINES, inline: false });
const inline = new TaskPool({ threads: 1, heapMb: 256, deadlines: DEFAULT_DEADLINES, inline: true });
let tmp: string | undefined;
afterAll(async () => {
  await pool.close();
  await inline.close();
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("catalog task parity", () => {
  it("gives the inline SBOM, secrets and cached layer facts included", async () => {
    tmp = await mkdtemp(join(tmpdir(), "vantage-parity-"));
    const status = "Package: bash\nStatus: install ok installed\nVersion: 5.2.15-2\nArchitecture: amd64\n\n";
    const img = await buildImage([
      { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }, { path: "var/lib/dpkg/status", content: status }] },
      { files: [{ path: "app/.env", content: `GITHUB_TOKEN=${fake.githubToken()}\n` }, { path: "app/lib/requests-2.31.0.dist-info/METADATA", content: "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n" }] },
    ]);
    const dir = join(tmp, "layout");
    await writeOciLayout(dir, [{ image: img, tag: "v1" }]);
    const target = `oci:${dir}:v1`;
    const inlineCache = new MemoryLayerCache();
    const poolCache = new MemoryLayerCache();
    const expected = await catalogIsolated(target, { layerCache: inlineCache }, inline);
    const got = await catalogIsolated(target, { layerCache: poolCache }, pool);
    expect(got).toEqual(expected);
    expect(got.packages.map((p) => p.name).sort()).toEqual(["bash", "requests"]);
    expect(got.secrets?.length).toBeGreaterThan(0);
    // Second run from the host's cache, through the worker: same result.
    expect(await catalogIsolated(target, { layerCache: poolCache }, pool)).toEqual(expected);

    // The combined scan task: the SBOM arrives as its canonical JSON bytes (moved, not cloned),
    // with the record's summary and the findings the inline task gives.
    const feed = await loadFeedDir(join(packageRoot(), "demo", "feed"));
    const inlineScan = await scanIsolated(target, {}, feed, inline);
    const poolScan = await scanIsolated(target, {}, feed, pool);
    expect(poolScan.sbomJson).toBeInstanceOf(Uint8Array);
    expect(Buffer.from(poolScan.sbomJson).toString("utf8")).toBe(canonicalJson(expected));
    expect(poolScan.summary).toEqual(sbomSummary(expected));
    expect(poolScan.summary).toMatchObject({ packages: 2, os: { family: "debian" }, secrets: { total: expected.secrets!.length } });
    expect(poolScan.findings).toEqual(inlineScan.findings);
    expect(Buffer.from(inlineScan.sbomJson).equals(Buffer.from(poolScan.sbomJson))).toBe(true);
  });
});
