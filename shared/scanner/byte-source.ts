// Bytes read by position, from memory or from an open file. Large archives are read this way so a
// 50 MB jar costs its central directory and the few entries a cataloger opens, not 50 MB of memory.
import { createHash } from "node:crypto";
import { readSync } from "node:fs";

export interface ByteSource {
  readonly size: number;
  /**
   * `length` bytes from `offset` (fewer past the end). A Buffer source returns a view; a file source
   * a copy, written into `into` when given (then valid only until `into` is used again).
   */
  read(offset: number, length: number, into?: Buffer): Buffer;
}

export function bufferSource(buf: Buffer): ByteSource {
  return {
    size: buf.length,
    read: (offset, length) => buf.subarray(Math.min(offset, buf.length), Math.min(offset + length, buf.length)),
  };
}

/** Positional reads of an open file descriptor, which the caller owns (and closes). */
export function fileSource(fd: number, size: number): ByteSource {
  return {
    size,
    read(offset, length, into) {
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = into && into.length >= n ? into.subarray(0, n) : Buffer.allocUnsafe(n);
      let filled = 0;
      while (filled < n) {
        const got = readSync(fd, buf, filled, n - filled, offset + filled);
        if (got === 0) break; // the file shrank under us: what was there
        filled += got;
      }
      return filled < n ? buf.subarray(0, filled) : buf;
    },
  };
}

const HASH_BLOCK = 1024 * 1024;

/** A digest of the whole source, read a block at a time through one reused block of memory. */
export function digestSource(source: ByteSource, algorithm: "sha1" | "sha256"): string {
  const hash = createHash(algorithm);
  const scratch = Buffer.allocUnsafe(Math.min(HASH_BLOCK, source.size));
  for (let at = 0; at < source.size; at += HASH_BLOCK) {
    const block = source.read(at, HASH_BLOCK, scratch);
    if (!block.length) break;
    hash.update(block);
  }
  return hash.digest("hex");
}
