// Large files go to a private temp file as a layer streams past; jars are then read by position (and
// read where they lie by the dir: source), never buffered whole; the facts are the in-memory ones.
import { createHash, randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, openSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { buildTar } from "../../../demo/runtime/images/index.js";
import { bufferSource, fileSource, type ByteSource } from "../../../shared/scanner/byte-source.js";
import { javaCataloger, parseJava } from "../../../shared/scanner/catalogers/java.js";
import type { Cataloger } from "../../../shared/scanner/catalogers/types.js";
import { BodyBuffers } from "../../../shared/scanner/image/body-buffers.js";
import { POSITIONAL_READ_BYTES } from "../../../shared/scanner/image/file-facts.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { walkLayer } from "../../../shared/scanner/image/layer-walk.js";
import { readZipDirectory, readZipEntry } from "../../../shared/scanner/zip.js";
import { makeZip } from "../../support/zip-writer.js";
import { limits, streamOf, testAssemble } from "./helpers.js";

const scratch = mkdtempSync(join(tmpdir(), "vantage-positional-"));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

const pom = (g: string, a: string, v: string) => `groupId=${g}\nartifactId=${a}\nversion=${v}\n`;
/** A jar past the threshold: its own pom.properties and a shaded one (or none), and a stored blob that makes it large. */
function bigJar(withPom = true): Buffer {
  return makeZip([
    ...(withPom ? [{ name: "META-INF/maven/org.example/big/pom.properties", data: pom("org.example", "big", "1.2.3") }] : []),
    { name: "lib/blob.bin", data: randomBytes(POSITIONAL_READ_BYTES + 4096), deflate: false },
    ...(withPom ? [{ name: "META-INF/maven/org.shaded/inner/pom.properties", data: pom("org.shaded", "inner", "0.9") }] : []),
  ]);
}
const smallJar = makeZip([{ name: "META-INF/maven/org.example/small/pom.properties", data: pom("org.example", "small", "2.0") }]);

/** Records the size of every body the walk buffers. */
class RecordingBodies extends BodyBuffers {
  readonly sizes: number[] = [];
  override take(size: number): Buffer {
    this.sizes.push(size);
    return super.take(size);
  }
}

/** The java cataloger, noting what the temp dir held while each large file was parsed. */
function watchingJava(tempDir: string, seen: string[][]): Cataloger {
  return {
    ...javaCataloger,
    parseSource: (path, source) => {
      seen.push(readdirSync(tempDir).flatMap((d) => readdirSync(join(tempDir, d)).map((f) => `${d}/${f}`)));
      return javaCataloger.parseSource!(path, source);
    },
  };
}

const purls = (facts: { packages: { purl?: string }[] }) => facts.packages.map((p) => p.purl).sort();

describe("layer walk: large files spilled to a temp file", () => {
  it("parses a large jar from a private temp file, buffers none of it, and leaves nothing behind", async () => {
    const jar = bigJar();
    const tempDir = mkdtempSync(join(scratch, "walk-"));
    const bodies = new RecordingBodies();
    const seen: string[][] = [];
    const layer = gzipSync(await buildTar([{ path: "app/big-1.2.3.jar", content: jar }, { path: "app/small-2.0.jar", content: smallJar }]));
    const facts = await walkLayer(streamOf(layer), { layer: "sha256:t", catalogers: [watchingJava(tempDir, seen)], limits: limits(), bodies, tempDir });

    const big = facts.files.find((f) => f.path === "app/big-1.2.3.jar")!;
    expect(purls(big.facts)).toEqual(purls(parseJava("app/big-1.2.3.jar", jar)));
    expect(purls(big.facts)).toEqual(["pkg:maven/org.example/big@1.2.3", "pkg:maven/org.shaded/inner@0.9"]);
    expect(purls(facts.files.find((f) => f.path === "app/small-2.0.jar")!.facts)).toEqual(["pkg:maven/org.example/small@2.0"]);
    // The small jar was buffered as before; the large one never was.
    expect(bodies.sizes).toEqual([smallJar.length]);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toEqual([expect.stringMatching(/^vantage-spill-[^/]+\/0$/)]);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("spills other large bodies too, and loads each into memory only for its parse", async () => {
    const tempDir = mkdtempSync(join(scratch, "other-"));
    const files = [POSITIONAL_READ_BYTES, POSITIONAL_READ_BYTES + 12_345].map((n, i) => ({ path: `var/db/big${i}.db`, content: randomBytes(n) }));
    const parsed: { path: string; sha: string; onDisk: number }[] = [];
    const hashing: Cataloger = {
      name: "hash",
      matches: (p) => p.endsWith(".db"),
      parse: (p, content) => {
        const onDisk = readdirSync(tempDir).flatMap((d) => readdirSync(join(tempDir, d))).length;
        parsed.push({ path: p, sha: createHash("sha256").update(content).digest("hex"), onDisk });
        return { packages: [] };
      },
    };
    const bodies = new RecordingBodies();
    await walkLayer(streamOf(gzipSync(await buildTar(files))), { layer: "sha256:t", catalogers: [hashing], limits: limits(), bodies, tempDir });
    expect(parsed.map(({ onDisk: _, ...p }) => p)).toEqual(files.map((f) => ({ path: f.path, sha: createHash("sha256").update(f.content).digest("hex") })));
    // Each was on disk while parsed (the next may already be streaming to its own file).
    for (const p of parsed) expect(p.onDisk).toBeGreaterThanOrEqual(1);
    expect(bodies.sizes).toEqual(files.map((f) => f.content.length));
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("gives an unidentified large jar the SHA-1 of all its bytes", async () => {
    const jar = bigJar(false);
    const tempDir = mkdtempSync(join(scratch, "sha-"));
    const facts = await walkLayer(streamOf(gzipSync(await buildTar([{ path: "opt/tool.jar", content: jar }]))), { layer: "sha256:t", catalogers: [javaCataloger], limits: limits(), tempDir });
    const [file] = facts.files;
    expect(file!.facts.unidentified).toEqual([{ path: "opt/tool.jar", kind: "java-archive", sha1: createHash("sha1").update(jar).digest("hex") }]);
    expect(file!.facts.packages).toEqual([]);
  });

  it("removes the temp file when the layer ends inside the spilled jar", async () => {
    const tempDir = mkdtempSync(join(scratch, "cut-"));
    const tar = await buildTar([{ path: "app/big-1.2.3.jar", content: bigJar() }]);
    const cut = gzipSync(tar.subarray(0, 512 + POSITIONAL_READ_BYTES / 2));
    await expect(walkLayer(streamOf(cut), { layer: "sha256:t", catalogers: [javaCataloger], limits: limits(), tempDir })).rejects.toThrow(/truncated tar/);
    expect(readdirSync(tempDir)).toEqual([]);
  });

  it("without a usable temp dir reads the jar from memory, same facts, and says so", async () => {
    const jar = bigJar();
    const bodies = new RecordingBodies();
    const layer = gzipSync(await buildTar([{ path: "app/big-1.2.3.jar", content: jar }]));
    const facts = await walkLayer(streamOf(layer), { layer: "sha256:t", catalogers: [javaCataloger], limits: limits(), bodies, tempDir: join(scratch, "missing", "dir") });
    expect(purls(facts.files[0]!.facts)).toEqual(purls(parseJava("app/big-1.2.3.jar", jar)));
    expect(bodies.sizes).toEqual([jar.length]);
    expect(facts.warnings).toEqual([expect.stringMatching(/no usable temp dir .*; large files read from memory/)]);
  });
});

describe("dir: source reads large jars where they lie", () => {
  it("catalogs a large jar by position with the in-memory facts", async () => {
    const root = mkdtempSync(join(scratch, "dir-"));
    const jar = bigJar();
    mkdirSync(join(root, "lib"));
    writeFileSync(join(root, "lib", "big-1.2.3.jar"), jar);
    let sources = 0;
    const counting: Cataloger = { ...javaCataloger, parseSource: (p, s) => (sources++, javaCataloger.parseSource!(p, s)) };
    const sbom = await catalogTarget(`dir:${root}`, { catalogers: [counting], assemble: testAssemble });
    expect(sources).toBe(1);
    expect(sbom.packages.map((p) => p.purl).sort()).toEqual(purls(parseJava("lib/big-1.2.3.jar", jar)));
  });
});

describe("zip reader over positional reads", () => {
  /** A file source that records every read's length. */
  function recorded(buf: Buffer, file: string): { source: ByteSource; reads: number[] } {
    writeFileSync(file, buf);
    const fd = openSync(file, "r");
    const inner = fileSource(fd, buf.length);
    const reads: number[] = [];
    return { source: { size: inner.size, read: (o, n, into) => (reads.push(n), inner.read(o, n, into)) }, reads };
  }

  it("lists and reads the same entries from a file as from memory", () => {
    const jar = makeZip([
      { name: "a.txt", data: "alpha".repeat(1000) },
      { name: "b.bin", data: randomBytes(3000), deflate: false },
    ]);
    const { source } = recorded(jar, join(scratch, "same.zip"));
    const fromFile = readZipDirectory(source, 10);
    const fromMemory = readZipDirectory(bufferSource(jar), 10);
    expect(fromFile).toEqual(fromMemory);
    for (const e of fromMemory.entries) expect(readZipEntry(source, e, 1 << 20)).toEqual(readZipEntry(bufferSource(jar), e, 1 << 20));
  });

  it("does not copy a hostile compressedSize into memory: input is capped by what the output may be", () => {
    const payload = Buffer.alloc(2 * 1024 * 1024); // as deflate: a stored block whose lengths disagree
    const jar = makeZip([{ name: "x.bin", data: payload, deflate: false }]);
    const { source, reads } = recorded(jar, join(scratch, "hostile.zip"));
    const [entry] = readZipDirectory(source, 10).entries;
    // The directory claims a 100-byte deflated entry backed by 2 MiB of data.
    const lie = { ...entry!, method: 8, size: 100 };
    reads.length = 0;
    expect(readZipEntry(source, lie, 1 << 20)).toBeUndefined();
    expect(Math.max(...reads)).toBeLessThan(2048);
  });
});
