// The advisory feed index: stored in Blob behind a pointer, the previous one staying until a new one
// is complete. Matching reads it through a one-minute in-memory cache.
import { loadFeedDir } from "../../scanner/feed/load-dir.js";
import type { FeedIndex } from "../../scanner/feed/model.js";
import { updateFeed, type FeedSources, type FeedStore, type FeedUpdateResult } from "../../scanner/feed/update.js";
import { CONTAINERS, type PipelineState } from "../state.js";

const POINTER = "feed/current.json";
const CACHE_MS = 60_000;

export class BlobFeedStore implements FeedStore {
  constructor(private readonly state: PipelineState) {}

  async get(): Promise<FeedIndex | undefined> {
    const p = await this.state.blobs.getPointer<{ ref: { container: string; name: string; digest: string } }>(CONTAINERS.pointers, POINTER);
    return p ? this.state.blobs.getJson<FeedIndex>(p.value.ref) : undefined;
  }

  async put(index: FeedIndex): Promise<void> {
    const ref = await this.state.blobs.putJson(CONTAINERS.feed, "index", index);
    await this.state.blobs.setPointer(CONTAINERS.pointers, POINTER, { ref, version: index.version });
  }
}

export class FeedRepository {
  readonly store: BlobFeedStore;
  private cache?: { index: FeedIndex; loadedAt: number };

  /** `feedDir`: OSV/KEV/EPSS directory used when no index is stored yet; `sources`: where updates come from. */
  constructor(state: PipelineState, private readonly options: { feedDir?: string; sources: FeedSources }) {
    this.store = new BlobFeedStore(state);
  }

  /** The index for matching: the stored one, else built from the configured directory and stored. */
  async current(): Promise<FeedIndex> {
    if (this.cache && Date.now() - this.cache.loadedAt < CACHE_MS) return this.cache.index;
    let index = await this.store.get();
    if (!index) {
      if (!this.options.feedDir) throw new Error("no advisory feed: run `vantage feed update` or set VANTAGE_FEED_DIR");
      index = await loadFeedDir(this.options.feedDir);
      await this.store.put(index);
    }
    this.cache = { index, loadedAt: Date.now() };
    return index;
  }

  /** Daily: download OSV/KEV/EPSS and store a new index; any failure keeps the previous one. */
  async update(): Promise<FeedUpdateResult> {
    const result = await updateFeed(this.options.sources, this.store);
    if (result.status === "updated") this.forget();
    return result;
  }

  /** Drops the cached index (after a new one is stored). */
  forget(): void {
    this.cache = undefined;
  }
}
