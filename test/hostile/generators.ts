// Generators of hostile inputs. Nothing large is committed: each input is built here, small on the
// wire and expensive only for a reader that does not bound its work.
import { createHash } from "node:crypto";
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";

/** One ustar header block (tar-stream refuses to write some of these). */
export function tarHeader(name: string, size: number, type = "0", linkname = ""): Buffer {
  const b = Buffer.alloc(512);
  b.write(name, 0, 100, "utf8");
  b.write("0000644\0", 100);
  b.write("0000000\0", 108);
  b.write("0000000\0", 116);
  b.write(size.toString(8).padStart(11, "0") + "\0", 124);
  b.write("00000000000\0", 136);
  b.write(type, 156);
  b.write(linkname, 157, 100);
  b.write("ustar\0", 257);
  b.write("00", 263);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return b;
}

export type TarItem = { name: string; data?: Buffer | string; type?: "file" | "symlink" | "hardlink" | "dir"; target?: string };

/** A tar archive of regular files, directories, symlinks and hardlinks. */
export function tar(items: TarItem[]): Buffer {
  const parts: Buffer[] = [];
  for (const it of items) {
    const type = it.type ?? "file";
    const data = type === "file" ? (Buffer.isBuffer(it.data) ? it.data : Buffer.from(it.data ?? "")) : Buffer.alloc(0);
    const flag = { file: "0", hardlink: "1", symlink: "2", dir: "5" }[type];
    parts.push(tarHeader(it.name, data.length, flag, it.target ?? ""), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad));
  }
  parts.push(Buffer.alloc(1024));
  return Buffer.concat(parts);
}

/**
 * `piece` repeated `times` as concatenated gzip members (valid gzip: readers inflate member after
 * member). Deflate's ratio tops out near 1000:1 whatever the piece's size, so compressing one small
 * piece once gives a bomb as dense as compressing the whole, at a fraction of the generator's time.
 */
export function repeatedGzip(piece: Buffer, times: number): Buffer {
  return Buffer.concat(Array<Buffer>(times).fill(gzipSync(piece, { level: 9 })));
}

/** A gzip bomb: `size` zero bytes (a multiple of 4 MiB, or under it), about size/1000 on the wire. */
export function gzipBomb(size: number): Buffer {
  const piece = 4 * 1024 * 1024;
  return size < piece ? gzipSync(Buffer.alloc(size), { level: 9 }) : repeatedGzip(Buffer.alloc(piece), Math.floor(size / piece));
}

/**
 * A jar whose central directory lists `entries` nested jars that all point at ONE deflated entry of
 * `inflated` zero bytes, each declaring `declared` bytes (so a reader trusting the declaration tries
 * to inflate `declared` bytes per entry, and fails, again and again).
 */
