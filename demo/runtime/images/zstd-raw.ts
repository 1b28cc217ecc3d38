// A Zstandard frame writer that only emits Raw and RLE blocks (RFC 8878 §3.1.1.2): valid zstd that
// any decoder must accept, written without a compressor. Used to publish zstd layers in tests and the
// demo; RLE blocks make runs of one byte (e.g. zeros) tiny, which is how bombs are built in tests.

const MAGIC = Buffer.from([0x28, 0xb5, 0x2f, 0xfd]);
/** Window_Descriptor for 128 KiB (exponent 7 → 2^(10+7)): matches the largest block we write. */
const WINDOW_128K = 7 << 3;
const MAX_BLOCK = 128 * 1024;

function blockHeader(last: boolean, type: 0 | 1, size: number): Buffer {
  const v = (last ? 1 : 0) | (type << 1) | (size << 3);
  return Buffer.from([v & 0xff, (v >> 8) & 0xff, (v >> 16) & 0xff]);
}

function isRun(data: Uint8Array, start: number, end: number): boolean {
  const b = data[start];
  for (let i = start + 1; i < end; i++) if (data[i] !== b) return false;
  return true;
}

/** One frame (no content size, no checksum) holding `data`. */
export function zstdRawFrame(data: Uint8Array): Buffer {
  const parts: Buffer[] = [MAGIC, Buffer.from([0x00, WINDOW_128K])];
  if (data.length === 0) parts.push(blockHeader(true, 0, 0));
  for (let off = 0; off < data.length; off += MAX_BLOCK) {
    const end = Math.min(data.length, off + MAX_BLOCK);
    const last = end === data.length;
    if (end - off > 16 && isRun(data, off, end)) parts.push(blockHeader(last, 1, end - off), Buffer.from([data[off]]));
    else parts.push(blockHeader(last, 0, end - off), Buffer.from(data.subarray(off, end)));
  }
  return Buffer.concat(parts);
}

/** A frame of `size` copies of `byte` as RLE blocks: ~4 bytes per 128 KiB of output. */
export function zstdRunFrame(byte: number, size: number): Buffer {
  const parts: Buffer[] = [MAGIC, Buffer.from([0x00, WINDOW_128K])];
  if (size === 0) parts.push(blockHeader(true, 0, 0));
  for (let off = 0; off < size; off += MAX_BLOCK) {
    const n = Math.min(MAX_BLOCK, size - off);
    parts.push(blockHeader(off + n === size, 1, n), Buffer.from([byte]));
  }
  return Buffer.concat(parts);
}
