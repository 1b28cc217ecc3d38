// Go build info read as a stream (tar layers) and by random access (dir:) at any file size, with
// memory bounded by what the header points to.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { mkdir, open, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { GoBuildInfoScan } from "../../../shared/scanner/catalogers/go-scan.js";
import { goCataloger, parseGo } from "../../../shared/scanner/catalogers/go.js";
import type { FileFacts } from "../../../shared/scanner/catalogers/types.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { walkLayer } from "../../../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../../../shared/scanner/image/limits.js";
import { goElf, largeGoElf } from "./helpers.js";

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
