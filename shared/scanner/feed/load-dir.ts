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

/** Pushes the OSV records found in one parsed JSON document; returns false when it holds none. */
export function collectRecords(doc: unknown, into: unknown[]): boolean {
  if (Array.isArray(doc)) {
    into.push(...doc);
    return true;
  }
  if (typeof doc === "object" && doc !== null && typeof (doc as { id?: unknown }).id === "string") {
    into.push(doc);
    return true;
  }
  return false;
}

export async function readFeedDir(dir: string): Promise<FeedInputs & { malformedFiles: number }> {
  let info;
  try {
    info = await stat(dir);
  } catch {
    throw new InputError(`feed directory ${dir} does not exist`);
  }
  if (!info.isDirectory()) throw new InputError(`feed directory ${dir} is not a directory`);
  const inputs: FeedInputs & { malformedFiles: number } = { records: [], malformedFiles: 0 };
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
      let doc: unknown;
      try {
        doc = JSON.parse(await readFile(path, "utf8"));
      } catch {
        inputs.malformedFiles++;
        continue;
      }
      if (!collectRecords(doc, inputs.records)) inputs.malformedFiles++;
    }
  }
  if (inputs.records.length === 0) throw new InputError(`feed directory ${dir} holds no OSV records (*.json)`);
  return inputs;
}

/** Reads and indexes a feed directory. Files that aren't JSON records are counted as `malformed-file`. */
export async function loadFeedDir(dir: string, options?: BuildOptions): Promise<FeedIndex> {
  const { malformedFiles, ...inputs } = await readFeedDir(dir);
  const index = buildFeedIndex(inputs, options);
  if (malformedFiles) index.stats.skipped["malformed-file"] = malformedFiles;
  return index;
}
