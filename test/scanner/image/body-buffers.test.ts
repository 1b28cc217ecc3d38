import { createHash } from "node:crypto";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildTar } from "../../../demo/runtime/images/index.js";
import type { Cataloger } from "../../../shared/scanner/catalogers/types.js";
import { BodyBuffers, LARGE_BODY_BYTES } from "../../../shared/scanner/image/body-buffers.js";
import { walkLayer } from "../../../shared/scanner/image/layer-walk.js";
import { limits, streamOf } from "./helpers.js";

const MB = 1024 * 1024;

describe("BodyBuffers", () => {
  it("hands out buffers of exactly the size asked, small and large", () => {
    const pool = new BodyBuffers();
    for (const n of [0, 1, 4096, LARGE_BODY_BYTES - 1, LARGE_BODY_BYTES, 3 * MB + 7]) {
      const b = pool.take(n);
      expect(b.length).toBe(n);
      b.fill(0xab);
      expect(n === 0 || (b[0] === 0xab && b[n - 1] === 0xab)).toBe(true);
    }
  });

  it("reuses a given-back large body's memory for the next one", () => {
    const pool = new BodyBuffers();
    const a = pool.take(2 * MB);
    const ab = a.buffer;
    pool.give(a);
    const b = pool.take(2 * MB - 100);
    expect(b.buffer).toBe(ab);
    // Not given back: the next large body gets memory of its own.
    const c = pool.take(2 * MB);
    expect(c.buffer).not.toBe(ab);
  });

  it("grows a spare for a larger body, detaching views of the old size", () => {
    const pool = new BodyBuffers();
    const a = pool.take(LARGE_BODY_BYTES);
    pool.give(a);
    const b = pool.take(4 * MB);
    expect(b.length).toBe(4 * MB);
    expect(a.length).toBe(0); // a stale reference reads nothing, never another file's bytes
  });

  it("ignores buffers it did not lend", () => {
    const pool = new BodyBuffers();
    const foreign = Buffer.alloc(2 * MB);
    pool.give(foreign);
    expect(pool.take(2 * MB).buffer).not.toBe(foreign.buffer);
  });
});

describe("walkLayer with reused body memory", () => {
  it("gives every large buffered file its own exact bytes", async () => {
    // Four large files of distinct content and decreasing then increasing size, so bodies reuse and
    // grow the spare memory; each must be parsed from exactly its own bytes.
    const sizes = [3 * MB + 11, LARGE_BODY_BYTES, 2 * MB + 5, 5 * MB];
    const files = sizes.map((n, i) => ({ path: `opt/blob${i}.bin`, content: Buffer.alloc(n, i + 1) }));
    const seen: Record<string, string> = {};
    const hashing: Cataloger = {
      name: "hash",
      matches: (p) => p.endsWith(".bin"),
      parse: (p, content) => {
        seen[p] = createHash("sha256").update(content).digest("hex");
        return { packages: [] };
      },
    };
    const pool = new BodyBuffers();
    await walkLayer(streamOf(gzipSync(await buildTar(files)), 100_000), { layer: "sha256:test", catalogers: [hashing], limits: limits(), bodies: pool });
    for (const f of files) expect(seen[f.path]).toBe(createHash("sha256").update(f.content).digest("hex"));
  });
});
