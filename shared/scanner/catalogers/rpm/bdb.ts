// Berkeley DB hash database (rpm's legacy var/lib/rpm/Packages). We do not walk the hash
// structure: every hash page is scanned for key/data pairs and each data item is either inline
// (H_KEYDATA) or, for rpm headers almost always, an off-page item (H_OFFPAGE) whose bytes live in
// a chain of overflow pages. Layout facts (db_page.h): 26-byte page header {lsn 8, pgno 4,
// prev_pgno 4, next_pgno 4, entries 2, hf_offset 2, level 1, type 1}; the metadata page holds
// magic at 12, pagesize at 20, type at 25, last_pgno at 32; byte order is the writer's, told by
// the magic.
const HASH_MAGIC = 0x061561;
const P_HASH_UNSORTED = 2;
const P_OVERFLOW = 7;
const P_HASHMETA = 8;
const P_HASH = 13;
const H_KEYDATA = 1;
const H_OFFPAGE = 3;
const PAGE_HEADER = 26;

export function isBerkeleyHash(buf: Buffer): boolean {
  return buf.length >= 512 && (buf.readUInt32LE(12) === HASH_MAGIC || buf.readUInt32BE(12) === HASH_MAGIC);
}

export function readBerkeleyBlobs(buf: Buffer, maxBlobs: number): { blobs: Buffer[]; warnings: string[] } {
  const warnings: string[] = [];
  const blobs: Buffer[] = [];
  if (!isBerkeleyHash(buf)) return { blobs, warnings: ["not a Berkeley DB hash database"] };
  const le = buf.readUInt32LE(12) === HASH_MAGIC;
  const u16 = (o: number) => (le ? buf.readUInt16LE(o) : buf.readUInt16BE(o));
  const u32 = (o: number) => (le ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const pageSize = u32(20);
  if (buf[25] !== P_HASHMETA || pageSize < 512 || pageSize > 65536 || (pageSize & (pageSize - 1)) !== 0) {
    return { blobs, warnings: ["Berkeley DB metadata page is invalid"] };
  }
  const pages = Math.min(Math.floor(buf.length / pageSize), u32(32) + 1);
  if (u32(32) + 1 > Math.floor(buf.length / pageSize)) warnings.push("Berkeley DB file is truncated");
  let badChains = 0;
  // Records may share overflow chains in a hostile file: cap the bytes copied out overall.
  let copyBudget = 2 * buf.length;

  const readOverflow = (first: number, total: number): Buffer | undefined => {
    const parts: Buffer[] = [];
    let got = 0;
    let pg = first;
    const seen = new Set<number>();
    while (pg !== 0 && got < total) {
      if (pg >= pages || seen.has(pg)) return undefined; // out of range or a loop
      seen.add(pg);
      const base = pg * pageSize;
      if (buf[base + 25] !== P_OVERFLOW) return undefined;
      const len = Math.min(u16(base + 22), pageSize - PAGE_HEADER, total - got);
      parts.push(buf.subarray(base + PAGE_HEADER, base + PAGE_HEADER + len));
      got += len;
      pg = u32(base + 16);
    }
    return got === total ? Buffer.concat(parts, total) : undefined;
  };

  for (let pg = 1; pg < pages && blobs.length < maxBlobs; pg++) {
    const base = pg * pageSize;
    const type = buf[base + 25];
    if (type !== P_HASH && type !== P_HASH_UNSORTED) continue;
    const entries = u16(base + 20);
    if (PAGE_HEADER + entries * 2 > pageSize) continue;
    // Items alternate key, data; offsets are page-relative and items grow down from the page end.
    for (let i = 1; i < entries; i += 2) {
      const off = u16(base + PAGE_HEADER + i * 2);
      if (off < PAGE_HEADER || off >= pageSize) continue;
      const itemType = buf[base + off];
      if (itemType === H_OFFPAGE) {
        if (off + 12 > pageSize) continue;
        const first = u32(base + off + 4);
        const total = u32(base + off + 8);
        if (total < 8 || total > buf.length) {
          badChains++;
          continue;
        }
        if ((copyBudget -= total) < 0) {
          warnings.push("Berkeley DB records reference more data than the file holds; stopped");
          return { blobs, warnings };
        }
        const blob = readOverflow(first, total);
        if (blob) blobs.push(blob);
        else badChains++;
      } else if (itemType === H_KEYDATA) {
        const end = u16(base + PAGE_HEADER + (i - 1) * 2);
        if (end > off + 1 && end <= pageSize) {
          const blob = buf.subarray(base + off + 1, base + end);
          // rpm keeps a 4-byte bookkeeping record under key 0; real headers are larger.
          if (blob.length > 8) blobs.push(Buffer.from(blob));
        }
      }
    }
  }
  if (badChains) warnings.push(`${badChains} Berkeley DB record(s) with broken overflow chains skipped`);
  return { blobs, warnings };
}
