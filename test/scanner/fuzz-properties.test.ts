// Property-based fuzzing with a fixed time budget (fast-check): the tar reader (the whole layer
// walk), the zip reader, every cataloger's parser and the explorer's query parser get generated and
// mutated input for about FUZZ_MS each. Each may fail only with its documented input errors, its
// output stays bounded, and it ends (the test timeout is the hang guard). A failure prints the
// seed and path; VANTAGE_FUZZ_SEED=<seed> replays it. The default seed is fixed so that CI is not
// red by chance; VANTAGE_FUZZ_SEED=random explores new input (and VANTAGE_FUZZ_MS longer budgets).
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { InputError, RequestError } from "../../shared/errors.js";
import { parseQuery } from "../../shared/explorer/index.js";
import { CATALOGERS } from "../../shared/scanner/catalogers/index.js";
import type { Cataloger, FileFacts } from "../../shared/scanner/catalogers/types.js";
import { resolveLimits } from "../../shared/scanner/image/limits.js";
import { walkLayer } from "../../shared/scanner/image/layer-walk.js";
import { bufferSource } from "../../shared/scanner/byte-source.js";
import { ZipArchive, readZipDirectory } from "../../shared/scanner/zip.js";
import { storedZip, tar, tarHeader, type TarItem } from "../hostile/generators.js";
import { fuzzCases, mutate } from "./catalogers/fuzz-cases.js";

/** Time each property may run (interrupted, not failed, when it is up). */
const FUZZ_MS = Number(process.env.VANTAGE_FUZZ_MS ?? 2000);
const DEFAULT_SEED = 20261205;
const seedSetting = process.env.VANTAGE_FUZZ_SEED;
const seed = seedSetting === "random" ? undefined : seedSetting ? Number(seedSetting) : DEFAULT_SEED;
const budget = (ms = FUZZ_MS): fc.Parameters<unknown> => ({ interruptAfterTimeLimit: ms, numRuns: 1_000_000, ...(seed === undefined ? {} : { seed }) });
/** Generous per-test liveness bound: a property that hangs fails here. */
const LIVENESS_MS = 30_000;