export function overlappingJar(entries: number, inflated: number, declared = inflated): Buffer {
  const body = deflateRawSync(Buffer.alloc(inflated), { level: 9 });
  const name = Buffer.from("lib/bomb.jar");
  const lh = Buffer.alloc(30);
  lh.writeUInt32LE(0x04034b50, 0);
  lh.writeUInt16LE(20, 4);
  lh.writeUInt16LE(8, 8);
  lh.writeUInt32LE(body.length, 18);
  lh.writeUInt32LE(declared, 22);
  lh.writeUInt16LE(name.length, 26);
  const central: Buffer[] = [];
  for (let i = 0; i < entries; i++) {
    const n = Buffer.from(`lib/x${i}.jar`);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt16LE(8, 10);
    ch.writeUInt32LE(body.length, 20);
    ch.writeUInt32LE(declared, 24);
    ch.writeUInt16LE(n.length, 28);
    ch.writeUInt32LE(0, 42); // every entry: the same local header
    central.push(ch, n);
  }
  const cd = Buffer.concat(central);
  const offset = 30 + name.length + body.length;
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(Math.min(entries, 0xffff), 8);
  eocd.writeUInt16LE(Math.min(entries, 0xffff), 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([lh, name, body, cd, eocd]);
}

/** `depth` jars each nested in the next (stored entries, so every level is cheap to build). */
export function nestedJar(depth: number, inner: Buffer = storedZip([{ name: "META-INF/MANIFEST.MF", data: Buffer.from("Manifest-Version: 1.0\n") }])): Buffer {
  let jar = inner;
  for (let i = 0; i < depth; i++) jar = storedZip([{ name: `lib/level${i}.jar`, data: jar }]);
  return jar;
}

/** A zip of stored entries. */
export function storedZip(entries: { name: string; data: Buffer }[]): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const lh = Buffer.alloc(30);
    lh.writeUInt32LE(0x04034b50, 0);
    lh.writeUInt16LE(20, 4);
    lh.writeUInt32LE(e.data.length, 18);
    lh.writeUInt32LE(e.data.length, 22);
    lh.writeUInt16LE(name.length, 26);
    const ch = Buffer.alloc(46);
    ch.writeUInt32LE(0x02014b50, 0);
    ch.writeUInt16LE(20, 4);
    ch.writeUInt16LE(20, 6);
    ch.writeUInt32LE(e.data.length, 20);
    ch.writeUInt32LE(e.data.length, 24);
    ch.writeUInt16LE(name.length, 28);
    ch.writeUInt32LE(offset, 42);
    locals.push(lh, name, e.data);
    central.push(ch, name);
    offset += 30 + name.length + e.data.length;
  }
  const cd = Buffer.concat(central);
  const eocd = Buffer.alloc(22);
  eocd.writeUInt32LE(0x06054b50, 0);
  eocd.writeUInt16LE(entries.length, 8);
  eocd.writeUInt16LE(entries.length, 10);
  eocd.writeUInt32LE(cd.length, 12);
  eocd.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, eocd]);
}

/** `NOT NOT … true` with `n` NOTs. */
export function notChain(n: number): string {
  return `MATCH (p:Pod) WHERE ${"NOT ".repeat(n)}true RETURN p`;
}

// ---- zstd (RFC 8878), written by hand: Node 20 has no zstd encoder and none is needed ----------

const ZSTD_MAGIC = 0xfd2fb528;
const ZSTD_BLOCK = 128 * 1024;

/** A frame header with no checksum, dictionary or content size: only the window is declared (2^windowLog bytes). */
function zstdFrameHeader(windowLog: number): Buffer {
  const h = Buffer.alloc(6);
  h.writeUInt32LE(ZSTD_MAGIC, 0);
  h[4] = 0x00; // Frame_Header_Descriptor: not single-segment, so a Window_Descriptor follows
  h[5] = (windowLog - 10) << 3; // exponent, mantissa 0
  return h;
}

