// dir: targets — a root filesystem on disk. Symlinks are never followed (lstat only, files opened
// with O_NOFOLLOW), so nothing outside the root is read; only regular files a cataloger wants are opened.
//
// The walk makes synchronous calls: a tree such as /usr is ~150k entries, and each asynchronous
// listing batch, lstat, open, read and close is a round trip through libuv's thread pool that costs
// far more than the call itself (an async walk of /usr took 7× as long as the same calls made
// synchronously). The event loop is given a turn every few milliseconds, so timers, signals and
// progress still run during a long walk.
import { closeSync, constants, fstatSync, lstatSync, openSync, opendirSync, readSync, type Dir, type Stats } from "node:fs";
import { readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError, LimitExceededError } from "../../../errors.js";
import { fileSource } from "../../byte-source.js";
import type { Cataloger, FileFacts, FileScan, LocatedFacts } from "../../catalogers/types.js";
import { matchingCatalogers, parseFile, readByPosition } from "../file-facts.js";
import { WarningList, type WalkLimits } from "../limits.js";
import { DirectorySkipper, HOST_VIRTUAL_DIRS, virtualMountsUnder } from "./skip-dirs.js";

export interface DirWalkOptions {
  /** Globs over root-relative directory paths ("proc", "home/*\/.cache", "**\/node_modules/.cache"). */
  skipDirs?: readonly string[];
  /** Leave out virtual filesystems (proc, sysfs, devtmpfs, cgroup, …) mounted below the root (default true). */
  skipVirtual?: boolean;
  /** The mount table to consult (default: /proc/self/mountinfo when readable). */
  mountinfo?: string;
}

async function virtualDirs(root: string, options: DirWalkOptions): Promise<string[]> {
  if (options.skipVirtual === false) return [];
  let mountinfo = options.mountinfo;
  if (mountinfo === undefined) mountinfo = await readFile("/proc/self/mountinfo", "utf8").catch(() => "");
  const dirs = virtualMountsUnder(mountinfo, root);
  if (root === "/") dirs.push(...HOST_VIRTUAL_DIRS);
  return [...new Set(dirs)];
}

function errorText(err: unknown): string {
  return (err as NodeJS.ErrnoException).code ?? (err as Error).message;
}

/** O_NOFOLLOW: a file swapped for a symlink after listing is not followed out of the root. O_NONBLOCK: nor does one swapped for a FIFO block the walk. */
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Opens a file that was a regular file when listed; throws if it no longer is one. */
function openRegular(file: string): number {
  const fd = openSync(file, OPEN_FLAGS);
  try {
    if (!fstatSync(fd).isFile()) throw Object.assign(new Error("no longer a regular file"), { code: "ENOTREG" });
  } catch (err) {
    closeSync(fd);
    throw err;
  }
  return fd;
}

/**
 * One buffer lent to every buffered parse of a walk, grown to the largest file read (up to
 * MAX_SCRATCH; larger files get their own). Fresh multi-MB buffers cost page faults and unmapping
 * for every file, which made reading /usr's jars three times slower than the copy itself. Lending
 * is safe because parses run one at a time to completion, and facts hold strings, never the bytes.
 */
class Scratch {
  private buf?: Buffer;
  take(size: number): Buffer {
    if (size > MAX_SCRATCH) return Buffer.allocUnsafe(size);
    if (!this.buf || this.buf.length < size) this.buf = Buffer.allocUnsafe(Math.max(size, 64 * 1024));
    return this.buf;
  }
}
const MAX_SCRATCH = 64 * 1024 * 1024;

/**
 * The buffered catalogers' facts for one file: read by position where it lies when they all can
 * (large jars), else read whole into the scratch buffer.
 */
async function parseRegular(catalogers: Cataloger[], path: string, file: string, size: number, scratch: Scratch): Promise<FileFacts> {
  const fd = openRegular(file);
  try {
    const source = fileSource(fd, size);
    return await parseFile(catalogers, path, readByPosition(catalogers, size) ? source : source.read(0, size, scratch.take(size)));
  } finally {
    closeSync(fd);
  }
}

/** Gives the event loop a turn when the walk has held it for a while. */
class Yielder {
  private since = performance.now();
  async maybe(): Promise<void> {
    if (performance.now() - this.since < 20) return;
    await new Promise((resolve) => setImmediate(resolve));
    this.since = performance.now();
  }
}

