// A small streaming ZIP writer for the deployment package: deflated entries, Unix modes, a fixed
// timestamp (the same inputs give the same bytes), ZIP64 records when counts or offsets need them.
import { open } from "node:fs/promises";
import { crc32, deflateRawSync } from "node:zlib";

const DOS_TIME = 0; // 00:00:00
const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01

/** `level`: zlib deflate level (6 for releases; 1 is much faster). */
export async function createZipWriter(path, { level = 6 } = {}) {
  const file = await open(path, "w");
  const central = [];
  let offset = 0;
  const write = async (buf) => {
    await file.write(buf);
    offset += buf.length;
  };
  return {
    /** Adds one file; `name` uses forward slashes, relative to the archive root. */
    async add(name, data, mode = 0o644) {
      const nameBuf = Buffer.from(name, "utf8");
      const deflated = deflateRawSync(data, { level });
      const stored = deflated.length >= data.length;
      const body = stored ? data : deflated;
      const crc = crc32(data);
      const big = offset >= 0xffffffff || body.length >= 0xffffffff || data.length >= 0xffffffff;
      if (big) throw new Error(`${name}: files over 4 GiB are not supported`);
      const local = Buffer.alloc(30);
      local.writeUInt32LE(0x04034b50, 0);
      local.writeUInt16LE(20, 4); // version needed
      local.writeUInt16LE(0x0800, 6); // UTF-8 names
      local.writeUInt16LE(stored ? 0 : 8, 8);
      local.writeUInt16LE(DOS_TIME, 10);
      local.writeUInt16LE(DOS_DATE, 12);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(body.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(nameBuf.length, 26);
      central.push({ nameBuf, crc, compressed: body.length, size: data.length, method: stored ? 0 : 8, offset, mode });
      await write(local);
      await write(nameBuf);
      await write(body);
    },
    async close() {
      const start = offset;
      for (const e of central) {
        const zip64 = e.offset >= 0xffffffff;
        const extra = zip64 ? Buffer.alloc(12) : Buffer.alloc(0);
        if (zip64) {
          extra.writeUInt16LE(0x0001, 0);
          extra.writeUInt16LE(8, 2);
          extra.writeBigUInt64LE(BigInt(e.offset), 4);
        }
        const h = Buffer.alloc(46);
        h.writeUInt32LE(0x02014b50, 0);
        h.writeUInt16LE((3 << 8) | 45, 4); // made by: Unix, spec 4.5
        h.writeUInt16LE(zip64 ? 45 : 20, 6);
        h.writeUInt16LE(0x0800, 8);
        h.writeUInt16LE(e.method, 10);
        h.writeUInt16LE(DOS_TIME, 12);
        h.writeUInt16LE(DOS_DATE, 14);
        h.writeUInt32LE(e.crc, 16);
        h.writeUInt32LE(e.compressed, 20);
        h.writeUInt32LE(e.size, 24);
        h.writeUInt16LE(e.nameBuf.length, 28);
        h.writeUInt16LE(extra.length, 30);
        h.writeUInt32LE(((0o100000 | e.mode) << 16) >>> 0, 38); // regular file + permissions
        h.writeUInt32LE(zip64 ? 0xffffffff : e.offset, 42);
        await write(h);
        await write(e.nameBuf);
        await write(extra);
      }
      const size = offset - start;
      const needs64 = central.length >= 0xffff || start >= 0xffffffff || size >= 0xffffffff;
      if (needs64) {
        const rec = Buffer.alloc(56);
        const recOffset = offset;
        rec.writeUInt32LE(0x06064b50, 0);
        rec.writeBigUInt64LE(44n, 4);
        rec.writeUInt16LE(45, 12);
        rec.writeUInt16LE(45, 14);
        rec.writeBigUInt64LE(BigInt(central.length), 24);
        rec.writeBigUInt64LE(BigInt(central.length), 32);
        rec.writeBigUInt64LE(BigInt(size), 40);
        rec.writeBigUInt64LE(BigInt(start), 48);
        await write(rec);
        const loc = Buffer.alloc(20);
        loc.writeUInt32LE(0x07064b50, 0);
        loc.writeBigUInt64LE(BigInt(recOffset), 8);
        loc.writeUInt32LE(1, 16);
        await write(loc);
      }
      const end = Buffer.alloc(22);
      end.writeUInt32LE(0x06054b50, 0);
      end.writeUInt16LE(Math.min(central.length, 0xffff), 8);
      end.writeUInt16LE(Math.min(central.length, 0xffff), 10);
      end.writeUInt32LE(Math.min(size, 0xffffffff), 12);
      end.writeUInt32LE(Math.min(start, 0xffffffff), 16);
      await write(end);
      await file.close();
      return { entries: central.length, bytes: offset };
    },
  };
}