/** Mutations of `seed` inputs (fast-check drives the mutation's randomness, so it shrinks and replays). */
const mutated = (seeds: Buffer[]) =>
  fc.tuple(fc.constantFrom(...seeds), fc.array(fc.integer({ min: 0, max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 8 })).map(([s, rolls]) => {
    let i = 0;
    const rnd = () => ((rolls[i++ % rolls.length]! * 2654435761 + i) >>> 0) / 2 ** 32;
    let b = s;
    for (let n = 0; n < rolls.length; n++) b = mutate(b, rnd);
    return b;
  });

const bytes = (max: number) => fc.uint8Array({ maxLength: max }).map((a) => Buffer.from(a));

// ---- tar: the layer walk over arbitrary and mutated layers -------------------------------------

const tarItem: fc.Arbitrary<TarItem> = fc.oneof(
  fc.record({ name: fc.constantFrom("var/lib/dpkg/status", "etc/os-release", "lib/apk/db/installed", "app/package.json", "a/b", "./x", "../up"), data: fc.string({ maxLength: 300 }) }),
  fc.record({ name: fc.constantFrom("var/lib/dpkg/status", "var/lib/dpkg", "a"), type: fc.constantFrom("symlink" as const, "hardlink" as const), target: fc.constantFrom("/etc/os-release", "../../x", "a", "") }),
  fc.record({ name: fc.constantFrom("var/lib/dpkg/", "etc/"), type: fc.constant("dir" as const) }),
);
const metaHeaders = fc.constantFrom(tarHeader("././@LongLink", 5000, "L"), tarHeader("pax", 40, "x"), tarHeader("g", 0, "g"));
const tars = fc.array(tarItem, { maxLength: 6 }).map((items) => tar(items));
const layers = fc.oneof(
  bytes(4096),
  tars,
  tars.chain((t) => mutated([t])),
  fc.tuple(metaHeaders, tars).map(([m, t]) => Buffer.concat([m, t])),
  tars.map((t) => gzipSync(t)),
  tars.chain((t) => mutated([gzipSync(t)])),
);

describe("fuzz: tar layers", () => {
  it(
    "the walk ends with facts or an input error, its output bounded by its input",
    async () => {
      const limits = resolveLimits({ maxFileBytes: 64 * 1024, maxEntries: 10_000 });
      await fc.assert(
        fc.asyncProperty(layers, async (layer) => {
          try {
            const facts = await walkLayer(Readable.from([layer]), { layer: "sha256:fuzz", catalogers: CATALOGERS, limits });
            expect(facts.entries).toBeLessThanOrEqual(Math.ceil(facts.bytes / 512));
            expect(facts.files.length).toBeLessThanOrEqual(facts.entries * CATALOGERS.length);
            expect(facts.warnings.length).toBeLessThanOrEqual(101);
          } catch (err) {
            if (!(err instanceof InputError)) throw err;
            expect(err.message).toMatch(/^layer sha256:fuzz/);
          }
        }),
        budget(),
      );
    },
    LIVENESS_MS,
  );
});

// ---- zip: directory and entry reads under a budget ---------------------------------------------

const zips = fc
  .array(fc.record({ name: fc.constantFrom("META-INF/MANIFEST.MF", "a.jar", "lib/b.jar", "x"), data: bytes(200) }), { maxLength: 5 })
  .map((entries) => storedZip(entries));

describe("fuzz: zip archives", () => {
  it(
    "reading never throws, returns at most maxEntries and never more bytes than the budget allows",
    () => {
      fc.assert(
        fc.property(fc.oneof(bytes(2048), zips, zips.chain((z) => mutated([z]))), fc.integer({ min: 0, max: 4096 }), (zip, cap) => {
          const { entries } = readZipDirectory(bufferSource(zip), 100);
          expect(entries.length).toBeLessThanOrEqual(100);
          const spend = { bytes: 8192, attempts: 50 };
          const archive = new ZipArchive(bufferSource(zip), spend);
          let read = 0;
          for (const e of entries) {
            const r = archive.read(e, cap);
            if ("data" in r) {
              expect(r.data.length).toBeLessThanOrEqual(cap);
              read += r.data.length;
            }
          }
          expect(read).toBeLessThanOrEqual(8192);
          expect(spend.attempts).toBeGreaterThanOrEqual(0);
        }),
        budget(),
      );
    },
    LIVENESS_MS,
  );
});

// ---- catalogers: every parser entry point ------------------------------------------------------

function checkFacts(facts: FileFacts, input: Buffer): void {
  expect(Array.isArray(facts.packages)).toBe(true);
  // Output bounded by input: no package is made out of nothing.
  expect(facts.packages.length).toBeLessThanOrEqual(Math.max(50, input.length / 8));
  expect((facts.warnings ?? []).length).toBeLessThanOrEqual(1000);
  for (const p of facts.packages) {
    expect(p.purl.startsWith("pkg:")).toBe(true);
    expect(p.name.length).toBeLessThan(2048);
  }
}

/** A cataloger's whole read of one file: its streaming scan when it has one, else its parser. */
async function catalog(cataloger: Cataloger, path: string, input: Buffer): Promise<FileFacts> {
  if (!cataloger.scan) return cataloger.parse(path, input);
  const scan = cataloger.scan(path, input.length, { randomAccess: false });
  for (let at = 0; at < input.length && scan.want() >= 0; at += 1024) scan.write(input.subarray(at, at + 1024), at);
  return scan.end();
}

describe("fuzz: catalogers", async () => {
  const cases = await fuzzCases();
  const byCataloger = new Map<string, { paths: string[]; seeds: Buffer[]; mode: number }>();
  for (const [name, path, input, mode] of cases) {
    const c = byCataloger.get(name) ?? { paths: [], seeds: [], mode };
    c.paths.push(path);
    c.seeds.push(input);
    byCataloger.set(name, c);
  }

  it("fuzzes every cataloger", () => {
    expect([...byCataloger.keys()].sort()).toEqual(CATALOGERS.map((c) => c.name).sort());
  });

  // A cataloger's time is shared between its inputs; the whole group stays near FUZZ_MS × 4.
  const perCataloger = Math.max(200, Math.round((FUZZ_MS * 4) / CATALOGERS.length));
  it.each(CATALOGERS.map((c) => [c.name, c] as const))(
    "%s never throws and answers bounded facts",
    async (name, cataloger) => {
      const { paths, seeds } = byCataloger.get(name)!;
      const inputs = fc.oneof(bytes(4096), mutated(seeds), mutated(seeds), fc.string({ maxLength: 2000 }).map((s) => Buffer.from(s)));
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...paths), inputs, async (path, input) => {
          checkFacts(await catalog(cataloger, path, input), input);
        }),
        budget(perCataloger),
      );
    },
    LIVENESS_MS,
  );
});

// ---- explorer: the query parser ----------------------------------------------------------------

const TOKENS = ["MATCH", "OPTIONAL", "WHERE", "RETURN", "WITH", "ORDER BY", "LIMIT", "SKIP", "DISTINCT", "AS", "AND", "OR", "NOT", "XOR", "IN", "IS", "NULL", "CASE", "WHEN", "THEN", "ELSE", "END", "(", ")", "[", "]", "{", "}", "-", "->", "<-", "-[", "]->", "*", "*1..3", ":", ",", ".", "=", "<>", "<", ">", "+", "/", "%", "^", "$L", "a", "b", "p", "Pod", "Node", "collect(", "count(*)", "size(", "'x'", '"y"', "1", "2.5", "true", "|", "..", "`q`"];
const queries = fc.oneof(
  fc.string({ maxLength: 500 }),
  fc.array(fc.constantFrom(...TOKENS), { maxLength: 80 }).map((t) => t.join(" ")),
  fc.tuple(fc.constantFrom("MATCH (p:Pod) WHERE ", "MATCH (a)-[r]->(b) RETURN "), fc.array(fc.constantFrom(...TOKENS), { maxLength: 200 })).map(([h, t]) => h + t.join(" ")),
  fc.tuple(fc.constantFrom("NOT ", "(", "[", "-", "{a:"), fc.integer({ min: 1, max: 3000 })).map(([t, n]) => `MATCH (p:Pod) RETURN ${t.repeat(n)}1`),
);

describe("fuzz: explorer queries", () => {
  it(
    "the parser answers a model or a 400/413 input error, never a crash",
    () => {
      fc.assert(
        fc.property(queries, (text) => {
          try {
            parseQuery(text);
          } catch (err) {
            if (!(err instanceof RequestError)) throw err;
            expect([400, 413]).toContain(err.status);
          }
        }),
        budget(),
      );
    },
    LIVENESS_MS,
  );
});
