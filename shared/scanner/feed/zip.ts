// A small, bounded ZIP reader for OSV's per-ecosystem `all.zip` (stored or deflated entries, no
// ZIP64, no encryption). Reads the central directory, so it never trusts local headers for sizes.
import { inflateRawSync } from "node:zlib";

export interface ZipLimits {
  maxEntries: number;
  maxEntryBytes: number;
  maxTotalBytes: number;
}

export const DEFAULT_ZIP_LIMITS: ZipLimits = { maxEntries: 1_000_000, maxEntryBytes: 64 * 1024 ** 2, maxTotalBytes: 4 * 1024 ** 3 };

export interface ZipEntry {
  name: string;
  data: Buffer;
}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** A local file header, or the end-of-central-directory record that is all an empty archive has. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/** Yields file entries (directories skipped) whose name passes `wanted`. Throws on a corrupt or oversized archive. */
export function* readZip(buf: Buffer, wanted: (name: string) => boolean = () => true, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Generator<ZipEntry> {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error("zip: end of central directory not found");
  const count = buf.readUInt16LE(eocd + 10);
  const cdOffset = buf.readUInt32LE(eocd + 16);
  if (count === 0xffff || cdOffset === 0xffffffff) throw new Error("zip: ZIP64 archives are not supported");
  if (count > limits.maxEntries) throw new Error(`zip: ${count} entries exceed the limit of ${limits.maxEntries}`);
  let pos = cdOffset;
  let total = 0;
  for (let n = 0; n < count; n++) {
    if (pos + 46 > buf.length || buf.readUInt32LE(pos) !== CENTRAL) throw new Error("zip: corrupt central directory");
    const flags = buf.readUInt16LE(pos + 8);
    const method = buf.readUInt16LE(pos + 10);
    const compSize = buf.readUInt32LE(pos + 20);
    const size = buf.readUInt32LE(pos + 24);
    const nameLen = buf.readUInt16LE(pos + 28);
    const extraLen = buf.readUInt16LE(pos + 30);
    const commentLen = buf.readUInt16LE(pos + 32);
    const localOffset = buf.readUInt32LE(pos + 42);
    const name = buf.toString("utf8", pos + 46, pos + 46 + nameLen);
    pos += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith("/") || !wanted(name)) continue;
    if (flags & 1) throw new Error(`zip: ${name} is encrypted`);
    if (size > limits.maxEntryBytes) throw new Error(`zip: ${name} is ${size} bytes, over the ${limits.maxEntryBytes}-byte limit`);
    total += size;
    if (total > limits.maxTotalBytes) throw new Error(`zip: archive expands past ${limits.maxTotalBytes} bytes`);
    if (localOffset + 30 > buf.length || buf.readUInt32LE(localOffset) !== LOCAL) throw new Error(`zip: bad local header for ${name}`);
    const start = localOffset + 30 + buf.readUInt16LE(localOffset + 26) + buf.readUInt16LE(localOffset + 28);
    const raw = buf.subarray(start, start + compSize);
    if (raw.length !== compSize) throw new Error(`zip: ${name} is truncated`);
    let data: Buffer;
    if (method === 0) data = Buffer.from(raw);
    else if (method === 8) data = inflateRawSync(raw, { maxOutputLength: Math.max(1, limits.maxEntryBytes) });
    else throw new Error(`zip: ${name} uses unsupported compression method ${method}`);
    if (data.length !== size) throw new Error(`zip: ${name} size mismatch`);
    yield { name, data };
  }
}
