// Large files a cataloger buffers go to a temp file as the layer streams past, instead of into
// memory: concurrent walks then hold a chunk each, a jar's parse costs its central directory and the
// entries it opens, and any other large file is loaded only for its parse. One private directory
// per walk, removed when the walk ends, however it ends; each file is deleted once parsed.
import { closeSync, mkdtempSync, openSync, rmSync, unlinkSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileSource, type ByteSource } from "../byte-source.js";

export class SpillDir {
  private dir: string | undefined;
  private next = 0;
  private readonly open = new Set<SpilledFile>();

  /** `parent` is where the walk's private directory is made (the OS temp dir by default). */
  constructor(private readonly parent: string = tmpdir()) {}

  /** Why spilling is off for this walk (no usable temp dir): files are then buffered as before. */
  unavailable: string | undefined;

  /** A new empty file, created only for this walk (0600, never an existing path); undefined when the temp dir is unusable. */
  create(): SpilledFile | undefined {
    if (this.unavailable) return undefined;
    try {
      this.dir ??= mkdtempSync(join(this.parent, "vantage-spill-"));
      const file = new SpilledFile(join(this.dir, String(this.next++)), (f) => this.open.delete(f));
      this.open.add(file);
      return file;
    } catch (err) {
      this.unavailable = (err as Error).message;
      return undefined;
    }
  }

  /** Closes and deletes whatever is left. Safe to call more than once. */
  remove(): void {
    for (const f of [...this.open]) f.discard();
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
    this.dir = undefined;
  }
}

export class SpilledFile {
  private fd: number | undefined;
  private size = 0;
  /** Why the file could not be written (disk full, …): its parse reports this instead. */
  failed: string | undefined;

  constructor(
    private readonly path: string,
    private readonly onDiscard: (f: SpilledFile) => void,
  ) {
    this.fd = openSync(path, "wx+", 0o600);
  }

  write(chunk: Uint8Array): void {
    if (this.fd === undefined || this.failed) return;
    try {
      for (let done = 0; done < chunk.length; ) done += writeSync(this.fd, chunk, done, chunk.length - done, this.size + done);
      this.size += chunk.length;
    } catch (err) {
      this.failed = (err as Error).message;
    }
  }

  /** Reads the file back by position; the caller discards it afterwards. */
  source(): ByteSource | undefined {
    return this.fd === undefined || this.failed ? undefined : fileSource(this.fd, this.size);
  }

  discard(): void {
    if (this.fd === undefined) return;
    closeSync(this.fd);
    this.fd = undefined;
    try {
      unlinkSync(this.path);
    } catch {
      // the directory is removed with the walk anyway
    }
    this.onDiscard(this);
  }
}
