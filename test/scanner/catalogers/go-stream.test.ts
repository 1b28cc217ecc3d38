// Go build info read as a stream (tar layers) and by random access (dir:) at any file size, with
// memory bounded by what the header points to.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { GoBuildInfoScan, layoutOf, streamSearchSpans } from "../../../shared/scanner/catalogers/go-scan.js";
import { goCataloger, parseGo } from "../../../shared/scanner/catalogers/go.js";
import type { FileFacts } from "../../../shared/scanner/catalogers/types.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { walkLayer } from "../../../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../../../shared/scanner/image/limits.js";
import { elf64Head, goElf, largeGoElf } from "./helpers.js";

const MODINFO = [
  "path\tgithub.com/hashicorp/terraform-provider-aws",
  "mod\tgithub.com/hashicorp/terraform-provider-aws\t(devel)\t",
  "dep\tgithub.com/aws/aws-sdk-go-v2\tv1.32.2\th1:x",
  "dep\tgolang.org/x/net\tv0.30.0\th1:y",
  "build\tGOOS=linux",
].join("\n");

const names = (f: FileFacts) => f.packages.map((p) => `${p.name}@${p.version}`).sort();

/** Feeds a buffer to a stream-mode scan in chunks of `size`, as the tar walker does. */
function streamScan(buf: Buffer, size: number): FileFacts {
  const scan = new GoBuildInfoScan("usr/bin/x", buf.length, { randomAccess: false });
  for (let at = 0; at < buf.length && scan.want() >= 0; at += size) scan.write(buf.subarray(at, at + size), at);
  return scan.end();
}

/** One tar entry (ustar header + body produced by `body`) as a layer stream. */
function tarOf(name: string, size: number, body: () => AsyncGenerator<Buffer>): Readable {
  const h = Buffer.alloc(512);
  h.write(name, 0);
  h.write("0000755\0", 100);
  h.write("0000000\0", 108);
  h.write("0000000\0", 116);
  h.write(size.toString(8).padStart(11, "0") + "\0", 124);
  h.write("00000000000\0", 136);
  h.write("0", 156);
  h.write("ustar\0", 257);
  h.write("00", 263);
  h.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of h) sum += x;
  h.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return Readable.from(
    (async function* () {
      yield h;
      yield* body();
      yield Buffer.alloc((512 - (size % 512)) % 512 + 1024);
    })(),
  );
}

/** The large fixture's bytes in `chunk`-sized pieces; the zeros between are one reused buffer. */
async function* largeBody(f: ReturnType<typeof largeGoElf>, chunk: number): AsyncGenerator<Buffer> {
  const zeros = Buffer.alloc(chunk);
  for (let at = 0; at < f.size; ) {
    const n = Math.min(chunk, f.size - at);
    if (at < f.head.length) {
      const piece = Buffer.alloc(n);
      f.head.copy(piece, 0, at);
      yield piece;
    } else if (at + n > f.dataOffset && at < f.dataOffset + f.data.length) {
      const piece = Buffer.alloc(n);
      f.data.copy(piece, Math.max(0, f.dataOffset - at), Math.max(0, at - f.dataOffset));
      yield piece;
    } else yield zeros.subarray(0, n);
    at += n;
  }
}

let tmp: string | undefined;
afterAll(() => (tmp ? rm(tmp, { recursive: true, force: true }) : undefined));

