// `--feed DIR` / `feed update --from DIR`: OSV records as `*.json` files (one record, or an array of
// records), nested at any depth, plus optional `kev.json` (CISA) and `epss.csv[.gz]` (FIRST) at the top.
import { readdir, readFile, stat } from "node:fs/promises";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { InputError } from "../../errors.js";
import { buildFeedIndex, type BuildOptions, type FeedInputs } from "./build.js";
import { parseEpssCsv } from "./epss.js";
import { parseKevCatalog } from "./kev.js";
import type { FeedIndex } from "./model.js";
import { FeedWarnings, readRecordFile } from "./record-files.js";

const MAX_FILES = 2_000_000;
const MAX_FILE_BYTES = 256 * 1024 ** 2;

async function* walk(dir: string, depth = 0): AsyncGenerator<string> {
  if (depth > 16) return;
  const entries = await readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) yield* walk(path, depth + 1);
    else if (e.isFile()) yield path; // symlinks are not followed
  }
}

export async function readFeedDir(dir: string): Promise<FeedInputs & { malformedFiles: number; warnings: string[] }> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new InputError(`feed directory ${dir} does not exist`);
  }
  if (!info.isDirectory()) throw new InputError(`feed directory ${dir} is not a directory`);
  const inputs = { records: [] as unknown[], malformedFiles: 0 } as FeedInputs & { malformedFiles: number; warnings: string[] };
  const warnings = new FeedWarnings();
  let files = 0;
  for await (const path of walk(dir)) {
    if (++files > MAX_FILES) throw new InputError(`feed directory ${dir} has more than ${MAX_FILES} files`);
    const rel = relative(dir, path).split("\\").join("/");
    const size = (await stat(path)).size;
    if (size > MAX_FILE_BYTES) throw new InputError(`${path}: ${size} bytes is over the ${MAX_FILE_BYTES}-byte limit`);
    if (rel === "kev.json") {
      inputs.kev = parseKevCatalog(await readFile(path, "utf8"), path);
    } else if (rel === "epss.csv" || rel === "epss.csv.gz") {
      const bytes = await readFile(path);
      inputs.epss = parseEpssCsv((rel.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8"), path);
    } else if (rel.endsWith(".json")) {
      const problem = readRecordFile(await readFile(path, "utf8"), inputs.records);
      if (problem) {
        inputs.malformedFiles++;
        warnings.add(`${path}: ${problem}; skipped`);
      }
    }
  }
  if (inputs.records.length === 0) throw new InputError(`feed directory ${dir} holds no OSV records (*.json)`);
  inputs.warnings = warnings.done();
  return inputs;
}

/**
 * Reads and indexes a feed directory. Files that aren't JSON records are counted as `malformed-file`
 * and named in the index's warnings.
 */
export async function loadFeedDir(dir: string, options?: BuildOptions): Promise<FeedIndex> {
  return buildFeedIndex(await readFeedDir(dir), options);
}
