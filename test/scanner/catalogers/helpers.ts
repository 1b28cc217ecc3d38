// Fixture builders: rpm databases (sqlite via sql.js, Berkeley DB hash, ndb), zip archives and
// minimal ELF files with Go build info. Each follows the on-disk layout the parsers document.
import { createRequire } from "node:module";
import { dirname } from "node:path";
import initSqlJs from "sql.js";
import { encodeRpmHeader, TAG, type RpmHeader } from "../../../shared/scanner/catalogers/rpm/header.js";
import { prng } from "../../../bench/prng.js";
import { makeZip } from "../../support/zip-writer.js";

export { makeZip };

export { prng };

export { encodeRpmHeader, TAG };

/** What a fixture rpm header holds: the parser's header, with name, version and release required. */
export type RpmSpec = RpmHeader & { name: string; version: string; release: string };

export function rpmBlob(p: RpmSpec): Buffer {
  const tags: { tag: number; value: string | number | string[] }[] = [
    { tag: TAG.NAME, value: p.name },
    { tag: TAG.VERSION, value: p.version },
    { tag: TAG.RELEASE, value: p.release },
  ];
  if (p.epoch !== undefined) tags.push({ tag: TAG.EPOCH, value: p.epoch });
  if (p.vendor) tags.push({ tag: TAG.VENDOR, value: p.vendor });
  if (p.license) tags.push({ tag: TAG.LICENSE, value: p.license });
  tags.push({ tag: TAG.ARCH, value: p.arch ?? "x86_64" });
  if (p.sourceRpm) tags.push({ tag: TAG.SOURCERPM, value: p.sourceRpm });
  if (p.modularityLabel) tags.push({ tag: TAG.MODULARITYLABEL, value: p.modularityLabel });
  // An unrelated string-array tag (file basenames) like real headers have; makes blobs span
  // several Berkeley DB overflow pages at small page sizes.
  tags.push({ tag: 1117, value: Array.from({ length: 120 }, (_, i) => `file-${i}.so`) });
  return encodeRpmHeader(tags);
}

export async function rpmSqlite(blobs: Buffer[]): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  const dist = dirname(require.resolve("sql.js/dist/sql-wasm.wasm"));
  const SQL = await initSqlJs({ locateFile: (f: string) => `${dist}/${f}` });
  const db = new SQL.Database();
  db.run("CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL)");
  db.run("CREATE TABLE Name (key TEXT NOT NULL, hnum INTEGER NOT NULL, idx INTEGER NOT NULL)");
  for (const b of blobs) db.run("INSERT INTO Packages (blob) VALUES (?)", [new Uint8Array(b)]);
  const out = Buffer.from(db.export());
  db.close();
  return out;
}

/** Berkeley DB hash file: meta page, one hash page of key/H_OFFPAGE pairs, overflow chains. */
export function rpmBdb(blobs: Buffer[], opts: { pageSize?: number; bigEndian?: boolean } = {}): Buffer {
  const ps = opts.pageSize ?? 4096;
  const be = opts.bigEndian ?? false;
  const pages: Buffer[] = [];
  const w16 = (b: Buffer, o: number, v: number) => (be ? b.writeUInt16BE(v, o) : b.writeUInt16LE(v, o));
  const w32 = (b: Buffer, o: number, v: number) => (be ? b.writeUInt32BE(v, o) : b.writeUInt32LE(v, o));
  const meta = Buffer.alloc(ps);
  pages.push(meta);
  const hash = Buffer.alloc(ps);
  pages.push(hash);
  // Overflow chains first, so we know page numbers.
  const chains: { first: number; len: number }[] = [];
  const room = ps - 26;
  for (const blob of blobs) {
    const first = pages.length;
    const n = Math.max(1, Math.ceil(blob.length / room));
    for (let i = 0; i < n; i++) {
      const pg = Buffer.alloc(ps);
      const part = blob.subarray(i * room, (i + 1) * room);
      w32(pg, 8, pages.length);
      w32(pg, 12, i ? pages.length - 1 : 0);
      w32(pg, 16, i < n - 1 ? pages.length + 1 : 0);
      w16(pg, 20, 1);
      w16(pg, 22, part.length);
      pg[25] = 7;
      part.copy(pg, 26);
      pages.push(pg);
    }
    chains.push({ first, len: blob.length });
  }
  // Hash page: entries = 2 per record; items placed from the end of the page.
  let top = ps;
  const offsets: number[] = [];
  blobs.forEach((_, i) => {
    const key = Buffer.alloc(5);
    key[0] = 1;
    w32(key, 1, i + 1);
    top -= key.length;
    key.copy(hash, top);
    offsets.push(top);
    const off = Buffer.alloc(12);
    off[0] = 3;
    w32(off, 4, chains[i]!.first);
    w32(off, 8, chains[i]!.len);
    top -= off.length;
    off.copy(hash, top);
    offsets.push(top);
  });
  w32(hash, 8, 1);
  w16(hash, 20, offsets.length);
  w16(hash, 22, top);
  hash[25] = 13;
  offsets.forEach((o, i) => w16(hash, 26 + i * 2, o));
  w32(meta, 12, 0x061561);
  w32(meta, 16, 9);
  w32(meta, 20, ps);
  meta[25] = 8;
  w32(meta, 32, pages.length - 1);
  return Buffer.concat(pages);
}

