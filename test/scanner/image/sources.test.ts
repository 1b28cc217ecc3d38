import { mkdir, mkdtemp, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage, buildIndex, writeDockerArchive, writeOciLayout, type BuiltImage } from "../../../demo/runtime/images/index.js";
import { catalogTarget, collectTarget, MemoryLayerCache, parseTarget } from "../../../shared/scanner/image/index.js";
import { main } from "../../../shared/cli/main.js";
import { dpkgStatus, testAssemble, TEST_CATALOGERS } from "./helpers.js";

let tmp: string;
let img: BuiltImage;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-sources-"));
  img = await buildImage([
    { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }, { path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2"], ["zlib1g", "1.2"]]) }] },
    { files: [{ path: "etc", type: "opaque" }, { path: "etc/os-release", content: "ID=ubuntu\nVERSION_ID=24.04\n" }], compression: "zstd" },
  ]);
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const opts = { catalogers: TEST_CATALOGERS, assemble: testAssemble };

describe("parseTarget", () => {
  it("recognizes each target form", () => {
    expect(parseTarget("dir:rootfs", "/w")).toEqual({ kind: "dir", path: "/w/rootfs" });
    expect(parseTarget("oci:/x/layout:v1")).toEqual({ kind: "oci", path: "/x/layout:v1" });
    expect(parseTarget("docker-archive:img.tar", "/w")).toEqual({ kind: "docker-archive", path: "/w/img.tar" });
    expect(parseTarget("registry:alpine:3.19")).toMatchObject({ kind: "registry", reference: { registry: "registry-1.docker.io", repository: "library/alpine", tag: "3.19" } });
    expect(parseTarget("myacr.azurecr.io/app:1")).toMatchObject({ kind: "registry", reference: { registry: "myacr.azurecr.io" } });
    expect(() => parseTarget("alpine")).toThrow(/unrecognized target "alpine"/);
  });
});

describe("dir:", () => {
  it("walks a root filesystem without following symlinks out of it", async () => {
    const root = join(tmp, "rootfs");
    const outside = join(tmp, "outside");
    await mkdir(join(root, "etc"), { recursive: true });
    await mkdir(join(root, "var/lib/dpkg"), { recursive: true });
    await mkdir(join(outside, "dpkg"), { recursive: true });
    await writeFile(join(outside, "os-release"), "ID=evil\n");
    await writeFile(join(outside, "dpkg", "status"), dpkgStatus([["evil", "1"]]));
    await symlink(join(outside, "os-release"), join(root, "etc/os-release"));
    await symlink(join(outside, "dpkg"), join(root, "var/lib/dpkg2"));
    await writeFile(join(root, "var/lib/dpkg/status"), dpkgStatus([["bash", "5.2"]]));
    const sbom = await catalogTarget(`dir:${root}`, opts);
    expect(sbom.packages.map((p) => p.name)).toEqual(["bash"]);
    expect(sbom.artifact.os).toBeUndefined();
    expect(sbom.artifact.digest).toBeUndefined();
    await expect(catalogTarget(`dir:${join(tmp, "missing")}`, opts)).rejects.toThrow(/no such directory/);
  });
});

describe("oci:", () => {
  it("reads a layout, applying an opaque directory from the upper layer", async () => {
    const dir = join(tmp, "layout");
    await writeOciLayout(dir, [{ image: img, tag: "v1" }]);
    const sbom = await catalogTarget(`oci:${dir}`, opts);
    expect(sbom.artifact).toMatchObject({ digest: img.manifestDigest, os: { family: "ubuntu", version: "24.04" } });
    expect(sbom.packages.map((p) => p.name)).toEqual(["bash", "zlib1g"]);
    expect((await catalogTarget(`oci:${dir}:v1`, opts)).artifact.tag).toBe("v1");
    expect((await catalogTarget(`oci:${dir}@${img.manifestDigest}`, opts)).artifact.digest).toBe(img.manifestDigest);
    await expect(catalogTarget(`oci:${dir}:v2`, opts)).rejects.toThrow(/no image tagged "v2" \(tags: v1\)/);
  });

  it("selects the platform from an index and caches layers by digest", async () => {
    const arm = await buildImage([{ files: [{ path: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.20\n" }] }], { platform: { os: "linux", architecture: "arm64" } });
    const dir = join(tmp, "multi");
    await writeOciLayout(dir, [{ image: buildIndex([{ image: img, platform: { os: "linux", architecture: "amd64" } }, { image: arm, platform: { os: "linux", architecture: "arm64" } }]), tag: "latest" }]);
    const cache = new MemoryLayerCache();
    const first = await collectTarget(`oci:${dir}`, { ...opts, platform: "linux/arm64", layerCache: cache });
    expect(first.files[0].facts.os?.family).toBe("alpine");
    expect(first.stats.layerBytesFetched).toBeGreaterThan(0);
    const again = await collectTarget(`oci:${dir}`, { ...opts, platform: "linux/arm64", layerCache: cache });
    expect(again.stats).toMatchObject({ layerBytesFetched: 0, layersFromCache: 1 });
  });

  it("detects a tampered blob", async () => {
    const dir = join(tmp, "tampered");
    await writeOciLayout(dir, [{ image: img }]);
    const layer = img.layers[0].descriptor.digest;
    const blob = Buffer.from(img.blobs.get(layer)!);
    blob[blob.length - 1] ^= 1;
    await writeFile(join(dir, "blobs/sha256", layer.slice(7)), blob);
    await expect(catalogTarget(`oci:${dir}`, opts)).rejects.toThrow(/digest mismatch|corrupt or truncated gzip/);
  });
});

describe("docker-archive:", () => {
  for (const variant of ["legacy", "oci"] as const) {
    it(`reads a ${variant} docker save archive`, async () => {
      const file = join(tmp, `${variant}.tar`);
      await writeDockerArchive(file, img, { repoTags: ["example/app:1.0"], variant });
      const cache = new MemoryLayerCache();
      const sbom = await catalogTarget(`docker-archive:${file}`, { ...opts, layerCache: cache });
      expect(sbom.artifact).toMatchObject({ repository: "example/app", tag: "1.0", os: { family: "ubuntu" } });
      expect(sbom.artifact.digest).toBe(variant === "oci" ? img.manifestDigest : img.configDescriptor.digest);
      expect(sbom.packages.map((p) => p.name)).toEqual(["bash", "zlib1g"]);
      expect(sbom.artifact.layers).toEqual(variant === "legacy" ? img.layers.map((l) => l.diffId) : img.layers.map((l) => l.descriptor.digest));
      expect(cache.size).toBe(2);
    });
  }

  it("fails clearly on something that is not a docker save archive", async () => {
    const file = join(tmp, "junk.tar");
    await writeFile(file, Buffer.alloc(4096, 0x41));
    await expect(catalogTarget(`docker-archive:${file}`, opts)).rejects.toThrow(/not a tar archive/);
    await expect(catalogTarget(`docker-archive:${join(tmp, "nope.tar")}`, opts)).rejects.toThrow(/no such file/);
  });
});

describe("vantage sbom", () => {
  function capture() {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd: tmp }, out, err };
  }
  it("exits 2 with one line naming the target on bad input", async () => {
    const c = capture();
    expect(await main(["sbom", "oci:does-not-exist"], c.io)).toBe(2);
    expect(c.err.join("").trim().split("\n")).toHaveLength(1);
    expect(c.err.join("")).toMatch(/^vantage sbom: oci:does-not-exist: /);
    const d = capture();
    expect(await main(["sbom", "dir:.", "--format", "xml"], d.io)).toBe(2);
    expect(d.err.join("")).toMatch(/--format must be one of cyclonedx-json, json, table/);
  });
  it("prints an SBOM for a layout (no progress when stderr is not a TTY)", async () => {
    const dir = join(tmp, "cli-layout");
    await writeOciLayout(dir, [{ image: img }]);
    const c = capture();
    const code = await main(["sbom", `oci:${dir}`, "--format", "json"], c.io);
    expect(c.err.join("")).toBe("");
    expect(code).toBe(0);
    const doc = JSON.parse(c.out.join(""));
    expect(doc.target).toBe(`oci:${dir}`);
    expect(doc.artifact.digest).toBe(img.manifestDigest);
  });
});
