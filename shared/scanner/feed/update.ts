// Production feed refresh: download OSV (per-ecosystem all.zip or JSON), CISA KEV and FIRST EPSS
// from configurable URLs, build a new index, and publish it only when everything succeeded — any
// failure keeps the previous index in place.
import { mkdir, readFile, rename, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { errorMessage } from "../../errors.js";
import { buildFeedIndex, type BuildOptions, type FeedInputs } from "./build.js";
import { parseEpssCsv } from "./epss.js";
import { parseKevCatalog } from "./kev.js";
import type { FeedIndex } from "./model.js";
import { parseFeedIndex, serializeFeedIndex } from "./serialize.js";
import { collectRecords, describeSource, FeedWarnings, readRecordFile } from "./record-files.js";
import { isZip, readZip } from "./zip.js";

export interface FeedSources {
  /** OSV sources: `…/<Ecosystem>/all.zip`, a JSON array of records, or one record. */
  osv: string[];
  kev?: string;
  epss?: string;
}

/** Where the current index lives (in memory, a directory, Blob storage, …). */
export interface FeedStore {
  get(): Promise<FeedIndex | undefined>;
  put(index: FeedIndex): Promise<void>;
}

export const OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com";
export const DEFAULT_OSV_ECOSYSTEMS = ["Debian", "Ubuntu", "Alpine", "Red Hat", "AlmaLinux", "Rocky Linux", "Azure Linux", "SUSE", "openSUSE", "npm", "PyPI", "Maven", "Go", "NuGet", "RubyGems"];
export const DEFAULT_KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json";
export const DEFAULT_EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz";

/**
 * Sources from the environment: VANTAGE_FEED_OSV_URLS (comma-separated), VANTAGE_FEED_KEV_URL and
 * VANTAGE_FEED_EPSS_URL (set either to "" to skip it); defaults are the public distributions.
 */
export function feedSourcesFromEnv(env: NodeJS.ProcessEnv = process.env): FeedSources {
  const osv = env.VANTAGE_FEED_OSV_URLS?.split(",").map((s) => s.trim()).filter(Boolean) ??
    DEFAULT_OSV_ECOSYSTEMS.map((e) => `${OSV_BUCKET}/${encodeURIComponent(e)}/all.zip`);
  const sources: FeedSources = { osv };
  const kev = env.VANTAGE_FEED_KEV_URL ?? DEFAULT_KEV_URL;
  const epss = env.VANTAGE_FEED_EPSS_URL ?? DEFAULT_EPSS_URL;
  if (kev) sources.kev = kev;
  if (epss) sources.epss = epss;
  return sources;
}

export interface FetchOptions {
  fetch?: typeof fetch;
  /** Per-download byte limit (compressed). */
  maxBytes?: number;
  timeoutMs?: number;
}

async function download(url: string, options: FetchOptions): Promise<Buffer> {
  const doFetch = options.fetch ?? fetch;
  const maxBytes = options.maxBytes ?? 1024 ** 3;
  const res = await doFetch(url, { signal: AbortSignal.timeout(options.timeoutMs ?? 300_000) });
  if (!res.ok || !res.body) throw new Error(`${url}: HTTP ${res.status}`);
  const declared = Number(res.headers.get("content-length") ?? "0");
  if (declared > maxBytes) throw new Error(`${url}: ${declared} bytes exceed the ${maxBytes}-byte limit`);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    total += chunk.length;
    if (total > maxBytes) throw new Error(`${url}: body exceeds the ${maxBytes}-byte limit`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

const ungzip = (b: Buffer, max: number) => (b[0] === 0x1f && b[1] === 0x8b ? gunzipSync(b, { maxOutputLength: max }) : b);

/**
 * Downloads every source; throws on the first failure (so nothing partial is ever published). A
 * malformed entry of an archive is not a failure: it is skipped with a warning naming the entry and
 * the archive (OSV publishes tens of thousands per ecosystem; one bad record must not block the rest).
 */
export async function fetchFeedInputs(sources: FeedSources, options: FetchOptions = {}): Promise<FeedInputs> {
  const inputs: FeedInputs = { records: [], malformedFiles: 0 };
  const warnings = new FeedWarnings();
  const maxExpanded = 4 * 1024 ** 3;
  for (const url of sources.osv) {
    const body = await download(url, options);
    if (isZip(body)) {
      for (const entry of readZip(body, (name) => name.endsWith(".json"))) {
        const problem = readRecordFile(entry.data.toString("utf8"), inputs.records);
        if (!problem) continue;
        inputs.malformedFiles!++;
        warnings.add(`${describeSource(url)}: ${entry.name}: ${problem}; skipped`);
      }
    } else if (!collectRecords(JSON.parse(ungzip(body, maxExpanded).toString("utf8")), inputs.records)) {
      throw new Error(`${url}: neither a zip of OSV records nor OSV JSON`);
    }
  }
  if (sources.kev) inputs.kev = parseKevCatalog(ungzip(await download(sources.kev, options), maxExpanded).toString("utf8"), sources.kev);
  if (sources.epss) inputs.epss = parseEpssCsv(ungzip(await download(sources.epss, options), maxExpanded).toString("utf8"), sources.epss);
  inputs.warnings = warnings.done();
  return inputs;
}

/** `warnings`: what this run's sources skipped (malformed files), each naming the file and its archive. */
export type FeedUpdateResult =
  | { status: "updated"; index: FeedIndex; previousHash?: string; warnings: string[] }
  | { status: "unchanged"; index: FeedIndex; warnings: string[] }
  | { status: "failed"; error: string; index?: FeedIndex; warnings: string[] };

export interface UpdateOptions extends FetchOptions, BuildOptions {
  /**
   * Refuse a new index with fewer than this fraction of the previous one's advisories: a feed that
   * suddenly shrinks is more likely a broken mirror than fixed history. Default 0.5.
   */
  minRetainedRatio?: number;
}

/** Refreshes the store's index from the sources; on any failure the previous index stays current. */
export async function updateFeed(sources: FeedSources, store: FeedStore, options: UpdateOptions = {}): Promise<FeedUpdateResult> {
  let previous: FeedIndex | undefined;
  try {
    previous = await store.get();
  } catch {
    previous = undefined; // an unreadable current index is replaced, not an obstacle
  }
  let warnings: string[] = [];
  try {
    const inputs = await fetchFeedInputs(sources, options);
    warnings = inputs.warnings ?? [];
    const index = buildFeedIndex(inputs, options);
    if (index.version.advisories === 0) throw new Error("the sources produced no usable advisories");
    if (previous && index.version.advisories < previous.version.advisories * (options.minRetainedRatio ?? 0.5)) {
      throw new Error(`the new feed has ${index.version.advisories} advisories, far fewer than the current ${previous.version.advisories}`);
    }
    if (previous?.version.hash === index.version.hash) return { status: "unchanged", index: previous, warnings };
    await store.put(index);
    return previous ? { status: "updated", index, previousHash: previous.version.hash, warnings } : { status: "updated", index, warnings };
  } catch (err) {
    return previous ? { status: "failed", error: errorMessage(err), index: previous, warnings } : { status: "failed", error: errorMessage(err), warnings };
  }
}

export class MemoryFeedStore implements FeedStore {
  constructor(private current?: FeedIndex) {}
  async get(): Promise<FeedIndex | undefined> {
    return this.current;
  }
  async put(index: FeedIndex): Promise<void> {
    this.current = index;
  }
}

/** `DIR/index.json`, replaced atomically (write + rename) so readers never see half an index. */
export class DirectoryFeedStore implements FeedStore {
  readonly file: string;
  constructor(readonly dir: string) {
    this.file = join(dir, "index.json");
  }
  async get(): Promise<FeedIndex | undefined> {
    let text: string;
    try {
      text = await readFile(this.file, "utf8");
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return undefined;
      throw err;
    }
    return parseFeedIndex(text, this.file);
  }
  async put(index: FeedIndex): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const tmp = `${this.file}.${process.pid}.tmp`;
    await writeFile(tmp, serializeFeedIndex(index));
    await rename(tmp, this.file);
  }
}