export async function walkDirectory(
  rootArg: string,
  catalogers: readonly Cataloger[],
  limits: Required<WalkLimits>,
  options: DirWalkOptions = {},
): Promise<{ files: LocatedFacts[]; warnings: string[]; entries: number }> {
  let root: string;
  try {
    root = await realpath(rootArg);
    if (!(await stat(root)).isDirectory()) throw new Error("not a directory");
  } catch (err) {
    throw new InputError(`dir:${rootArg}: ${(err as NodeJS.ErrnoException).code === "ENOENT" ? "no such directory" : (err as Error).message}`);
  }
  const files: LocatedFacts[] = [];
  const warnings = new WarningList();
  const prefix = insideNodeModules(root);
  const skipper = new DirectorySkipper(options.skipDirs ?? [], await virtualDirs(root, options));
  const yielder = new Yielder();
  const context: FileContext = { root, prefix, catalogers, limits, warn: (w) => warnings.add(`dir:${rootArg}: ${w}`), scratch: new Scratch() };
  let entries = 0;
  // Depth-first with an explicit stack of relative paths: memory is the pending directories only.
  const stack: string[] = [""];
  while (stack.length) {
    const rel = stack.pop()!;
    let dir: Dir;
    try {
      // Listed in batches, never a whole (possibly huge) directory at once.
      dir = opendirSync(rel ? join(root, rel) : root, { bufferSize: 256 });
    } catch (err) {
      warnings.add(`dir:${rootArg}: cannot read /${rel}: ${errorText(err)}`);
      continue;
    }
    // Listing can fail after opening (EACCES on /proc/*/map_files even for root): keep what was read.
    try {
      for (let d = dir.readSync(); d; d = dir.readSync()) {
        if (++entries > limits.maxEntries) throw new LimitExceededError(`dir:${rootArg}: more than maxEntries (${limits.maxEntries}) files`);
        const path = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (!skipper.skips(path)) stack.push(path);
          continue;
        }
        if (!d.isFile()) continue; // symlinks, sockets, fifos, devices: never followed or read
        const facts = await catalogFile(path, context);
        if (facts) {
          // A file's own warnings (each naming the file) travel with its facts; the SBOM lists them once.
          files.push({ path: prefix + path, facts });
        }
        await yielder.maybe();
      }
    } catch (err) {
      if (err instanceof LimitExceededError) throw err;
      warnings.add(`dir:${rootArg}: cannot list /${rel}: ${errorText(err)}`);
    } finally {
      closeQuietly(dir);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings: warnings.done(), entries };
}

function closeQuietly(dir: Dir): void {
  try {
    dir.closeSync();
  } catch {
    /* already closed */
  }
}

/**
 * A root at or inside a node_modules directory ("proj/node_modules", "…/node_modules/@babel"): its
 * files are named from that node_modules on ("node_modules/lodash/package.json"), so catalogers see
 * the installed-package layout they match and a lockfile shipped inside a package stays one.
 */
export function insideNodeModules(root: string): string {
  const parts = root.split(/[\\/]/).filter(Boolean);
  const i = parts.indexOf("node_modules");
  return i >= 0 ? `${parts.slice(i).join("/")}/` : "";
}

/** What every file of one walk shares. */
interface FileContext {
  root: string;
  prefix: string;
  catalogers: readonly Cataloger[];
  limits: Required<WalkLimits>;
  warn: (w: string) => void;
  scratch: Scratch;
}

async function catalogFile(rel: string, { root, prefix, catalogers, limits, warn, scratch }: FileContext): Promise<FileFacts | undefined> {
  const path = prefix + rel;
  let st: Stats | undefined;
  try {
    st = lstatSync(join(root, rel), { throwIfNoEntry: false });
  } catch {
    return undefined; // unreadable since it was listed
  }
  if (!st?.isFile()) return undefined; // gone (or replaced) since it was listed
  const matched = matchingCatalogers(catalogers, path, st.size, st.mode & 0o7777);
  if (!matched) return undefined;
  const streaming = matched.filter((c) => c.scan);
  let buffered = matched.filter((c) => !c.scan);
  if (buffered.length && st.size > limits.maxFileBytes) {
    warn(`skipped ${path} (${st.size} bytes exceeds maxFileBytes ${limits.maxFileBytes})`);
    buffered = [];
  }
  if (!buffered.length && !streaming.length) return undefined;
  const facts: FileFacts = { packages: [] };
  try {
    if (buffered.length) {
      const parsed = await parseRegular(buffered, path, join(root, rel), st.size, scratch);
      Object.assign(facts, parsed);
    }
    for (const c of streaming) {
      const scanned = scanFile(join(root, rel), path, st.size, c.scan!(path, st.size, { randomAccess: true }));
      facts.packages.push(...scanned.packages);
      if (scanned.warnings?.length) (facts.warnings ??= []).push(...scanned.warnings);
    }
  } catch (err) {
    warn(`cannot read ${path}: ${errorText(err)}`);
    return undefined;
  }
  return facts;
}

const SCAN_BLOCK = 256 * 1024;
/** A scan's first read at an offset: most ask for a header or a table of a few KiB there, not a block. */
const FIRST_READ = 64 * 1024;

/**
 * Reads only where the scan asks (a Go binary's header and section table, not its whole text): a read
 * at a new offset is small, and reads that carry on where the last one ended grow to SCAN_BLOCK.
 */
function scanFile(file: string, path: string, size: number, scan: FileScan): FileFacts {
  const fd = openRegular(file);
  try {
    const buf = Buffer.allocUnsafe(SCAN_BLOCK);
    // A scan reads each block a few times at most (head, section tables, data, one whole pass); a
    // scan that keeps asking past that is looping, and a file must never cost unbounded reads.
    const maxReads = 4 * Math.ceil(size / SCAN_BLOCK) + 64;
    let reads = 0;
    let block = FIRST_READ;
    let last = -1;
    for (let at = scan.want(); at >= 0 && at < size; at = scan.want()) {
      if (++reads > maxReads) {
        const facts = scan.end();
        return { ...facts, warnings: [...(facts.warnings ?? []), `${path}: scan stopped after ${maxReads} reads without finishing`] };
      }
      block = at === last ? Math.min(SCAN_BLOCK, block * 2) : FIRST_READ;
      const bytesRead = readSync(fd, buf, 0, Math.min(block, size - at), at);
      if (bytesRead === 0) break;
      last = at + bytesRead;
      scan.write(buf.subarray(0, bytesRead), at);
    }
  } finally {
    closeSync(fd);
  }
  return scan.end();
}
