// `vantage feed update [--from DIR]`: rebuilds the advisory index into the local feed store
// `.vantage/feed/index.json` (relative to the working directory) — from a directory of OSV records
// offline, or from the configured online sources (VANTAGE_FEED_OSV_URLS, _KEV_URL, _EPSS_URL).
// A failed update leaves the previous index untouched. Files skipped as malformed are warnings on
// stderr naming each file (and its archive).
import { join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { loadFeedDir } from "../../scanner/feed/load-dir.js";
import type { FeedIndex } from "../../scanner/feed/model.js";
import { DirectoryFeedStore, feedSourcesFromEnv, updateFeed } from "../../scanner/feed/update.js";
import { parseCommandArgs, printWarnings, type CliIo } from "../io.js";

export const LOCAL_FEED_DIR = join(".vantage", "feed");

function describe(index: FeedIndex): string {
  const skipped = Object.entries(index.stats.skipped).map(([k, n]) => `${k} ${n}`).join(", ");
  const unknown = Object.values(index.stats.unknownEcosystems).reduce((a, b) => a + b, 0);
  return (
    `${index.version.advisories} advisories for ${index.version.packages} packages, KEV ${index.version.kev}, EPSS ${index.version.epss}` +
    `${skipped ? `; skipped: ${skipped}` : ""}${unknown ? `; entries in other ecosystems: ${unknown}` : ""} (${index.version.hash})`
  );
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("feed", args, { from: { type: "string" } });
  if (positionals[0] !== "update" || positionals.length !== 1) throw new InputError('expected the subcommand "update" (vantage feed update [--from DIR])');
  const store = new DirectoryFeedStore(resolve(io.cwd, LOCAL_FEED_DIR));
  if (values.from !== undefined) {
    const index = await loadFeedDir(resolve(io.cwd, values.from as string));
    await store.put(index);
    io.stdout(`feed updated from ${values.from}: ${describe(index)} → ${store.file}\n`);
    printWarnings(io, "feed", index.warnings ?? []);
    return 0;
  }
  if (io.isTTY) io.stderr("downloading advisory sources…\n");
  const result = await updateFeed(feedSourcesFromEnv(), store);
  printWarnings(io, "feed", result.warnings);
  if (result.status === "failed") {
    io.stderr(`vantage feed: update failed: ${result.error}${result.index ? `; keeping ${result.index.version.hash}` : ""}\n`);
    return 1;
  }
  io.stdout(`feed ${result.status}: ${describe(result.index)} → ${store.file}\n`);
  return 0;
}
