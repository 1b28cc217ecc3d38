// Advisory feed: OSV + CISA KEV + FIRST EPSS → a compact, versioned, serializable index.
export type { FeedIndex, AffectedEntry, AffectedRange, RangeEvent, VulnInfo, KevEntry, FeedStats } from "./model.js";
export { FEED_INDEX_SCHEMA } from "./model.js";
export { parseOsvEcosystem, ecosystemKeyForOs, schemeForKey, normalizePackageName, languagePackageName, type EcosystemInfo } from "./ecosystems.js";
export { parseOsvRecord, ratingFromWord, type ParsedRecord } from "./osv.js";
export { parseKevCatalog } from "./kev.js";
export { parseEpssCsv, type EpssScores } from "./epss.js";
export { buildFeedIndex, primaryId, contentHash, type FeedInputs, type BuildOptions } from "./build.js";
export { compareInRange, compareSemver } from "./compare.js";
export { serializeFeedIndex, parseFeedIndex, gzipFeedIndex, gunzipFeedIndex } from "./serialize.js";
export { loadFeedDir, readFeedDir } from "./load-dir.js";
export { readZip, isZip, type ZipEntry, type ZipLimits } from "./zip.js";
export {
  updateFeed, fetchFeedInputs, feedSourcesFromEnv, MemoryFeedStore, DirectoryFeedStore,
  type FeedSources, type FeedStore, type FeedUpdateResult, type UpdateOptions,
} from "./update.js";
