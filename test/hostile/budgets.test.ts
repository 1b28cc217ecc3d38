// Budgets that cannot be bypassed: every inflation attempt is charged, overlapping zip entries are
// read once, nesting is bounded, a repeated layer digest is walked once and an image has one budget
// of decompressed bytes and entries across its layers.
import { Readable } from "node:stream";
import * as zlib from "node:zlib";
import { describe, expect, it } from "vitest";
import { LimitExceededError } from "../../shared/errors.js";
import { parseJava } from "../../shared/scanner/catalogers/java.js";
import { readZip } from "../../shared/scanner/feed/zip.js";
import { catalogLayers, emptyStats, type LayerRef } from "../../shared/scanner/image/catalog-layers.js";
import { resolveLimits } from "../../shared/scanner/image/limits.js";
import { bufferSource } from "../../shared/scanner/byte-source.js";
import { ZipArchive, readZipDirectory } from "../../shared/scanner/zip.js";
import { TEST_CATALOGERS, dpkgStatus } from "../scanner/image/helpers.js";
import { nestedJar, overlappingJar, storedZip, tar } from "./generators.js";

describe("zip budgets", () => {
  it("reads overlapping entries once: 1,000 entries on one deflated bomb cost one inflate", () => {
    const jar = overlappingJar(1000, 8 * 1024 * 1024, 4 * 1024 * 1024); // inflates past what it declares
    const { entries } = readZipDirectory(bufferSource(jar), 10_000);
    expect(entries).toHaveLength(1000);
    const budget = { bytes: 512 * 1024 * 1024, attempts: 20_000 };
    const archive = new ZipArchive(bufferSource(jar), budget);
    const outcomes = entries.map((e) => archive.read(e, 256 * 1024 * 1024));
    expect(budget.attempts).toBe(20_000 - 1);
    expect(budget.bytes).toBe(512 * 1024 * 1024 - 4 * 1024 * 1024); // the failed attempt is charged
    expect(outcomes.filter((o) => "skipped" in o && o.skipped === "overlap")).toHaveLength(999);
    const facts = parseJava("app.jar", jar);
    expect(facts.warnings?.join("\n")).toMatch(/999 zip entries share data with another entry/);
  });

  it("charges failed inflations: a directory of distinct failing entries stops at the budget", () => {
    // Distinct local headers (no overlap), each declaring 4 MB and failing: each attempt is charged.
    const bomb = zlib.deflateRawSync(Buffer.alloc(5 * 1024 * 1024));
    const entries = Array.from({ length: 50 }, (_, i) => ({ name: `lib/b${i}.jar`, data: bomb }));
    const zip = storedZip(entries);
    // Re-mark every entry deflated with a 4 MB declared size (the data inflates to 5 MB: a failure).
    const { entries: dir } = readZipDirectory(bufferSource(zip), 100);
    const budget = { bytes: 20 * 1024 * 1024, attempts: 1000 };
    const archive = new ZipArchive(bufferSource(zip), budget);
    let failures = 0;
    let skipped = 0;
    for (const e of dir) {
      const r = archive.read({ ...e, method: 8, size: 4 * 1024 * 1024 }, 64 * 1024 * 1024);
      if ("skipped" in r && r.skipped === "unreadable") failures++;
      if ("skipped" in r && r.skipped === "budget") skipped++;
    }
    expect(failures).toBe(5); // 5 × 4 MB charged, then the budget is spent
    expect(skipped).toBe(45);
    // Attempts are bounded too, whatever they cost.
    const few = new ZipArchive(bufferSource(zip), { bytes: Infinity, attempts: 3 });
    expect(dir.filter((e) => "skipped" in few.read(e, 1) && true).length).toBe(50);
  });

  it("refuses a stored entry whose declared sizes disagree, so the read cap cannot be slipped", () => {
    const zip = storedZip([{ name: "a.jar", data: Buffer.alloc(256, 1) }]);
    // Central directory: compressed size stays 256, uncompressed size claims 0 (found by fuzzing).
    const cd = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(0, cd + 24);
    const [entry] = readZipDirectory(bufferSource(zip), 10).entries;
    expect(entry).toMatchObject({ compressedSize: 256, size: 0 });
    expect(new ZipArchive(bufferSource(zip), { bytes: 8192, attempts: 5 }).read(entry!, 0)).toEqual({ skipped: "unreadable" });
    const honest = storedZip([{ name: "a.jar", data: Buffer.alloc(256, 1) }]);
    const read = new ZipArchive(bufferSource(honest), { bytes: 8192, attempts: 5 }).read(readZipDirectory(bufferSource(honest), 10).entries[0]!, 256);
    expect("data" in read && read.data.length).toBe(256);
  });

  it("bounds nesting depth with a warning", () => {
    const facts = parseJava("deep.jar", nestedJar(12));
    expect(facts.warnings?.join("\n")).toMatch(/nested archives deeper than 3 levels not read/);
  });

  it("refuses an OSV archive with overlapping entries", () => {
    const jar = overlappingJar(3, 1024);
    expect(() => [...readZip(jar, () => true)]).toThrow(/overlaps another entry/);
  });
});

function layer(digest: string, data: Buffer, opened: Map<string, number>): LayerRef {
  return {
    digest,
    open: async () => {
      opened.set(digest, (opened.get(digest) ?? 0) + 1);
      return Readable.from([data]);
    },
  };
}

describe("image budgets", () => {
  const status = tar([{ name: "var/lib/dpkg/status", data: dpkgStatus([["bash", "5.2"]]) }]);

  it("walks a layer digest listed 10,000 times once", async () => {
    const opened = new Map<string, number>();
    const refs = Array.from({ length: 10_000 }, () => layer("sha256:aa", status, opened));
    const stats = emptyStats();
    const { files, warnings } = await catalogLayers(refs, { catalogers: TEST_CATALOGERS, limits: resolveLimits(), stats });
    expect(opened.get("sha256:aa")).toBe(1);
    expect(files.flatMap((f) => f.facts.packages.map((p) => p.name))).toEqual(["bash"]);
    expect(warnings.join("\n")).toMatch(/9999 repeated layer digests/);
  });

  it("shares one budget of decompressed bytes across the image's layers", async () => {
    const big = tar([{ name: "blob", data: Buffer.alloc(600_000) }]);
    const opened = new Map<string, number>();
    const refs = ["sha256:1", "sha256:2", "sha256:3"].map((d) => layer(d, big, opened));
    const run = catalogLayers(refs, { catalogers: TEST_CATALOGERS, limits: resolveLimits({ maxImageBytes: 1_500_000 }), stats: emptyStats(), concurrency: 1 });
    await expect(run).rejects.toThrow(LimitExceededError);
    await expect(catalogLayers(refs, { catalogers: TEST_CATALOGERS, limits: resolveLimits({ maxImageEntries: 2 }), stats: emptyStats(), concurrency: 1 })).rejects.toThrow(/maxImageEntries|maxEntries/);
  });
});
