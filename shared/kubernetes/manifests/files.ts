// Which files a list of manifest paths names: files as given, directories walked recursively for
// .yaml/.yml/.json (sorted, hidden entries and symlinked directories skipped so walks terminate).
import { readdir, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { InputError } from "../../errors.js";

const MANIFEST_EXTENSIONS = new Set([".yaml", ".yml", ".json"]);

export async function listManifestFiles(paths: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const path of paths) {
    const info = await stat(path).catch(() => undefined);
    if (!info) throw new InputError(`${path}: no such file or directory`);
    if (info.isDirectory()) {
      const found = await walk(path);
      if (found.length === 0) throw new InputError(`${path}: no .yaml, .yml or .json files in this directory`);
      files.push(...found);
    } else files.push(path);
  }
  return [...new Set(files)];
}

async function walk(dir: string): Promise<string[]> {
  const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const out: string[] = [];
  for (const e of entries) {
    if (e.name.startsWith(".")) continue;
    const full = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await walk(full)));
    else if ((e.isFile() || e.isSymbolicLink()) && MANIFEST_EXTENSIONS.has(extname(e.name).toLowerCase())) {
      if (e.isSymbolicLink() && !(await stat(full).catch(() => undefined))?.isFile()) continue;
      out.push(full);
    }
  }
  return out;
}
