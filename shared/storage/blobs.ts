// Content-addressed gzip JSON documents in Blob storage. A document's name is its digest, so
// writing the same content twice is a no-op and readers can verify what they got. Small mutable
// "pointers" (e.g. the latest snapshot of a cluster) are separate blobs updated with ETags.
import { createHash } from "node:crypto";
import { gunzipSync, gzipSync } from "node:zlib";
import { RestError } from "@azure/storage-blob";
import type { StorageConnection } from "./connection.js";

export interface BlobRef {
  container: string;
  name: string;
  digest: string;
  size: number;
}

const ensured = new WeakMap<StorageConnection, Set<string>>();

async function ensureContainer(conn: StorageConnection, container: string): Promise<void> {
  let set = ensured.get(conn);
  if (!set) ensured.set(conn, (set = new Set()));
  if (set.has(container)) return;
  await conn.blobService.getContainerClient(container).createIfNotExists();
  set.add(container);
}

/** Stable JSON: object keys sorted, so equal values hash equally regardless of key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, (v as Record<string, unknown>)[k]]))
      : v,
  );
}

export function digestOf(text: string | Buffer): string {
  return `sha256:${createHash("sha256").update(text).digest("hex")}`;
}

/** The first `hexChars` hex digits of the SHA-256 of `text`: a short, stable name part. */
export function shortDigest(text: string | Buffer, hexChars: number): string {
  return createHash("sha256").update(text).digest("hex").slice(0, hexChars);
}

export class BlobStore {
  constructor(private readonly conn: StorageConnection) {}

  /** Stores `value` under `prefix/<sha256>.json.gz`; returns its reference. Idempotent. */
  async putJson(container: string, prefix: string, value: unknown): Promise<BlobRef> {
    return this.putCanonicalJson(container, prefix, canonicalJson(value));
  }

  /** As putJson, for a value already serialised by canonicalJson (e.g. in a pool worker, as UTF-8 bytes). */
  async putCanonicalJson(container: string, prefix: string, canonical: string | Uint8Array): Promise<BlobRef> {
    await ensureContainer(this.conn, container);
    const text = typeof canonical === "string" ? canonical : Buffer.from(canonical.buffer, canonical.byteOffset, canonical.byteLength);
    const digest = digestOf(text);
    const name = `${prefix}/${digest.slice("sha256:".length)}.json.gz`;
    const blob = this.conn.blobService.getContainerClient(container).getBlockBlobClient(name);
    const body = gzipSync(text);
    try {
      // If-None-Match: * makes a concurrent duplicate write harmless (409 means "already there").
      await blob.uploadData(body, {
        blobHTTPHeaders: { blobContentType: "application/json", blobContentEncoding: "gzip" },
        conditions: { ifNoneMatch: "*" },
      });
      this.conn.metrics.blobWrites++;
    } catch (err) {
      if (!(err instanceof RestError && (err.statusCode === 409 || err.statusCode === 412))) throw err;
    }
    return { container, name, digest, size: body.length };
  }

  async getJson<T>(ref: Pick<BlobRef, "container" | "name"> & { digest?: string }): Promise<T> {
    const blob = this.conn.blobService.getContainerClient(ref.container).getBlockBlobClient(ref.name);
    const buf = await blob.downloadToBuffer();
    this.conn.metrics.blobReads++;
    const text = gunzipSync(buf).toString("utf8");
    if (ref.digest && digestOf(text) !== ref.digest) throw new Error(`blob ${ref.container}/${ref.name} does not match its digest`);
    return JSON.parse(text) as T;
  }

  /** Stores gzip JSON under a fixed name (e.g. keyed by a layer digest). Overwrites. */
  async putJsonAt(container: string, name: string, value: unknown): Promise<BlobRef> {
    await ensureContainer(this.conn, container);
    const text = JSON.stringify(value);
    const body = gzipSync(text);
    await this.conn.blobService.getContainerClient(container).getBlockBlobClient(name).uploadData(body, {
      blobHTTPHeaders: { blobContentType: "application/json", blobContentEncoding: "gzip" },
    });
    this.conn.metrics.blobWrites++;
    return { container, name, digest: digestOf(text), size: body.length };
  }

  /** Reads gzip JSON stored under a fixed name; undefined when absent. */
  async getJsonAt<T>(container: string, name: string): Promise<T | undefined> {
    try {
      return await this.getJson<T>({ container, name });
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  async exists(container: string, name: string): Promise<boolean> {
    return this.conn.blobService.getContainerClient(container).getBlockBlobClient(name).exists();
  }

  async delete(container: string, name: string): Promise<void> {
    await this.conn.blobService.getContainerClient(container).getBlockBlobClient(name).deleteIfExists();
  }

  /** Reads a small mutable JSON pointer with its ETag (undefined when absent). */
  async getPointer<T>(container: string, name: string): Promise<{ value: T; etag: string } | undefined> {
    await ensureContainer(this.conn, container);
    const blob = this.conn.blobService.getContainerClient(container).getBlockBlobClient(name);
    try {
      const res = await blob.download();
      const chunks: Buffer[] = [];
      for await (const c of res.readableStreamBody as NodeJS.ReadableStream) chunks.push(Buffer.from(c as Buffer));
      this.conn.metrics.blobReads++;
      return { value: JSON.parse(Buffer.concat(chunks).toString("utf8")) as T, etag: res.etag ?? "" };
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Writes a pointer; with `etag` the write only succeeds if nobody changed it since (412 → false). */
  async setPointer(container: string, name: string, value: unknown, etag?: string): Promise<boolean> {
    await ensureContainer(this.conn, container);
    const blob = this.conn.blobService.getContainerClient(container).getBlockBlobClient(name);
    const body = Buffer.from(JSON.stringify(value));
    try {
      await blob.uploadData(body, {
        blobHTTPHeaders: { blobContentType: "application/json" },
        conditions: etag ? { ifMatch: etag } : undefined,
      });
      this.conn.metrics.blobWrites++;
      return true;
    } catch (err) {
      if (err instanceof RestError && (err.statusCode === 412 || err.statusCode === 409)) return false;
      throw err;
    }
  }
}
