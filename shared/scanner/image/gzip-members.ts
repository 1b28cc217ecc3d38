// Gzip (RFC 1952) for layers whose bytes are already checked by their sha256 digest: the first
// member's header is read here and its deflate data inflated raw, so zlib does not also compute the
// CRC-32 of every decompressed byte (0.4 of 7.7 CPU seconds on a 2 GB image). The digest covers
// every byte the CRC would. Nearly every layer is one member; whatever follows the first goes to
// gunzip, CRC included. A layer whose content no digest checks goes through gunzip whole.
//
// After a member, zero bytes are padding that ends the data, as gzip and Node's gunzip read them.
// The member's ISIZE (its length mod 2^32) is still checked: it is free, and catches a member cut
// short or spliced.
import { createInflateRaw, type ZlibOptions } from "node:zlib";
import { Readable, type TransformOptions } from "node:stream";
import { InputError } from "../../errors.js";

/** A member header is 10 bytes plus optional fields; a name or comment longer than this is refused. */
export const MAX_GZIP_HEADER_BYTES = 256 * 1024;

const FHCRC = 2;
const FEXTRA = 4;
const FNAME = 8;
const FCOMMENT = 16;
const RESERVED = 0xe0;

/** Length of the member header at the start of `b`, or undefined while more bytes are needed. */
export function gzipHeaderLength(b: Buffer, what: string): number | undefined {
  if (b.length >= 2 && (b[0] !== 0x1f || b[1] !== 0x8b)) throw new InputError(`${what}: corrupt gzip data (a member does not start with the gzip magic)`);
  if (b.length >= 3 && b[2] !== 8) throw new InputError(`${what}: corrupt gzip data (compression method ${b[2]}, only deflate is defined)`);
  if (b.length >= 4 && b[3]! & RESERVED) throw new InputError(`${what}: corrupt gzip data (reserved header flags set)`);
  if (b.length < 10) return undefined;
  const flags = b[3]!;
  let at = 10;
  if (flags & FEXTRA) {
    if (b.length < at + 2) return undefined;
    at += 2 + b.readUInt16LE(at);
  }
  for (const field of [FNAME, FCOMMENT]) {
    if (!(flags & field)) continue;
    const nul = b.indexOf(0, at);
    if (nul < 0) return undefined;
    at = nul + 1;
  }
  if (flags & FHCRC) at += 2;
  return b.length >= at ? at : undefined;
}

export interface GzipMemberOptions {
  what: string;
  chunkSize: number;
  readableHighWaterMark: number;
}

/**
 * Inflates the first member of `source` raw and returns what follows it: undefined when the data
 * ends there (end of input, or zero padding, which is read to its end but not returned), else the
 * rest of the input, from the next member's header on, for gunzip — which reads any number of
 * members in one zlib stream (eStargz has one per file; a new raw inflater per member would cost a
 * zlib stream each). Whoever takes the rest must read it to its end or return it.
 */
