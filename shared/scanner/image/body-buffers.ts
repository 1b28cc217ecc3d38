// Memory for the large file bodies a walk buffers whole (jars, package databases), reused from one
// file to the next. Why not a fresh Buffer per file: each dead one lingers until V8 collects it, and
// freeing blocks of a few MB to tens of MB raises glibc's adaptive mmap/trim thresholds, so later
// allocations (zlib's output chunks) land in a heap that is never trimmed back. Measured on a 2 GB
// image of jars up to 51 MB, that cost tens of MB of peak RSS above the largest file. Large bodies
// therefore live in WebAssembly memories (pages mapped straight from the OS, outside malloc), and a
// finished body's memory serves the next large file.

/** Smaller bodies come from Node's allocator as usual. */
export const LARGE_BODY_BYTES = 1024 * 1024;
const WASM_PAGE = 64 * 1024;
/** A wasm32 memory holds at most 4 GiB; bodies past this bound use Node's allocator. */
const MAX_WASM_BODY = 2 * 1024 ** 3;
/**
 * Spare memories kept. One: keeping one per concurrent walk measured worse, since each spare grows
 * to the largest file seen and stays mapped while the other walk buffers its own.
 */
const MAX_SPARE = 1;

interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}
// The Node typings this project builds with do not declare WebAssembly's constructors.
const { Memory } = (globalThis as unknown as { WebAssembly: { Memory: new (d: { initial: number; maximum?: number }) => WasmMemory } }).WebAssembly;

export class BodyBuffers {
  private readonly spare: WasmMemory[] = [];
  /** Memory behind each large body handed out and not yet given back. */
  private readonly lent = new WeakMap<ArrayBuffer, WasmMemory>();

  /** A Buffer of exactly `size` bytes (contents unspecified). */
  take(size: number): Buffer {
    if (size < LARGE_BODY_BYTES || size > MAX_WASM_BODY) return Buffer.allocUnsafe(size);
    const pages = Math.ceil(size / WASM_PAGE);
    let mem = this.spare.pop();
    try {
      if (!mem) mem = new Memory({ initial: pages });
      else {
        // Growing maps new pages and copies nothing.
        const have = mem.buffer.byteLength / WASM_PAGE;
        if (have < pages) mem.grow(pages - have);
      }
    } catch {
      // No address space for another memory (or a refused grow): fall back to an ordinary Buffer.
      return Buffer.allocUnsafe(size);
    }
    const ab = mem.buffer;
    this.lent.set(ab, mem);
    return Buffer.from(ab, 0, size);
  }

  /**
   * Hands a body back once nothing reads it any more: callers give it after every consumer
   * (catalogers, the secret scanner) has returned, and facts never hold Buffers. Growing a memory
   * detaches its old views, so a stale reference would read nothing rather than another file.
   */
  give(body: Buffer): void {
    const mem = this.lent.get(body.buffer as ArrayBuffer);
    if (!mem) return;
    this.lent.delete(body.buffer as ArrayBuffer);
    if (this.spare.length < MAX_SPARE) this.spare.push(mem);
  }
}
