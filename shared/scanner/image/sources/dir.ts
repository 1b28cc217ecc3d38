// dir: targets — a root filesystem on disk. Symlinks are never followed (lstat only), so nothing
// outside the root is read; only regular files a cataloger wants are opened.
import { lstat, open, opendir, readFile, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError, LimitExceededError } from "../../../errors.js";
import type { Cataloger, FileFacts, FileScan, LocatedFacts } from "../../catalogers/types.js";
import { matchingCatalogers, parseFile } from "../file-facts.js";
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

async function readBounded(file: string, size: number): Promise<Buffer> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(size);
    let filled = 0;
    while (filled < size) {
      const { bytesRead } = await handle.read(buf, filled, size - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    return filled === size ? buf : buf.subarray(0, filled);
  } finally {
    await handle.close();
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
  let entries = 0;
  // Depth-first with an explicit stack of relative paths: memory is the pending directories only.
  const stack: string[] = [""];
  while (stack.length) {
    const rel = stack.pop()!;
    let dir;
    try {
      dir = await opendir(rel ? join(root, rel) : root);
    } catch (err) {
      warnings.add(`dir:${rootArg}: cannot read /${rel}: ${errorText(err)}`);
      continue;
    }
    // Listing can fail after opening (EACCES on /proc/*/map_files even for root): keep what was read.
    try {
      for await (const d of dir) {
        if (++entries > limits.maxEntries) throw new LimitExceededError(`dir:${rootArg}: more than maxEntries (${limits.maxEntries}) files`);
        const path = rel ? `${rel}/${d.name}` : d.name;
        if (d.isDirectory()) {
          if (!skipper.skips(path)) stack.push(path);
          continue;
        }
        if (!d.isFile()) continue; // symlinks, sockets, fifos, devices: never followed or read
        const facts = await catalogFile(root, path, prefix, catalogers, limits, (w) => warnings.add(`dir:${rootArg}: ${w}`));
        if (!facts) continue;
        // A file's own warnings (each naming the file) travel with its facts; the SBOM lists them once.
        files.push({ path: prefix + path, facts });
      }
    } catch (err) {
      if (err instanceof LimitExceededError) throw err;
      warnings.add(`dir:${rootArg}: cannot list /${rel}: ${errorText(err)}`);
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings: warnings.done(), entries };
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

async function catalogFile(
  root: string,
  rel: string,
  prefix: string,
  catalogers: readonly Cataloger[],
  limits: Required<WalkLimits>,
  warn: (w: string) => void,
): Promise<FileFacts | undefined> {
  const path = prefix + rel;
  let st;
  try {
    st = await lstat(join(root, rel));
  } catch {
    return undefined; // gone since it was listed
  }
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
      const parsed = await parseFile(buffered, path, await readBounded(join(root, rel), st.size));
      Object.assign(facts, parsed);
    }
    for (const c of streaming) {
      const scanned = await scanFile(join(root, rel), path, st.size, c.scan!(path, st.size, { randomAccess: true }));
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

/** Reads only where the scan asks (a Go binary's header and data start, not its whole text). */
async function scanFile(file: string, path: string, size: number, scan: FileScan): Promise<FileFacts> {
  const handle = await open(file, "r");
  try {
    const buf = Buffer.allocUnsafe(SCAN_BLOCK);
    // A scan reads each block a few times at most (head, section tables, data, one whole pass); a
    // scan that keeps asking past that is looping, and a file must never cost unbounded reads.
    const maxReads = 4 * Math.ceil(size / SCAN_BLOCK) + 64;
    let reads = 0;
    for (let at = scan.want(); at >= 0 && at < size; at = scan.want()) {
      if (++reads > maxReads) {
        const facts = scan.end();
        return { ...facts, warnings: [...(facts.warnings ?? []), `${path}: scan stopped after ${maxReads} reads without finishing`] };
      }
      const { bytesRead } = await handle.read(buf, 0, Math.min(SCAN_BLOCK, size - at), at);
      if (bytesRead === 0) break;
      scan.write(buf.subarray(0, bytesRead), at);
    }
  } finally {
    await handle.close();
  }
  return scan.end();
}
