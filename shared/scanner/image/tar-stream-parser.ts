// A push-based streaming tar reader: feed it decompressed chunks; it calls `onEntry` for every entry
// and, only when asked, collects that entry's body into one Buffer for `onBody`. Unwanted bodies are
// skipped without copying, which is what keeps the walk near raw decompression speed.
import { InputError } from "../../errors.js";
import { absorbMeta, applyExtended, isMeta, isZeroBlock, MAX_META_BYTES, parseRawHeader, type Extended, type RawHeader, type TarEntry } from "./tar-header.js";

/** An entry's body delivered piece by piece, in order, without collecting it. */
export interface BodyStream {
  write(chunk: Uint8Array, offset: number): void;
  end(): void;
}

export interface TarSink {
  /** Return true to receive this entry's body through onBody; a BodyStream to receive it in pieces (or both). */
  onEntry(entry: TarEntry): boolean | { collect: boolean; stream?: BodyStream };
  onBody(entry: TarEntry, body: Buffer): void;
}

export class TarStreamParser {
  private header = Buffer.alloc(512);
  private headerFill = 0;
  /** Bytes of the current body (then padding) still to consume. */
  private remaining = 0;
  private padding = 0;
  private entry: TarEntry | undefined;
  private raw: RawHeader | undefined;
  private body: Buffer | undefined;
  private bodyFill = 0;
  private stream: BodyStream | undefined;
  private streamOffset = 0;
  private ext: Extended = {};
  private ended = false;

  constructor(
    private readonly sink: TarSink,
    private readonly what: string,
    /** Where collected bodies' memory comes from (the walk reuses large ones). */
    private readonly alloc: (size: number) => Buffer = Buffer.allocUnsafe,
  ) {}

  /** True once the end-of-archive marker was read; later bytes are padding. */
  get finished(): boolean {
    return this.ended;
  }

  write(chunk: Uint8Array): void {
    let off = 0;
    const len = chunk.length;
    while (off < len && !this.ended) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, len - off);
        if (this.body) {
          this.body.set(chunk.subarray(off, off + n), this.bodyFill);
          this.bodyFill += n;
        }
        if (this.stream) {
          this.stream.write(chunk.subarray(off, off + n), this.streamOffset);
          this.streamOffset += n;
        }
        this.remaining -= n;
        off += n;
        if (this.remaining === 0) this.finishBody();
        continue;
      }
      if (this.padding > 0) {
        const n = Math.min(this.padding, len - off);
        this.padding -= n;
        off += n;
        continue;
      }
      // Header: parse in place when the whole block is in this chunk, else assemble it.
      let block: Uint8Array;
      let at: number;
      if (this.headerFill === 0 && len - off >= 512) {
        block = chunk;
        at = off;
        off += 512;
      } else {
        const n = Math.min(512 - this.headerFill, len - off);
        this.header.set(chunk.subarray(off, off + n), this.headerFill);
        this.headerFill += n;
        off += n;
        if (this.headerFill < 512) continue;
        this.headerFill = 0;
        block = this.header;
        at = 0;
      }
      this.onHeader(block, at);
    }
  }

  /** Call at end of input: fails when the archive stops inside an entry. */
  end(): void {
    if (this.ended) return;
    if (this.remaining > 0 || this.headerFill > 0 || this.padding > 0 || this.raw) {
      throw new InputError(`${this.what}: truncated tar archive`);
    }
    // Archives cut exactly at an entry boundary (no end marker) are accepted, as GNU tar does.
    this.ended = true;
  }

  private onHeader(block: Uint8Array, at: number): void {
    if (isZeroBlock(block, at)) {
      this.ended = true;
      return;
    }
    const raw = parseRawHeader(block, at, this.what);
    if (isMeta(raw.type)) {
      if (raw.size > MAX_META_BYTES) throw new InputError(`${this.what}: tar metadata entry larger than ${MAX_META_BYTES} bytes`);
      this.raw = raw;
      this.startBody(raw.size, true);
      return;
    }
    const entry = applyExtended(raw, this.ext);
    this.ext = {};
    // Only regular files carry data (hardlinks, symlinks, dirs declare 0 in well-formed archives).
    const size = entry.type === "file" || entry.type === "other" ? entry.size : 0;
    entry.size = size;
    const want = this.sink.onEntry(entry);
    this.entry = entry;
    const isFile = entry.type === "file";
    if (typeof want === "boolean") this.startBody(size, want && isFile);
    else this.startBody(size, want.collect && isFile, isFile ? want.stream : undefined);
  }

  private startBody(size: number, collect: boolean, stream?: BodyStream): void {
    this.stream = stream;
    this.streamOffset = 0;
    this.remaining = size;
    this.padding = (512 - (size % 512)) % 512;
    this.body = collect ? this.alloc(size) : undefined;
    this.bodyFill = 0;
    if (size === 0) this.finishBody();
  }

  private finishBody(): void {
    const body = this.body;
    this.body = undefined;
    const stream = this.stream;
    this.stream = undefined;
    stream?.end();
    if (this.raw) {
      absorbMeta(this.ext, this.raw, body ?? Buffer.alloc(0));
      this.raw = undefined;
    } else if (this.entry) {
      const entry = this.entry;
      this.entry = undefined;
      if (body) this.sink.onBody(entry, body);
    }
  }
}
