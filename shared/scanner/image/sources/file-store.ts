// Named files of an on-disk image: a directory (OCI layout) or the entries of an uncompressed tar
// (`docker save`), read by offset so a multi-GB archive is indexed by its headers alone.
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { join } from "node:path";
import type { Readable } from "node:stream";
import { InputError, LimitExceededError } from "../../../errors.js";
import { absorbMeta, applyExtended, isMeta, isZeroBlock, MAX_META_BYTES, padded, parseRawHeader, type Extended } from "../tar-header.js";
import { normalizeEntryPath } from "../entry-path.js";
import { sniffCompression } from "../decompress.js";

export interface FileStore {
  /** For messages: "oci:/path" or "docker-archive:/file". */
  readonly label: string;
  size(name: string): Promise<number | undefined>;
  readSmall(name: string, max: number): Promise<Buffer>;
  open(name: string): Promise<Readable>;
}

/** Names must be relative paths without "..": callers build them from validated digests. */
export class DirStore implements FileStore {
  constructor(
    private readonly root: string,
    readonly label: string,
  ) {}
  private path(name: string): string {
    const n = normalizeEntryPath(name);
    if (!n.ok || n.absolute) throw new InputError(`${this.label}: refusing path "${name}"`);
    return join(this.root, n.path);
  }
  async size(name: string): Promise<number | undefined> {
    try {
      const st = await stat(this.path(name));
      return st.isFile() ? st.size : undefined;
    } catch {
      return undefined;
    }
  }
  async readSmall(name: string, max: number): Promise<Buffer> {
    const size = await this.size(name);
    if (size === undefined) throw new InputError(`${this.label}: missing ${name}`);
    if (size > max) throw new LimitExceededError(`${this.label}: ${name} is larger than ${max} bytes`);
    return readRange(this.path(name), 0, size);
  }
  async open(name: string): Promise<Readable> {
    if ((await this.size(name)) === undefined) throw new InputError(`${this.label}: missing ${name}`);
    return createReadStream(this.path(name), { highWaterMark: 256 * 1024 });
  }
}

async function readRange(file: string, offset: number, size: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.alloc(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buf, filled, size - filled, offset + filled);
      if (bytesRead === 0) throw new InputError(`${file}: unexpected end of file`);
      filled += bytesRead;
    }
    return buf;
  } finally {
    await handle.close();
  }
}

const MAX_ARCHIVE_ENTRIES = 1_000_000;

export class TarStore implements FileStore {
  private constructor(
    private readonly file: string,
    readonly label: string,
    private readonly entries: Map<string, { offset: number; size: number }>,
  ) {}

  /** Reads every header by position (bodies are skipped, not read). */
  static async index(file: string, label: string): Promise<TarStore> {
    let fileSize: number;
    try {
      const st = await stat(file);
      if (!st.isFile()) throw new Error("not a file");
      fileSize = st.size;
    } catch (err) {
      throw new InputError(`${label}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (err as Error).message}`);
    }
    const handle = await open(file, "r");
    const entries = new Map<string, { offset: number; size: number }>();
    try {
      const block = Buffer.alloc(512);
      let offset = 0;
      let ext: Extended = {};
      let count = 0;
      const read = async (buf: Buffer, at: number) => {
        const { bytesRead } = await handle.read(buf, 0, buf.length, at);
        return bytesRead;
      };
      if ((await read(block, 0)) >= 4 && sniffCompression(block) !== "none") {
        throw new InputError(`${label}: the archive is compressed; decompress it first (docker save output is a plain tar)`);
      }
      while (offset + 512 <= fileSize) {
        if ((await read(block, offset)) < 512) break;
        if (isZeroBlock(block)) break;
        if (++count > MAX_ARCHIVE_ENTRIES) throw new LimitExceededError(`${label}: more than ${MAX_ARCHIVE_ENTRIES} archive entries`);
        const raw = parseRawHeader(block, 0, label);
        const dataAt = offset + 512;
        if (dataAt + raw.size > fileSize) throw new InputError(`${label}: truncated tar archive`);
        if (isMeta(raw.type)) {
          if (raw.size > MAX_META_BYTES) throw new InputError(`${label}: tar metadata entry larger than ${MAX_META_BYTES} bytes`);
          absorbMeta(ext, raw, await readRange(file, dataAt, raw.size));
        } else {
          const entry = applyExtended(raw, ext);
          ext = {};
          const n = normalizeEntryPath(entry.name);
          if (n.ok && entry.type === "file") entries.set(n.path, { offset: dataAt, size: entry.size });
        }
        offset = dataAt + padded(raw.size);
      }
    } finally {
      await handle.close();
    }
    return new TarStore(file, label, entries);
  }

  async size(name: string): Promise<number | undefined> {
    const n = normalizeEntryPath(name);
    return n.ok ? this.entries.get(n.path)?.size : undefined;
  }
  private entry(name: string) {
    const n = normalizeEntryPath(name);
    const e = n.ok ? this.entries.get(n.path) : undefined;
    if (!e) throw new InputError(`${this.label}: archive has no file "${name.slice(0, 200)}"`);
    return e;
  }
  async readSmall(name: string, max: number): Promise<Buffer> {
    const e = this.entry(name);
    if (e.size > max) throw new LimitExceededError(`${this.label}: ${name} is larger than ${max} bytes`);
    return readRange(this.file, e.offset, e.size);
  }
  async open(name: string): Promise<Readable> {
    const e = this.entry(name);
    if (e.size === 0) {
      const { Readable } = await import("node:stream");
      return Readable.from([]);
    }
    return createReadStream(this.file, { start: e.offset, end: e.offset + e.size - 1, highWaterMark: 256 * 1024 });
  }
}
