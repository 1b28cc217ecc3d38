// Digest-checked gzip layers: the first member inflated raw without its CRC-32, the rest through
// gunzip. The same bytes as gunzip for every well-formed stream, however it is chunked, and a clear
// InputError for the rest.
import { deflateRawSync, gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { InputError } from "../../../shared/errors.js";
import { decompressLayer } from "../../../shared/scanner/image/decompress.js";
import { MAX_GZIP_HEADER_BYTES } from "../../../shared/scanner/image/gzip-members.js";
import { prng } from "../../../bench/prng.js";
import { LimitExceededError } from "../../../shared/errors.js";
import { mutate } from "../catalogers/fuzz-cases.js";

async function* chunks(b: Buffer, size: number): AsyncGenerator<Buffer> {
  for (let at = 0; at < b.length; at += size) yield b.subarray(at, at + size);
}

async function inflate(b: Buffer, size: number, digestChecked = true): Promise<Buffer> {
  const out: Uint8Array[] = [];
  for await (const c of decompressLayer(chunks(b, size), { what: "layer sha256:x", maxBytes: 1 << 30, maxZstdWindow: 1 << 27, digestChecked })) out.push(c);
  return Buffer.concat(out);
}

/** Data that compresses a little, so members span many chunks. */
function data(n: number, seed: number): Buffer {
  const rnd = prng(seed);
  return Buffer.from(Array.from({ length: n }, () => (rnd() < 0.7 ? 97 : Math.floor(rnd() * 256))));
}

/** A member with every optional header field (FEXTRA, FNAME, FCOMMENT, FHCRC). */
function fullHeaderMember(body: Buffer): Buffer {
  const header = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3]), Buffer.from([3, 0, 1, 2, 3]), Buffer.from("name.tar\0"), Buffer.from("a comment\0"), Buffer.from([0xab, 0xcd])]);
  const trailer = Buffer.alloc(8);
  trailer.writeUInt32LE(0x12345678, 0); // not the CRC: it is not checked
  trailer.writeUInt32LE(body.length, 4);
  return Buffer.concat([header, deflateRawSync(body), trailer]);
}

