// Content digests (OCI image spec "Digests"): only sha256 is accepted, which is what registries emit
// and what keeps blob file names safe to join onto a directory.
import { createHash, type Hash } from "node:crypto";
import { Transform, type TransformCallback } from "node:stream";
import { InputError } from "../errors.js";
import { RegistryError } from "./errors.js";

const SHA256 = /^sha256:[a-f0-9]{64}$/;

export function isDigest(value: unknown): value is string {
  return typeof value === "string" && SHA256.test(value);
}

/** Validates a digest named by untrusted input (a manifest, an index, a reference). */
export function assertDigest(value: unknown, what: string): string {
  if (!isDigest(value)) throw new InputError(`${what}: invalid digest ${JSON.stringify(value)?.slice(0, 80)} (expected sha256:<64 hex>)`);
  return value;
}

export function sha256Digest(data: Uint8Array | string): string {
  return `sha256:${createHash("sha256").update(data).digest("hex")}`;
}

/** The hex part, e.g. for blobs/sha256/<hex> paths. */
export function digestHex(digest: string): string {
  return digest.slice("sha256:".length);
}

/**
 * Passes bytes through while hashing and counting them; fails at the end when the content does not
 * match `expected`, or as soon as more than `maxBytes` arrive. Consumers must read to the end for
 * the check to run, which the layer walker always does.
 */
export class VerifyingStream extends Transform {
  private readonly hash: Hash = createHash("sha256");
  bytes = 0;
  constructor(
    private readonly expected: string,
    private readonly maxBytes: number,
    private readonly what: string,
    private readonly onBytes?: (n: number) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: TransformCallback): void {
    this.bytes += chunk.length;
    this.onBytes?.(chunk.length);
    if (this.bytes > this.maxBytes) {
      cb(new RegistryError(`${this.what}: blob larger than its declared ${this.maxBytes} bytes`, "SizeMismatch"));
      return;
    }
    this.hash.update(chunk);
    cb(null, chunk);
  }
  override _flush(cb: TransformCallback): void {
    const actual = `sha256:${this.hash.digest("hex")}`;
    if (actual !== this.expected) {
      cb(new RegistryError(`${this.what}: digest mismatch (expected ${this.expected}, got ${actual})`, "DigestMismatch"));
      return;
    }
    cb();
  }
}