describe("Go build info as a stream", () => {
  it("finds the header and what it points to whatever the chunking (inline and pre-1.18 pointer formats)", () => {
    for (const format of ["inline", "pointer"] as const) {
      const elf = goElf("go1.21.5", MODINFO, format);
      const whole = parseGo("usr/bin/x", elf);
      expect(names(whole)).toContain("golang.org/x/net@v0.30.0");
      for (const size of [1, 7, 13, 512, 4099, 1 << 20]) expect(names(streamScan(elf, size)), `${format} in ${size}-byte chunks`).toEqual(names(whole));
    }
  });

  it("a non-binary or a binary without build info yields nothing", () => {
    expect(streamScan(Buffer.from("#!/bin/sh\necho \xff Go buildinf:\n".repeat(100), "latin1"), 64)).toEqual({ packages: [] });
    const plain = goElf("go1.21.5", MODINFO);
    plain.fill(0, 0x1000);
    expect(streamScan(plain, 100)).toEqual({ packages: [] });
  });

  it("the magic as plain data before the real header does not hide it", () => {
    const elf = goElf("go1.21.5", MODINFO);
    Buffer.from("\xff Go buildinf:", "latin1").copy(elf, 0x800); // e.g. a tool that reads build info
    expect(names(streamScan(elf, 333))).toContain("golang.org/x/net@v0.30.0");
    expect(names(parseGo("usr/bin/x", elf))).toContain("golang.org/x/net@v0.30.0");
  });

  it("looks for the header only in writable segments, as debug/buildinfo does (random access agrees)", () => {
    // Text (R E) [0, 0x4000), data (RW) [0x4000, 0x6000): the same header bytes in each.
    const f = largeGoElf(0x6000, 0x4000, "go1.22.7", MODINFO);
    const file = Buffer.alloc(f.size);
    f.head.copy(file);
    const inData = Buffer.from(file);
    f.data.copy(inData, 0x4000);
    const inText = Buffer.from(file);
    f.data.copy(inText, 0x2000);
    for (const size of [100, 4096, 1 << 20]) {
      expect(names(streamScan(inData, size))).toContain("golang.org/x/net@v0.30.0");
      // The header's module text also holds runtime.modinfo's sentinels: not searched in text either.
      expect(streamScan(inText, size)).toEqual({ packages: [] });
    }
    expect(names(parseGo("usr/bin/x", inData))).toContain("golang.org/x/net@v0.30.0");
    expect(parseGo("usr/bin/x", inText)).toEqual({ packages: [] });
  });

  it("narrows the search only when every program header is in the head; overlapping segments are searched once", () => {
    const load = (head: Buffer, at: number, flags: number, off: number, len: number) => {
      head.writeUInt32LE(1, at);
      head.writeUInt32LE(flags, at + 4);
      head.writeBigUInt64LE(BigInt(off), at + 8);
      head.writeBigUInt64LE(BigInt(len), at + 32);
    };
    const head = elf64Head(3, 64 * 1024);
    load(head, 64, 5, 0, 0x10000);
    load(head, 120, 6, 0x10000, 0x3000);
    load(head, 176, 6, 0x12000, 0x2000);
    expect(streamSearchSpans(layoutOf(head, "elf"))).toEqual({ magic: [{ start: 0x10000, end: 0x14000 }], sentinel: [{ start: 0x10000, end: 0x14000 }] });
    // The table moved so that its last entry lies past the 64 KiB head: the whole file is searched.
    head.writeBigUInt64LE(BigInt(64 * 1024 - 2 * 56), 32);
    load(head, 64 * 1024 - 2 * 56, 5, 0, 0x10000);
    load(head, 64 * 1024 - 56, 6, 0x10000, 0x3000);
    expect(streamSearchSpans(layoutOf(head, "elf"))).toEqual({});
  });

  const esbuildPath = new URL("../../../node_modules/@esbuild/linux-x64/bin/esbuild", import.meta.url);
  const esbuild = (() => {
    try {
      return readFileSync(esbuildPath);
    } catch {
      return undefined;
    }
  })();
  it.skipIf(!esbuild)("a real Go binary without a build-info header: runtime.modinfo, streamed or read in place", () => {
    const streamed = streamScan(esbuild!, 65_537);
    expect(streamed.packages.find((p) => p.metadata?.kind === "main")).toMatchObject({ name: "github.com/evanw/esbuild" });
    expect(names(streamed)).toEqual(names(parseGo("usr/bin/esbuild", esbuild!)));
  });

  it("a 707 MB binary in a layer is read as a stream (over every buffering bound) and its modules reported", async () => {
    const f = largeGoElf(707 * 1024 * 1024, 700 * 1024 * 1024, "go1.22.7", MODINFO);
    const before = process.memoryUsage().rss;
    const facts = await walkLayer(tarOf("usr/bin/terraform-provider-aws", f.size, () => largeBody(f, 1 << 20)), {
      layer: "sha256:big",
      catalogers: [goCataloger],
      limits: resolveLimits(),
    });
    const pkgs = facts.files.flatMap((x) => x.facts.packages);
    expect(pkgs.map((p) => `${p.name}@${p.version}`).sort()).toEqual([
      "github.com/aws/aws-sdk-go-v2@v1.32.2",
      "github.com/hashicorp/terraform-provider-aws@(devel)",
      "golang.org/x/net@v0.30.0",
      "stdlib@1.22.7",
    ]);
    expect(facts.warnings).toEqual([]);
    // Nothing close to the file's size was held (the old reader buffered it whole).
    expect(process.memoryUsage().rss - before).toBeLessThan(200 * 1024 * 1024);
  });
});