describe("digest-checked gzip layers", () => {
  it("gives gunzip's bytes for one member, several members and zero padding, in any chunking", async () => {
    const a = data(100_000, 1);
    const b = data(30_000, 2);
    const streams = {
      one: gzipSync(a),
      two: Buffer.concat([gzipSync(a), gzipSync(b)]),
      padded: Buffer.concat([gzipSync(a), gzipSync(b), Buffer.alloc(1000)]),
      empty: Buffer.concat([gzipSync(Buffer.alloc(0)), gzipSync(b)]),
    };
    for (const [name, gz] of Object.entries(streams)) {
      const expected = gunzipSync(gz);
      for (const size of [1, 7, 4096, 1 << 20]) {
        if (size === 1 && gz.length > 30_000) continue; // byte by byte only for the small ones
        expect((await inflate(gz, size)).equals(expected), `${name} in ${size}-byte chunks`).toBe(true);
      }
    }
    expect((await inflate(streams.two.subarray(0, 20_000), 20_000).catch((e: Error) => e)) instanceof InputError).toBe(true);
  });

  it("reads every optional header field; the first member's CRC is not checked (the digest is), later members' are", async () => {
    const body = data(50_000, 3);
    const gz = Buffer.concat([fullHeaderMember(body), gzipSync(body)]);
    for (const size of [3, 777, 65536]) expect((await inflate(gz, size)).equals(Buffer.concat([body, body]))).toBe(true);
    expect(() => gunzipSync(fullHeaderMember(body))).toThrow(); // what gunzip says of the same bytes
    await expect(inflate(Buffer.concat([gzipSync(body), fullHeaderMember(body)]), 4096)).rejects.toThrow(/corrupt or truncated gzip data/);
  });

  it("an error the source raises at its end (a digest mismatch) reaches the caller, wherever the member ended", async () => {
    const gz = gzipSync(data(100_000, 7));
    for (const [size, lateMs] of [[gz.length, 0], [gz.length, 50], [gz.length - 4, 0], [4096, 0], [333, 0]] as const) {
      async function* failing(): AsyncGenerator<Buffer> {
        yield* chunks(gz, size);
        // Late: the member has ended and its trailer is in hand while this read is still pending.
        if (lateMs) await new Promise((r) => setTimeout(r, lateMs));
        throw new Error("digest mismatch");
      }
      const run = async () => {
        for await (const _c of decompressLayer(failing(), { what: "layer sha256:x", maxBytes: 1 << 30, maxZstdWindow: 1 << 27, digestChecked: true }));
      };
      await expect(run(), `${size}-byte chunks, ${lateMs} ms late`).rejects.toThrow("digest mismatch");
    }
  });

  it("a long header trickled in one-byte chunks is read in linear time", async () => {
    const body = data(1000, 6);
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(body.length, 4);
    const gz = Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]), Buffer.alloc(200_000, 0x41), Buffer.from([0]), deflateRawSync(body), trailer]);
    const started = Date.now();
    expect((await inflate(gz, 1)).equals(body)).toBe(true);
    // Re-parsing the whole buffered header at every byte would copy ~20 GB here.
    expect(Date.now() - started).toBeLessThan(4000);
  });

  it("refuses what is not gzip, with the layer named", async () => {
    const good = gzipSync(data(40_000, 4));
    const cases: [string, Buffer][] = [
      ["truncated in the data", good.subarray(0, good.length >> 1)],
      ["truncated in the trailer", good.subarray(0, good.length - 3)],
      ["truncated in the header", good.subarray(0, 6)],
      ["a corrupt block", Buffer.concat([good.subarray(0, 10), Buffer.from([0xff, 0xff, 0xff]), good.subarray(13)])],
      ["a wrong length in the trailer", Buffer.concat([good.subarray(0, good.length - 4), Buffer.from([1, 2, 3, 4])])],
      ["garbage after a member", Buffer.concat([good, Buffer.from("garbage")])],
      ["another compression method", Buffer.from([0x1f, 0x8b, 7, 0, 0, 0, 0, 0, 0, 3])],
      ["reserved flags", Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 0x20]), good.subarray(4)])],
      ["a name longer than the header bound", Buffer.concat([Buffer.from([0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3]), Buffer.alloc(MAX_GZIP_HEADER_BYTES + 10, 0x41)])],
    ];
    for (const [why, gz] of cases) {
      const err = await inflate(gz, 1000).catch((e: Error) => e);
      expect(err, why).toBeInstanceOf(InputError);
      expect((err as Error).message, why).toMatch(/^layer sha256:x: /);
    }
  });

  it("is used only when the layer's digest is checked; otherwise gunzip checks the CRC", async () => {
    const body = data(20_000, 5);
    expect((await inflate(fullHeaderMember(body), 4096, true)).equals(body)).toBe(true);
    await expect(inflate(fullHeaderMember(body), 4096, false)).rejects.toThrow(/corrupt or truncated gzip data/);
  });

  it("a layer of many members (eStargz-like) costs one raw member, then gunzip's single stream", async () => {
    const files = Array.from({ length: 2000 }, (_, i) => gzipSync(Buffer.from(`file ${i}\n`)));
    const gz = Buffer.concat(files);
    expect((await inflate(gz, 65536)).toString()).toBe(gunzipSync(gz).toString());
  });

  it("seeded mutations: never more lenient than gunzip except for the first member's CRCs, and only clear errors", async () => {
    const base = Buffer.concat([gzipSync(data(30_000, 8)), gzipSync(data(5_000, 9)), Buffer.alloc(16)]);
    const rnd = prng(0x621f);
    const outcome = async (b: Buffer, digestChecked: boolean) => {
      const out: Uint8Array[] = [];
      try {
        for await (const c of decompressLayer(chunks(b, 1 + Math.floor(rnd() * 5000)), { what: "layer sha256:x", maxBytes: 1 << 24, maxZstdWindow: 1 << 27, digestChecked })) out.push(c);
        return { bytes: Buffer.concat(out) };
      } catch (err) {
        expect(err instanceof InputError || err instanceof LimitExceededError, String(err)).toBe(true);
        return { error: err as Error };
      }
    };
    let bothRead = 0;
    for (let i = 0; i < 300; i++) {
      const input = mutate(base, rnd);
      const [checked, gunzip] = [await outcome(input, true), await outcome(input, false)];
      if (gunzip.bytes) {
        expect(checked.bytes?.equals(gunzip.bytes), `mutation ${i}`).toBe(true);
        bothRead++;
      } else if (checked.bytes) {
        // Read here, refused by gunzip: only for a check value the digest makes redundant.
        expect(gunzip.error!.message, `mutation ${i}`).toMatch(/incorrect data check|header crc mismatch/);
      }
    }
    expect(bothRead).toBeGreaterThan(10); // some mutations leave the stream valid (e.g. in the padding)
  });

  it("stops a bomb at maxBytes as gunzip does", async () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024));
    const run = async () => {
      for await (const _c of decompressLayer(chunks(bomb, 4096), { what: "layer sha256:x", maxBytes: 1024 * 1024, maxZstdWindow: 1 << 27, digestChecked: true }));
    };
    await expect(run()).rejects.toThrow(/maxLayerBytes/);
  });
});
