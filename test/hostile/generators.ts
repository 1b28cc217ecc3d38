// Generators of hostile inputs. Nothing large is committed: each input is built here, small on the
// wire and expensive only for a reader that does not bound its work.
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

/** A gzip bomb: `size` zero bytes, about size/1000 on the wire. */
export function gzipBomb(size: number): Buffer {
  return gzipSync(Buffer.alloc(size), { level: 9 });
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
