// A minimal, bounded zip reader (APPNOTE.TXT) for jars and feed archives: find the end-of-central-directory record
// (zip64 when needed), list central-directory entries, and extract stored or deflated entries
// with an output cap. Local headers are only used to find where an entry's data begins.
import { inflateRawSync } from "node:zlib";

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

function findEocd(buf: Buffer): number {
  const min = Math.max(0, buf.length - 22 - 0xffff);
  for (let i = buf.length - 22; i >= min; i--) if (buf.readUInt32LE(i) === EOCD) return i;
  return -1;
}

function u64(buf: Buffer, o: number): number {
  const v = buf.readBigUInt64LE(o);
  return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(v);
}

export function readZipDirectory(buf: Buffer, maxEntries: number): { entries: ZipEntry[]; error?: string } {
  const e = findEocd(buf);
  if (e < 0) return { entries: [], error: "no zip end of central directory record" };
  let count = buf.readUInt16LE(e + 10);
  let cdOffset = buf.readUInt32LE(e + 16);
  if ((count === 0xffff || cdOffset === 0xffffffff) && e >= 20 && buf.readUInt32LE(e - 20) === EOCD64_LOCATOR) {
    const z = u64(buf, e - 20 + 8);
    if (z + 56 <= buf.length && buf.readUInt32LE(z) === EOCD64) {
      count = u64(buf, z + 32);
      cdOffset = u64(buf, z + 48);
    }
  }
  const entries: ZipEntry[] = [];
  let p = cdOffset;
  for (let i = 0; i < count; i++) {
    if (entries.length >= maxEntries) return { entries, error: `more than ${maxEntries} zip entries; truncated` };
    if (p + 46 > buf.length || buf.readUInt32LE(p) !== CEN) return { entries, error: "corrupt zip central directory" };
    const method = buf.readUInt16LE(p + 10);
    let compressedSize = buf.readUInt32LE(p + 20);
    let size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    let localOffset = buf.readUInt32LE(p + 42);
    if (p + 46 + nameLen + extraLen > buf.length) return { entries, error: "corrupt zip central directory" };
    const name = buf.toString("utf8", p + 46, p + 46 + nameLen);
    // zip64 extended information extra field (id 1) carries the 64-bit values that are 0xffffffff.
    let x = p + 46 + nameLen;
    const xEnd = x + extraLen;
    while (x + 4 <= xEnd) {
      const id = buf.readUInt16LE(x);
      const len = buf.readUInt16LE(x + 2);
      if (id === 1) {
        let q = x + 4;
        const end = Math.min(q + len, xEnd);
        if (size === 0xffffffff && q + 8 <= end) {
          size = u64(buf, q);
          q += 8;
        }
        if (compressedSize === 0xffffffff && q + 8 <= end) {
          compressedSize = u64(buf, q);
          q += 8;
        }
        if (localOffset === 0xffffffff && q + 8 <= end) localOffset = u64(buf, q);
      }
      x += 4 + len;
    }
    entries.push({ name, method, compressedSize, size, localOffset });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return { entries };
}

/** The entry's bytes, or undefined when unreadable, encrypted, unsupported or over `maxSize`. */
export function readZipEntry(buf: Buffer, entry: ZipEntry, maxSize: number): Buffer | undefined {
  if (entry.size > maxSize) return undefined;
  const l = entry.localOffset;
  if (l + 30 > buf.length || buf.readUInt32LE(l) !== LOC) return undefined;
  if (buf.readUInt16LE(l + 6) & 1) return undefined; // encrypted
  const start = l + 30 + buf.readUInt16LE(l + 26) + buf.readUInt16LE(l + 28);
  const end = start + entry.compressedSize;
  if (end > buf.length) return undefined;
  const raw = buf.subarray(start, end);
  // Stored bytes are their own size: a directory that declares otherwise would slip past `maxSize`.
  if (entry.method === 0) return entry.compressedSize === entry.size ? raw : undefined;
  if (entry.method !== 8) return undefined;
  try {
    // maxOutputLength makes a zip bomb fail fast instead of exhausting memory.
    return inflateRawSync(raw, { maxOutputLength: Math.max(1, Math.min(maxSize, entry.size || maxSize)) });
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
    readonly buf: Buffer,
    private readonly budget: InflateBudget,
  ) {}

  read(entry: ZipEntry, maxSize: number): ZipRead {
    if (this.seenOffsets.has(entry.localOffset)) return { skipped: "overlap" };
    this.seenOffsets.add(entry.localOffset);
    if (this.budget.attempts <= 0 || this.budget.bytes <= 0) return { skipped: "budget" };
    this.budget.attempts--;
    const cap = Math.min(maxSize, this.budget.bytes);
    const data = readZipEntry(this.buf, entry, cap);
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
