// rpm "ndb" package database (Packages.db, SUSE): little-endian. A 32-byte header {magic "RpmP",
// version 0, generation, slot page count, 16 reserved}; slot pages (4 KiB each, starting right
// after the header) hold 16-byte slots {magic "Slot", pkgidx (0 = free), blkoff, blkcnt}; a blob
// starts at blkoff * 16 with a 16-byte header {magic "BlbS", pkgidx, checksum, length} followed by
// the rpm header blob.
const HEADER_MAGIC = 0x506d7052; // "RpmP"
const SLOT_MAGIC = 0x746f6c53; // "Slot"
const BLOB_MAGIC = 0x53626c42; // "BlbS"
const SLOT_PAGE = 4096;
const BLK = 16;

export function isNdb(buf: Buffer): boolean {
  return buf.length >= 32 && buf.readUInt32LE(0) === HEADER_MAGIC;
}

export function readNdbBlobs(buf: Buffer, maxBlobs: number): { blobs: Buffer[]; warnings: string[] } {
  const warnings: string[] = [];
  const blobs: Buffer[] = [];
  if (!isNdb(buf)) return { blobs, warnings: ["not an rpm ndb database"] };
  if (buf.readUInt32LE(4) !== 0) return { blobs, warnings: [`unsupported ndb version ${buf.readUInt32LE(4)}`] };
  const slotPages = buf.readUInt32LE(12);
  if (slotPages === 0 || slotPages > 2048) return { blobs, warnings: ["implausible ndb slot page count"] };
  const slotEnd = Math.min(slotPages * SLOT_PAGE, buf.length - (buf.length % BLK));
  let bad = 0;
  for (let o = 32; o + 16 <= slotEnd && blobs.length < maxBlobs; o += 16) {
    if (buf.readUInt32LE(o) !== SLOT_MAGIC) {
      bad++;
      continue;
    }
    const pkgidx = buf.readUInt32LE(o + 4);
    if (pkgidx === 0) continue;
    const at = buf.readUInt32LE(o + 8) * BLK;
    if (at + 16 > buf.length || buf.readUInt32LE(at) !== BLOB_MAGIC || buf.readUInt32LE(at + 4) !== pkgidx) {
      bad++;
      continue;
    }
    const len = buf.readUInt32LE(at + 12);
    if (at + 16 + len > buf.length) {
      bad++;
      continue;
    }
    blobs.push(buf.subarray(at + 16, at + 16 + len));
  }
  if (bad) warnings.push(`${bad} invalid ndb slot(s) or blob(s) skipped`);
  return { blobs, warnings };
}
