// OSV's per-ecosystem `all.zip`, read strictly: unlike jars (where a bad entry is skipped), a feed
// archive that is corrupt or over its limits fails the update, so the previous index is kept.
// The container format itself is read by the shared zip reader (incl. ZIP64, which OSV uses).
import { bufferSource } from "../byte-source.js";
import { readZipDirectory, readZipEntry } from "../zip.js";

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

/** A local file header, or the end-of-central-directory record that is all an empty archive has. */
export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06));
}

/** Yields file entries (directories skipped) whose name passes `wanted`. Throws on a corrupt or oversized archive. */
export function* readZip(buf: Buffer, wanted: (name: string) => boolean = () => true, limits: ZipLimits = DEFAULT_ZIP_LIMITS): Generator<ZipEntry> {
  const source = bufferSource(buf);
  const { entries, error } = readZipDirectory(source, limits.maxEntries + 1);
  if (error) throw new Error(`zip: ${error}`);
  if (entries.length > limits.maxEntries) throw new Error(`zip: more than ${limits.maxEntries} entries`);
  let total = 0;
  const offsets = new Set<number>();
  for (const entry of entries) {
    if (entry.name.endsWith("/") || !wanted(entry.name)) continue;
    // Entries sharing one local header (overlapping entries) would inflate the same data again and again.
    if (offsets.has(entry.localOffset)) throw new Error(`zip: ${entry.name} overlaps another entry`);
    offsets.add(entry.localOffset);
    if (entry.size > limits.maxEntryBytes) throw new Error(`zip: ${entry.name} is ${entry.size} bytes, over the ${limits.maxEntryBytes}-byte limit`);
    total += entry.size;
    if (total > limits.maxTotalBytes) throw new Error(`zip: archive expands past ${limits.maxTotalBytes} bytes`);
    const data = readZipEntry(source, entry, limits.maxEntryBytes);
    if (!data || data.length !== entry.size) throw new Error(`zip: ${entry.name} is corrupt, encrypted or uses an unsupported method`);
    yield { name: entry.name, data: Buffer.from(data) };
  }
}
