// A minimal, bounded zip reader (APPNOTE.TXT) for jars and feed archives: find the
// end-of-central-directory record (zip64 when needed), list central-directory entries, and extract
// stored or deflated entries with an output cap. Local headers are only used to find where an
// entry's data begins. Archives are read by position (from memory or an open file), never whole.
import { inflateRawSync } from "node:zlib";
import type { ByteSource } from "./byte-source.js";

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

const EOCD = 0x06054b50;
const EOCD64 = 0x06064b50;
const EOCD64_LOCATOR = 0x07064b50;
const CEN = 0x02014b50;
const LOC = 0x04034b50;

/** Reads a source through a window of WINDOW bytes, so walking a central directory is a few reads. */
const WINDOW = 1024 * 1024;
class Reader {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  constructor(readonly source: ByteSource) {}

  /** A view of [offset, offset + length), or undefined when that runs past the end. */
  bytes(offset: number, length: number): Buffer | undefined {
    if (offset < 0 || offset + length > this.source.size) return undefined;
    if (offset < this.start || offset + length > this.start + this.buf.length) {
      this.buf = this.source.read(offset, Math.max(length, WINDOW));
      this.start = offset;
      if (this.buf.length < length) return undefined;
    }
    return this.buf.subarray(offset - this.start, offset - this.start + length);
  }
}

function findEocd(r: Reader): number {
  const size = r.source.size;
  const tailStart = Math.max(0, size - 22 - 0xffff);
  const tail = r.bytes(tailStart, size - tailStart);
  if (!tail) return -1;
  for (let i = tail.length - 22; i >= 0; i--) if (tail.readUInt32LE(i) === EOCD) return tailStart + i;
  return -1;
}

function u64(buf: Buffer, o: number): number {
  const v = buf.readBigUInt64LE(o);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export function readZipDirectory(source: ByteSource, maxEntries: number): { entries: ZipEntry[]; error?: string } {
  const r = new Reader(source);
  const e = findEocd(r);
  if (e < 0) return { entries: [], error: "no zip end of central directory record" };
  const eocd = r.bytes(e, 22)!;
  let count = eocd.readUInt16LE(10);
  let cdOffset = eocd.readUInt32LE(16);
  const locator = e >= 20 ? r.bytes(e - 20, 20) : undefined;
  if ((count === 0xffff || cdOffset === 0xffffffff) && locator?.readUInt32LE(0) === EOCD64_LOCATOR) {
    const z = u64(locator, 8);
    const rec = r.bytes(z, 56);
    if (rec?.readUInt32LE(0) === EOCD64) {
      count = u64(rec, 32);
      cdOffset = u64(rec, 48);
    }
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (entries.length >= maxEntries) return { entries, error: `more than ${maxEntries} zip entries; truncated` };
    const rec = r.bytes(p, 46);
    if (!rec || rec.readUInt32LE(0) !== CEN) return { entries, error: "corrupt zip central directory" };
    const method = rec.readUInt16LE(10);
    let compressedSize = rec.readUInt32LE(20);
    let size = rec.readUInt32LE(24);
    const nameLen = rec.readUInt16LE(28);
    const extraLen = rec.readUInt16LE(30);
    const commentLen = rec.readUInt16LE(32);
    let localOffset = rec.readUInt32LE(42);
    const tail = r.bytes(p + 46, nameLen + extraLen);
    if (!tail) return { entries, error: "corrupt zip central directory" };
    const name = tail.toString("utf8", 0, nameLen);
    // zip64 extended information extra field (id 1) carries the 64-bit values that are 0xffffffff.
    let x = nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = tail.readUInt16LE(x);
      const len = tail.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        const end = Math.min(q + len, xEnd);
        if (size === 0xffffffff && q + 8 <= end) {
          size = u64(tail, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= end) {
          compressedSize = u64(tail, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= end) localOffset = u64(tail, q);
      }
      x += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries };
}

/** The entry's bytes, or undefined when unreadable, encrypted, unsupported or over `maxSize`. */
export function readZipEntry(source: ByteSource, entry: ZipEntry, maxSize: number): Buffer | undefined {
  if (entry.size > maxSize) return undefined;
  const l = entry.localOffset;
  const head = l >= 0 && l + 30 <= source.size ? source.read(l, 30) : undefined;
  if (!head || head.length < 30 || head.readUInt32LE(0) !== LOC) return undefined;
  if (head.readUInt16LE(6) & 1) return undefined; // encrypted
  const start = l + 30 + head.readUInt16LE(26) + head.readUInt16LE(28);
  if (start + entry.compressedSize > source.size) return undefined;
  // Stored bytes are their own size: a directory that declares otherwise would slip past `maxSize`.
  if (entry.method === 0) return entry.compressedSize === entry.size ? source.read(start, entry.size) : undefined;
  if (entry.method !== 8) return undefined;
  const maxOut = Math.max(1, Math.min(maxSize, entry.size || maxSize));
  // Deflate grows incompressible data by 5 bytes per 64 KiB stored block: more input than that can
  // only be padding, and a file source would otherwise copy a hostile compressedSize into memory.
  const raw = source.read(start, Math.min(entry.compressedSize, maxOut + Math.ceil(maxOut / 65535) * 5 + 1024));
  try {
    // maxOutputLength makes a zip bomb fail fast instead of exhausting memory.
    return inflateRawSync(raw, { maxOutputLength: maxOut });
  } catch {
    return undefined;
  }
}

/**
 * What inflating may cost, shared by an archive and everything nested in it. Every attempt is
 * charged — a failed inflate may have produced up to its cap before failing, so it costs the cap —
 * and each attempt counts, so a directory of entries that all fail still ends.
 */
export interface InflateBudget {
  /** Bytes that may still be inflated. */
  bytes: number;
  /** Entry reads that may still be attempted. */
  attempts: number;
}

export type ZipRead = { data: Buffer } | { skipped: "budget" | "overlap" | "unreadable" };

/**
 * One archive's entries read under a budget, each local header at most once: entries of a hostile
 * central directory that point at the same data (overlapping entries) are read once, not once each.
 */
export class ZipArchive {
  private readonly seenOffsets = new Set<number>();

  constructor(
    readonly source: ByteSource,
    private readonly budget: InflateBudget,
  ) {}

  read(entry: ZipEntry, maxSize: number): ZipRead {
    if (this.seenOffsets.has(entry.localOffset)) return { skipped: "overlap" };
    this.seenOffsets.add(entry.localOffset);
    if (this.budget.attempts <= 0 || this.budget.bytes <= 0) return { skipped: "budget" };
    this.budget.attempts--;
    const cap = Math.min(maxSize, this.budget.bytes);
    const data = readZipEntry(this.source, entry, cap);
    if (!data) {
      // A deflated entry within its cap was inflated up to its declared size (or the cap) before
      // failing: charge that, whatever the reason it failed.
      if (entry.method === 8 && entry.size <= cap) this.budget.bytes -= entry.size || cap;
      return { skipped: "unreadable" };
    }
    this.budget.bytes -= data.length;
    return { data };
  }
}