function zstdBlockHeader(last: boolean, type: 0 | 1, size: number): Buffer {
  const v = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

/** Raw blocks carrying `data` as it is. */
function zstdRaw(data: Buffer, last: boolean): Buffer[] {
  const out: Buffer[] = [];
  let at = 0;
  do {
    const piece = data.subarray(at, at + ZSTD_BLOCK);
    at += piece.length;
    out.push(zstdBlockHeader(last && at >= data.length, 0, piece.length), piece);
  } while (at < data.length);
  return out;
}

/**
 * A zstd bomb that is a valid layer: a tar whose file `opt/zero` holds `size` zero bytes, the zeros
 * as RLE blocks (4 bytes on the wire per 128 KiB: a ratio above 30,000), `before` entries first.
 */
export function zstdBombLayer(size: number, before: TarItem[] = []): Buffer {
  if (size % ZSTD_BLOCK) throw new Error("size must be a multiple of 128 KiB");
  const head = tar(before).subarray(0, -1024); // without the end-of-archive marker
  const rle = Buffer.concat([zstdBlockHeader(false, 1, ZSTD_BLOCK), Buffer.from([0])]);
  return Buffer.concat([
    zstdFrameHeader(17),
    ...zstdRaw(Buffer.concat([head, tarHeader("opt/zero", size)]), false),
    ...Array.from({ length: size / ZSTD_BLOCK }, () => rle),
    ...zstdRaw(Buffer.alloc(1024), true),
  ]);
}

/** A tiny zstd frame that declares a window of 2^windowLog bytes (the decoder would allocate it). */
export function zstdWideWindow(windowLog = 31): Buffer {
  return Buffer.concat([zstdFrameHeader(windowLog), ...zstdRaw(Buffer.alloc(1024), true)]);
}

// ---- tar bombs ---------------------------------------------------------------------------------

/** A gzip layer of `entries` empty files (one header each, all alike; a multiple of 8,192). */
export function manyEntriesLayer(entries: number): Buffer {
  const perPiece = 8192;
  const piece = Buffer.concat(Array<Buffer>(perPiece).fill(tarHeader("tmp/x", 0)));
  return Buffer.concat([repeatedGzip(piece, Math.ceil(entries / perPiece)), gzipSync(Buffer.alloc(1024))]);
}

/** A header whose size is written in GNU base-256 (sizes beyond the 8 GiB octal field). */
export function base256SizeHeader(name: string, size: bigint): Buffer {
  const b = tarHeader(name, 0);
  const field = Buffer.alloc(12);
  field[0] = 0x80;
  let v = size;
  for (let i = 11; i > 0; i--) {
    field[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  field.copy(b, 124);
  b.fill(0x20, 148, 156);
  let sum = 0;
  for (const x of b) sum += x;
  b.write(sum.toString(8).padStart(6, "0") + "\0 ", 148);
  return b;
}

/** `count` GNU long-name ('L') entries of `nameBytes` each, one after the other, then one small file. */
export function longNameChain(count: number, nameBytes: number): Buffer {
  const body = Buffer.alloc(nameBytes + ((512 - (nameBytes % 512)) % 512), 0x61);
  const one = Buffer.concat([tarHeader("././@LongLink", nameBytes, "L"), body]);
  const tail = tar([{ name: "etc/hostname", data: "x\n" }]);
  return Buffer.concat([repeatedGzip(one, count), gzipSync(tail)]);
}

// ---- OCI image layouts -------------------------------------------------------------------------

export interface HostileLayer {
  data: Buffer;
  /** Default: gzip (the media type is checked against the bytes' own magic). */
  mediaType?: string;
}

const sha256 = (b: Buffer) => `sha256:${createHash("sha256").update(b).digest("hex")}`;

/**
 * Writes an OCI image layout at `dir` holding one image whose manifest lists `order` (indexes into
 * `layers`; default each once — a repeated index repeats the same layer digest). Returns the
 * manifest digest.
 */
export async function writeHostileLayout(dir: string, layers: HostileLayer[], order: number[] = layers.map((_, i) => i)): Promise<string> {
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  const put = async (b: Buffer) => {
    const d = sha256(b);
    await writeFile(join(dir, "blobs", "sha256", d.slice(7)), b);
    return { digest: d, size: b.length };
  };
  const descs: { mediaType: string; digest: string; size: number }[] = [];
  for (const l of layers) descs.push({ mediaType: l.mediaType ?? "application/vnd.oci.image.layer.v1.tar+gzip", ...(await put(l.data)) });
  const config = Buffer.from(JSON.stringify({ architecture: "amd64", os: "linux", rootfs: { type: "layers", diff_ids: order.map(() => `sha256:${"0".repeat(64)}`) } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: { mediaType: "application/vnd.oci.image.config.v1+json", ...(await put(config)) },
      layers: order.map((i) => descs[i]),
    }),
  );
  const m = await put(manifest);
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, manifests: [{ mediaType: "application/vnd.oci.image.manifest.v1+json", ...m, annotations: { "org.opencontainers.image.ref.name": "latest" } }] }));
  return m.digest;
}
