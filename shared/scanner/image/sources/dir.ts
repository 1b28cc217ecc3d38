// dir: targets — a root filesystem on disk. Symlinks are never followed (lstat only), so nothing
// outside the root is read; only regular files a cataloger wants are opened.
import { lstat, open, opendir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { InputError, LimitExceededError } from "../../../errors.js";
import type { Cataloger, LocatedFacts } from "../../catalogers/types.js";
import { matchingCatalogers, parseFile } from "../file-facts.js";
import { WarningList, type WalkLimits } from "../limits.js";

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
  let entries = 0;
  // Depth-first with an explicit stack of relative paths: memory is the pending directories only.
  const stack: string[] = [""];
  while (stack.length) {
    const rel = stack.pop()!;
    let dir;
    try {
      dir = await opendir(rel ? join(root, rel) : root);
    } catch (err) {
      warnings.add(`dir:${rootArg}: cannot read ${rel || "/"}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
      continue;
    }
    for await (const d of dir) {
      if (++entries > limits.maxEntries) throw new LimitExceededError(`dir:${rootArg}: more than maxEntries (${limits.maxEntries}) files`);
      const path = rel ? `${rel}/${d.name}` : d.name;
      if (d.isDirectory()) {
        stack.push(path);
        continue;
      }
      if (!d.isFile()) continue; // symlinks, sockets, fifos, devices: never followed or read
      let st;
      try {
        st = await lstat(join(root, path));
      } catch {
        continue;
      }
      const matched = matchingCatalogers(catalogers, path, st.size, st.mode & 0o7777);
      if (!matched) continue;
      if (st.size > limits.maxFileBytes) {
        warnings.add(`dir:${rootArg}: skipped ${path} (${st.size} bytes exceeds maxFileBytes ${limits.maxFileBytes})`);
        continue;
      }
      let content: Buffer;
      try {
        content = await readBounded(join(root, path), st.size);
      } catch (err) {
        warnings.add(`dir:${rootArg}: cannot read ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
        continue;
      }
      const facts = await parseFile(matched, path, content);
      if (facts.warnings?.length) for (const w of facts.warnings) warnings.add(`${path}: ${w}`);
      files.push({ path, facts });
    }
  }
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, warnings: warnings.done(), entries };
}
