import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError, LimitExceededError } from "../../../shared/errors.js";
import { buildTar, zstdRawFrame, zstdRunFrame } from "../../../demo/runtime/images/index.js";
import { walkLayer } from "../../../shared/scanner/image/layer-walk.js";
import { mergeLayers } from "../../../shared/scanner/image/merge.js";
import { normalizeEntryPath, classifyWhiteout } from "../../../shared/scanner/image/entry-path.js";
import type { LayerFacts } from "../../../shared/scanner/image/layer-facts.js";
import { dpkgStatus, limits, streamOf, TEST_CATALOGERS } from "./helpers.js";
import { tarHeader } from "../../hostile/generators.js";

const OS = 'ID=debian\nVERSION_ID="12"\n';

function walk(data: Buffer, opts: { mediaType?: string; lim?: Parameters<typeof limits>[0]; chunk?: number } = {}) {
  return walkLayer(streamOf(data, opts.chunk), { layer: "sha256:test", mediaType: opts.mediaType, catalogers: TEST_CATALOGERS, limits: limits(opts.lim) });
}


describe("entry paths", () => {
  it("normalizes names and refuses traversal", () => {
    expect(normalizeEntryPath("./etc//os-release")).toEqual({ ok: true, path: "etc/os-release", absolute: false });
    expect(normalizeEntryPath("/etc/passwd")).toEqual({ ok: true, path: "etc/passwd", absolute: true });
    expect(normalizeEntryPath("usr/../../etc/passwd").ok).toBe(false);
    expect(normalizeEntryPath("./")).toEqual({ ok: true, path: "", absolute: false });
    for (const odd of ["a//b", "a/./b", "a/b/", "./a/b"]) expect(normalizeEntryPath(odd)).toEqual({ ok: true, path: odd === "a/b/" || odd === "./a/b" ? "a/b" : odd.replace(/\/\.?\//, "/"), absolute: false });
    expect(normalizeEntryPath("a/b/..").ok).toBe(false);
    expect(normalizeEntryPath("..").ok).toBe(false);
  });
  it("classifies whiteouts", () => {
    expect(classifyWhiteout("var/lib/dpkg/.wh.status")).toEqual({ kind: "whiteout", target: "var/lib/dpkg/status" });
    expect(classifyWhiteout("etc/.wh..wh..opq")).toEqual({ kind: "opaque", dir: "etc" });
    expect(classifyWhiteout(".wh..wh..opq")).toEqual({ kind: "opaque", dir: "" });
    expect(classifyWhiteout("etc/.wh..wh.plnk")).toEqual({ kind: "meta" });
    expect(classifyWhiteout("etc/passwd")).toBeUndefined();
  });
});

describe("walkLayer", () => {
  const files = [
    { path: "./etc/os-release", content: OS },
    { path: "var/lib/dpkg/status", content: dpkgStatus([["bash", "5.2-1"], ["libc6", "2.36-9"]]) },
    { path: "usr/bin/other", content: "x".repeat(5000) },
    { path: "var/lib/dpkg/.wh.old" , type: "file" as const, content: "" },
  ];

  for (const compression of ["none", "gzip", "zstd"] as const) {
    it(`reads a ${compression} layer, buffering only wanted files`, async () => {
      const tar = await buildTar(files);
      const data = compression === "gzip" ? gzipSync(tar) : compression === "zstd" ? zstdRawFrame(tar) : tar;
      const mediaType = `application/vnd.oci.image.layer.v1.tar${compression === "none" ? "" : `+${compression}`}`;
      const facts = await walk(data, { mediaType, chunk: 1000 });
      expect(facts.files.map((f) => f.path).sort()).toEqual(["etc/os-release", "var/lib/dpkg/status"]);
      expect(facts.files.find((f) => f.path === "var/lib/dpkg/status")!.facts.packages.map((p) => p.name)).toEqual(["bash", "libc6"]);
      expect(facts.whiteouts).toEqual(["var/lib/dpkg/old"]);
      expect(facts.entries).toBe(4);
      expect(facts.bytes).toBe(tar.length);
    });
  }

  it("detects compression by magic bytes when no media type is given (archives)", async () => {
    const facts = await walk(gzipSync(await buildTar(files)));
    expect(facts.files).toHaveLength(2);
  });

  it("refuses an unknown media type before reading", async () => {
    await expect(walk(Buffer.alloc(10), { mediaType: "application/vnd.example.layer+lz4" })).rejects.toThrow(/unsupported layer media type "application\/vnd.example.layer\+lz4"/);
  });

  it("skips '..' names with a warning and reads absolute names inside the root", async () => {
    const tar = Buffer.concat([tarHeader("../../etc/os-release", OS.length), Buffer.from(OS.padEnd(512, "\0")), tarHeader("/var/lib/dpkg/status", 0), Buffer.alloc(1024)]);
    const facts = await walk(tar);
    expect(facts.files.map((f) => f.path)).toEqual(["var/lib/dpkg/status"]);
    expect(facts.warnings.join("\n")).toMatch(/skipped entry "..\/..\/etc\/os-release": name contains '..'/);
    expect(facts.warnings.join("\n")).toMatch(/absolute entry names/);
  });

  it("never follows a symlink; a symlink over a wanted path hides lower facts", async () => {
    const tar = await buildTar([{ path: "etc/os-release", type: "symlink", linkname: "../../../../etc/shadow" }]);
    const facts = await walk(tar);
    expect(facts.files).toEqual([]);
    expect(facts.removed).toEqual(["etc/os-release"]);
  });

  it("skips a wanted file above maxFileBytes without buffering it", async () => {
    const tar = await buildTar([{ path: "var/lib/dpkg/status", content: Buffer.alloc(10_000, 0x41) }]);
    const facts = await walk(tar, { lim: { maxFileBytes: 1000 } });
    expect(facts.files).toEqual([]);
    expect(facts.warnings[0]).toMatch(/skipped var\/lib\/dpkg\/status \(10000 bytes exceeds maxFileBytes 1000\)/);
  });

  it("fails cleanly on a huge declared size that the data does not back", async () => {
    const tar = Buffer.concat([tarHeader("var/lib/dpkg/status", 2 ** 33 - 1), Buffer.alloc(2048)]);
    await expect(walk(tar)).rejects.toThrow(/truncated tar archive/);
  });

  it("stops an entry-count bomb at maxEntries", async () => {
    const entries = Array.from({ length: 2000 }, (_, i) => ({ path: `d/f${i}`, content: "" }));
    const tar = await buildTar(entries);
    const err = await walk(gzipSync(tar), { lim: { maxEntries: 500 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(err.message).toMatch(/layer sha256:test: more than maxEntries \(500\)/);
  });

  it("stops a gzip bomb at maxLayerBytes with bounded memory", async () => {
    // 256 MiB of zeros compresses to ~256 KiB; the walk must stop at the 64 MiB limit.
    const zeros = Buffer.alloc(16 * 1024 * 1024);
    const { createGzip } = await import("node:zlib");
    const gz = createGzip({ level: 9 });
    const parts: Buffer[] = [];
    gz.on("data", (c: Buffer) => parts.push(c));
    const done = new Promise((r) => gz.on("end", r));
    gz.write(tarHeader("big", 2 ** 30));
    for (let i = 0; i < 16; i++) gz.write(zeros);
    gz.end();
    await done;
    const bomb = Buffer.concat(parts);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const before = process.memoryUsage().rss;
    const err = await walk(bomb, { lim: { maxLayerBytes: 64 * 1024 * 1024 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
    expect(err.message).toMatch(/decompressed size exceeds maxLayerBytes/);
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });

  it("stops a zstd RLE bomb at maxLayerBytes", async () => {
    const bomb = Buffer.concat([zstdRawFrame(tarHeader("big", 2 ** 32)), zstdRunFrame(0, 2 ** 32)]);
    expect(bomb.length).toBeLessThan(200 * 1024);
    const err = await walk(bomb, { mediaType: "application/vnd.oci.image.layer.v1.tar+zstd", lim: { maxLayerBytes: 32 * 1024 * 1024 } }).catch((e) => e);
    expect(err).toBeInstanceOf(LimitExceededError);
  });

  it("refuses a zstd frame declaring a huge window before allocating it", async () => {
    // Frame header: descriptor 0 (window descriptor follows), exponent 31 → 2 TiB window.
    const frame = Buffer.from([0x28, 0xb5, 0x2f, 0xfd, 0x00, 31 << 3, 0x01, 0x00, 0x00]);
    await expect(walk(frame)).rejects.toThrow(/zstd window of \d+ bytes exceeds maxZstdWindow/);
  });

  it("reports truncated gzip as a clear error", async () => {
    const gz = gzipSync(await buildTar(files));
    const err = await walk(gz.subarray(0, gz.length - 40)).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.message).toMatch(/layer sha256:test: (corrupt or truncated gzip data|truncated tar archive)/);
  });

  it("reports corrupt gzip as a clear error", async () => {
    const gz = gzipSync(await buildTar(files));
    for (let i = 20; i < 60; i++) gz[i] ^= 0xff;
    await expect(walk(gz)).rejects.toThrow(/corrupt or truncated gzip data|not a tar archive/);
  });

  it("reports corrupt and truncated zstd as clear errors", async () => {
    const z = zstdRawFrame(await buildTar(files));
    await expect(walk(z.subarray(0, z.length - 100))).rejects.toThrow(/truncated zstd data|corrupt zstd data/);
    const bad = Buffer.from(z);
    bad[6] = 0xff; // first block header: reserved block type
    bad[7] = 0xff;
    bad[8] = 0xff;
    await expect(walk(bad)).rejects.toThrow(/corrupt zstd data/);
  });

  it("rejects data that is not a tar", async () => {
    await expect(walk(Buffer.from("hello world, not a tar".repeat(100)))).rejects.toThrow(/not a tar archive/);
  });
});

describe("mergeLayers", () => {
  const facts = (name: string) => ({ packages: [{ name, version: "1", type: "deb" as const, purl: `pkg:deb/${name}@1`, locations: [], cataloger: "t" }] });
  const layer = (p: Partial<LayerFacts>): LayerFacts => ({ files: [], whiteouts: [], opaqueDirs: [], removed: [], warnings: [], entries: 0, bytes: 0, ...p });

  it("applies whiteouts, opaque dirs and removals in layer order", () => {
    const merged = mergeLayers([
      { digest: "l1", facts: layer({ files: [{ path: "a/status", cataloger: "t", facts: facts("a") }, { path: "b/x/status", cataloger: "t", facts: facts("b") }, { path: "c/status", cataloger: "t", facts: facts("c") }, { path: "d/status", cataloger: "t", facts: facts("d") }] }) },
      { digest: "l2", facts: layer({ whiteouts: ["a/status", "b"], opaqueDirs: ["c"], files: [{ path: "c/status", cataloger: "t", facts: facts("c2") }] }) },
      { digest: "l3", facts: layer({ removed: ["d/status"], files: [{ path: "a/status", cataloger: "t", facts: facts("a3") }] }) },
    ]);
    expect(merged.map((m) => [m.path, m.layerDigest, m.facts.packages[0].name])).toEqual([
      ["a/status", "l3", "a3"],
      ["c/status", "l2", "c2"],
    ]);
  });

  it("an opaque root hides every lower file", () => {
    const merged = mergeLayers([
      { digest: "l1", facts: layer({ files: [{ path: "x", cataloger: "t", facts: facts("x") }] }) },
      { digest: "l2", facts: layer({ opaqueDirs: [""] }) },
    ]);
    expect(merged).toEqual([]);
  });
});