export async function* inflateFirstMember(source: AsyncIterable<Uint8Array>, opts: GzipMemberOptions): AsyncGenerator<Buffer, AsyncIterable<Uint8Array> | undefined> {
  const it = source[Symbol.asyncIterator]();
  let pending: Buffer = Buffer.alloc(0);
  let sourceDone = false;
  let handedOver = false;
  let member: ReturnType<typeof inflateMember> | undefined;
  const next = async (): Promise<Buffer | undefined> => {
    while (!sourceDone) {
      const r = await it.next();
      if (r.done) sourceDone = true;
      else if (r.value.byteLength) return Buffer.isBuffer(r.value) ? r.value : Buffer.from(r.value.buffer, r.value.byteOffset, r.value.byteLength);
    }
    return undefined;
  };
  const more = async (): Promise<boolean> => {
    const c = await next();
    if (c) pending = pending.length ? Buffer.concat([pending, c]) : c;
    return c !== undefined;
  };
  const truncated = () => new InputError(`${opts.what}: corrupt or truncated gzip data (unexpected end of file)`);
  try {
    // The header is parsed again each time the buffered bytes double, so a header trickled in tiny
    // chunks costs linear time.
    let header: number | undefined;
    for (let buffered = 0, tryAt = 10; header === undefined; tryAt *= 2) {
      const parts = [pending];
      for (let c: Buffer | undefined; buffered < tryAt && (c = await next()); buffered += c.length) parts.push(c);
      pending = Buffer.concat(parts);
      header = gzipHeaderLength(pending, opts.what);
      if (header === undefined && sourceDone) throw truncated();
      if (header === undefined && pending.length > MAX_GZIP_HEADER_BYTES) throw new InputError(`${opts.what}: gzip member header longer than ${MAX_GZIP_HEADER_BYTES} bytes`);
    }
    member = inflateMember(pending.subarray(header), next, opts);
    let size = 0;
    for await (const out of member.output) {
      size += out.length;
      yield out;
    }
    pending = await member.rest();
    member = undefined;
    while (pending.length < 8) if (!(await more())) throw truncated();
    if (pending.readUInt32LE(4) !== size % 2 ** 32) throw new InputError(`${opts.what}: corrupt gzip data (member length does not match its trailer)`);
    pending = pending.subarray(8);
    while (!pending.length && (await more()));
    if (!pending.length) return undefined;
    if (pending[0] === 0) {
      // Padding: not data, but read to its end so the digest is checked there.
      while (await next());
      return undefined;
    }
    handedOver = true;
    const first = pending;
    return (async function* () {
      try {
        yield first;
        for (let c = await next(); c; c = await next()) yield c;
      } finally {
        await it.return?.();
      }
    })();
  } finally {
    member?.close();
    if (!handedOver) await it.return?.();
  }
}

/**
 * One member's deflate data, inflated raw. zlib stops at the end of the deflate stream and counts
 * what it consumed (`bytesWritten`); the bytes fed past that point are kept, so `rest()` returns
 * the trailer and whatever follows it.
 */
function inflateMember(first: Buffer, next: () => Promise<Buffer | undefined>, opts: GzipMemberOptions) {
  // zlib passes stream options through to its Transform; the typings only list zlib's own.
  const z = createInflateRaw({ chunkSize: opts.chunkSize, readableHighWaterMark: opts.readableHighWaterMark } as ZlibOptions & TransformOptions);
  const fed: Buffer[] = [];
  let fedStart = 0;
  let stopped = false;
  let pulling: Promise<unknown> = Promise.resolve();
  // A source error (a digest mismatch surfaces at the end) must reach the caller even when it
  // arrives after the member's data: it is kept and thrown by rest().
  let failure: Error | undefined;
  const record = (c: Buffer) => {
    fed.push(c);
    return c;
  };
  const feeder = new Readable({
    read() {
      if (stopped) return;
      trim();
      pulling = next().then(
        (c) => {
          if (stopped) {
            if (c) record(c);
          } else this.push(c ? record(c) : null);
        },
        (err: Error) => {
          failure = err;
          this.destroy(err);
        },
      );
    },
  });
  if (first.length) feeder.push(record(first));
  feeder.on("error", (err) => z.destroy(err));
  feeder.pipe(z);
  const close = () => {
    stopped = true;
    feeder.destroy();
    z.destroy();
  };
  // Chunks zlib consumed entirely are dropped as output arrives and before each read, so `fed`
  // stays a few chunks long.
  const trim = () => {
    while (fed.length && fedStart + fed[0]!.length <= z.bytesWritten) fedStart += fed.shift()!.length;
  };
  return {
    output: (async function* () {
      try {
        for await (const out of z) {
          trim();
          yield out as Buffer;
        }
      } catch (err) {
        const code = (err as { code?: string }).code;
        if (typeof code === "string" && code.startsWith("Z_")) throw new InputError(`${opts.what}: corrupt or truncated gzip data (${(err as Error).message})`);
        throw err;
      }
    })(),
    /** After `output` ended: the bytes fed past the deflate data. */
    async rest(): Promise<Buffer> {
      stopped = true;
      feeder.unpipe(z);
      await pulling;
      if (failure) {
        close();
        throw failure;
      }
      trim();
      const consumed = z.bytesWritten - fedStart;
      close();
      return Buffer.concat(fed).subarray(consumed);
    },
    close,
  };
}