describe("Go build info by random access (dir:)", () => {
  it("a 707 MB binary on disk: reads only the head and the data segment's first bytes", async () => {
    const f = largeGoElf(707 * 1024 * 1024, 700 * 1024 * 1024, "go1.22.7", MODINFO);
    tmp = mkdtempSync(join(tmpdir(), "vantage-gobig-"));
    await mkdir(join(tmp, "usr/bin"), { recursive: true });
    const file = join(tmp, "usr/bin/terraform-provider-aws");
    const h = await open(file, "w", 0o755);
    await h.write(f.head, 0, f.head.length, 0);
    await h.write(f.data, 0, f.data.length, f.dataOffset);
    await h.truncate(f.size); // sparse: the zeros take no disk
    await h.close();
    let read = 0;
    const scan = new GoBuildInfoScan("usr/bin/terraform-provider-aws", f.size, { randomAccess: true });
    const fd = await open(file, "r");
    const buf = Buffer.alloc(256 * 1024);
    for (let at = scan.want(); at >= 0 && at < f.size; at = scan.want()) {
      const { bytesRead } = await fd.read(buf, 0, Math.min(buf.length, f.size - at), at);
      read += bytesRead;
      scan.write(buf.subarray(0, bytesRead), at);
    }
    await fd.close();
    expect(names(scan.end())).toContain("golang.org/x/net@v0.30.0");
    expect(read).toBeLessThanOrEqual(2 * 256 * 1024);
    const sbom = await catalogTarget(`dir:${tmp}`, { catalogers: [goCataloger] });
    expect(sbom.packages.filter((p) => p.type === "golang").map((p) => p.name)).toContain("github.com/aws/aws-sdk-go-v2");
  });

  /**
   * An externally linked Go ELF: a RELRO segment is the first writable PT_LOAD and holds a copy of
   * runtime.modinfo, while the header sits in `.go.buildinfo` inside the next segment (as in Docker's
   * CLI binary). Section names tell where; `goSections: false` gives the same shape for a non-Go ELF.
   */
  async function externallyLinked(dir: string, goSections: boolean): Promise<{ file: string; size: number }> {
    const size = 8 * 1024 * 1024;
    const head = elf64Head(3);
    const shoff = 0x7f0000;
    head.writeBigUInt64LE(BigInt(shoff), 40);
    head.writeUInt16LE(64, 58);
    head.writeUInt16LE(4, 60);
    head.writeUInt16LE(3, 62);
    [[5, 0, 0x100000], [6, 0x100000, 0x300000], [6, 0x400000, 0x200000]].forEach(([flags, off, len], i) => {
      const at = 64 + i * 56;
      head.writeUInt32LE(1, at);
      head.writeUInt32LE(flags!, at + 4);
      head.writeBigUInt64LE(BigInt(off!), at + 8);
      head.writeBigUInt64LE(BigInt(0x400000 + off!), at + 16);
      head.writeBigUInt64LE(BigInt(len!), at + 32);
    });
    const modinfo = Buffer.concat([Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex"), Buffer.from(MODINFO), Buffer.from("f932433186182072008242104116d8f2", "hex")]);
    const header = Buffer.alloc(256);
    Buffer.from("\xff Go buildinf:", "latin1").copy(header, 0);
    header[14] = 8;
    header[15] = 2;
    Buffer.concat([Buffer.from([8]), Buffer.from("go1.24.3"), Buffer.from([modinfo.length & 0x7f | 0x80, modinfo.length >> 7]), modinfo]).copy(header, 32);
    const names = Buffer.from(goSections ? "\0.gopclntab\0.go.buildinfo\0.shstrtab\0" : "\0.text\0.data\0.shstrtab\0");
    const table = Buffer.alloc(4 * 64);
    const section = (i: number, name: string, off: number, len: number) => {
      table.writeUInt32LE(names.indexOf(`\0${name}\0`) + 1, i * 64);
      table.writeBigUInt64LE(BigInt(off), i * 64 + 24);
      table.writeBigUInt64LE(BigInt(len), i * 64 + 32);
    };
    section(1, goSections ? ".gopclntab" : ".text", 0x80000, 0x1000);
    section(2, goSections ? ".go.buildinfo" : ".data", 0x400040, 0x100);
    section(3, ".shstrtab", shoff + table.length, names.length);
    const file = join(dir, goSections ? "docker" : "tool");
    const h = await open(file, "w", 0o755);
    await h.write(head, 0, head.length, 0);
    await h.write(modinfo, 0, modinfo.length, 0x200000);
    if (goSections) await h.write(header, 0, header.length, 0x400040);
    await h.write(table, 0, table.length, shoff);
    await h.write(names, 0, names.length, shoff + table.length);
    await h.truncate(size);
    await h.close();
    return { file, size };
  }

  async function randomAccess(file: string, size: number): Promise<{ facts: FileFacts; reads: number }> {
    const scan = new GoBuildInfoScan("usr/bin/x", size, { randomAccess: true });
    const fd = await open(file, "r");
    const buf = Buffer.alloc(256 * 1024);
    let reads = 0;
    // Bounded here so that a scan that asks forever fails the test instead of hanging it.
    for (let at = scan.want(); at >= 0 && at < size && reads < 1000; at = scan.want(), reads++) {
      const { bytesRead } = await fd.read(buf, 0, Math.min(buf.length, size - at), at);
      scan.write(buf.subarray(0, bytesRead), at);
    }
    await fd.close();
    return { facts: scan.end(), reads };
  }

  it("an externally linked binary: the header is found in .go.buildinfo, past the RELRO segment, in a few reads", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vantage-goext-"));
    try {
      const go = await externallyLinked(dir, true);
      const { facts, reads } = await randomAccess(go.file, go.size);
      expect(names(facts)).toEqual(["github.com/aws/aws-sdk-go-v2@v1.32.2", "github.com/hashicorp/terraform-provider-aws@(devel)", "golang.org/x/net@v0.30.0", "stdlib@1.24.3"]);
      expect(facts.warnings ?? []).toEqual([]);
      expect(reads).toBeLessThanOrEqual(4); // head, section table, section names, .go.buildinfo
      const sbom = await catalogTarget(`dir:${dir}`, { catalogers: [goCataloger] });
      expect(sbom.packages.map((p) => `${p.name}@${p.version}`)).toContain("stdlib@1.24.3");

      const other = await externallyLinked(dir, false);
      const plain = await randomAccess(other.file, other.size);
      expect(plain.facts.packages).toEqual([]);
      expect(plain.reads).toBeLessThanOrEqual(3); // a section table without Go sections ends it
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  const hasGo = (() => {
    try {
      execFileSync("go", ["version"], { stdio: "ignore" });
      return true;
    } catch {
      return false;
    }
  })();
  it.skipIf(!hasGo)("a real Go binary built here: stream and random access agree with `go version -m`", async () => {
    const dir = mkdtempSync(join(tmpdir(), "vantage-gostream-"));
    try {
      await writeFile(join(dir, "go.mod"), "module example.com/hello\n\ngo 1.18\n");
      await writeFile(join(dir, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n');
      execFileSync("go", ["build", "-o", "hello", "."], { cwd: dir, env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" } });
      const bin = readFileSync(join(dir, "hello"));
      const goVersion = /^\S+: (go\S+)/.exec(execFileSync("go", ["version", join(dir, "hello")], { encoding: "utf8" }))![1]!;
      const std = `stdlib@${goVersion.slice(2)}`;
      expect(names(streamScan(bin, 40_000))).toEqual(["example.com/hello@(devel)", std].sort());
      expect(names(parseGo("usr/bin/hello", bin))).toEqual(["example.com/hello@(devel)", std].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