export function rpmNdb(blobs: Buffer[]): Buffer {
  const slotPages = 1;
  const head = Buffer.alloc(slotPages * 4096);
  head.writeUInt32LE(0x506d7052, 0);
  head.writeUInt32LE(0, 4);
  head.writeUInt32LE(1, 8);
  head.writeUInt32LE(slotPages, 12);
  const parts: Buffer[] = [head];
  let blk = head.length / 16;
  blobs.forEach((b, i) => {
    const slot = 32 + i * 16;
    const cnt = Math.ceil((16 + b.length + 16) / 16);
    head.writeUInt32LE(0x746f6c53, slot);
    head.writeUInt32LE(i + 1, slot + 4);
    head.writeUInt32LE(blk, slot + 8);
    head.writeUInt32LE(cnt, slot + 12);
    const blob = Buffer.alloc(cnt * 16);
    blob.writeUInt32LE(0x53626c42, 0);
    blob.writeUInt32LE(i + 1, 4);
    blob.writeUInt32LE(0, 8);
    blob.writeUInt32LE(b.length, 12);
    b.copy(blob, 16);
    parts.push(blob);
    blk += cnt;
  });
  // Remaining slots of the page are free slots (magic set, pkgidx 0).
  for (let o = 32 + blobs.length * 16; o + 16 <= head.length; o += 16) head.writeUInt32LE(0x746f6c53, o);
  return Buffer.concat(parts);
}


function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

const SENTINEL_START = Buffer.from("3077af0c9274080241e1c107e6d618e6", "hex");
const SENTINEL_END = Buffer.from("f932433186182072008242104116d8f2", "hex");

/**
 * A minimal ELF64 little-endian executable: header, one PT_LOAD covering the file at
 * 0x400000, and a build-info blob in either the inline (Go >= 1.18) or pointer (older) format.
 */
export function goElf(version: string, modinfo: string, format: "inline" | "pointer" = "inline"): Buffer {
  const base = 0x400000;
  const file = elf64Head(1, 8192);
  // PT_LOAD: offset 0 → vaddr base, whole file.
  file.writeUInt32LE(1, 64);
  file.writeUInt32LE(5, 68);
  file.writeBigUInt64LE(0n, 72);
  file.writeBigUInt64LE(BigInt(base), 80);
  file.writeBigUInt64LE(BigInt(base), 88);
  file.writeBigUInt64LE(BigInt(file.length), 96);
  file.writeBigUInt64LE(BigInt(file.length), 104);
  const mod = Buffer.concat([SENTINEL_START, Buffer.from(modinfo), SENTINEL_END]);
  const at = 0x1000;
  Buffer.from("\xff Go buildinf:", "latin1").copy(file, at);
  file[at + 14] = 8;
  if (format === "inline") {
    file[at + 15] = 2;
    Buffer.concat([uvarint(version.length), Buffer.from(version), uvarint(mod.length), mod]).copy(file, at + 32);
  } else {
    file[at + 15] = 0;
    // String headers at 0x1100 / 0x1110, data at 0x1200 / 0x1300.
    const verData = 0x1200;
    const modData = 0x1300;
    Buffer.from(version).copy(file, verData);
    mod.copy(file, modData);
    file.writeBigUInt64LE(BigInt(base + 0x1100), at + 16);
    file.writeBigUInt64LE(BigInt(base + 0x1110), at + 24);
    file.writeBigUInt64LE(BigInt(base + verData), 0x1100);
    file.writeBigUInt64LE(BigInt(version.length), 0x1108);
    file.writeBigUInt64LE(BigInt(base + modData), 0x1110);
    file.writeBigUInt64LE(BigInt(mod.length), 0x1118);
  }
  return file;
}


/** The first `size` bytes of an ELF64 little-endian x86-64 executable with `phnum` program headers at 64. */
export function elf64Head(phnum: number, size = 4096): Buffer {
  const head = Buffer.alloc(size);
  head.writeUInt32BE(0x7f454c46, 0);
  head[4] = 2; // 64-bit
  head[5] = 1; // little-endian
  head[6] = 1;
  head.writeUInt16LE(2, 16); // ET_EXEC
  head.writeUInt16LE(62, 18); // x86-64
  head.writeBigUInt64LE(64n, 32); // e_phoff
  head.writeUInt16LE(64, 52);
  head.writeUInt16LE(56, 54);
  head.writeUInt16LE(phnum, 56);
  return head;
}

/**
 * A large Go ELF laid out the way the linker lays it out: text (R E) from offset 0, then the
 * writable data segment at `dataOffset` that starts with the inline build-info header. Returns the
 * head and the data block; everything between is zeros (a sparse file on disk, a generated stream).
 */
export function largeGoElf(size: number, dataOffset: number, version: string, modinfo: string): { head: Buffer; data: Buffer; dataOffset: number; size: number } {
  const base = 0x400000;
  const head = elf64Head(2);
  const load = (at: number, flags: number, off: number, len: number) => {
    head.writeUInt32LE(1, at);
    head.writeUInt32LE(flags, at + 4);
    head.writeBigUInt64LE(BigInt(off), at + 8);
    head.writeBigUInt64LE(BigInt(base + off), at + 16);
    head.writeBigUInt64LE(BigInt(base + off), at + 24);
    head.writeBigUInt64LE(BigInt(len), at + 32);
    head.writeBigUInt64LE(BigInt(len), at + 40);
  };
  load(64, 5, 0, dataOffset);
  load(120, 6, dataOffset, size - dataOffset);
  Buffer.from('\xff Go build ID: "fixture"', "latin1").copy(head, 0x1000);
  const mod = Buffer.concat([SENTINEL_START, Buffer.from(modinfo), SENTINEL_END]);
  const data = Buffer.alloc(64 * 1024);
  Buffer.from("\xff Go buildinf:", "latin1").copy(data, 0);
  data[14] = 8;
  data[15] = 2;
  Buffer.concat([uvarint(version.length), Buffer.from(version), uvarint(mod.length), mod]).copy(data, 32);
  return { head, data, dataOffset, size };
}
