// The advisory feed index: stored in Blob behind a pointer, the previous one staying until a new one
// is complete. Matching reads it through a one-minute in-memory cache; after that minute only the
// small pointer is read again, and the index (large JSON, parsed on the host thread) only when the
// pointer names another one.
import { loadFeedDir } from "../../scanner/feed/load-dir.js";
import type { FeedIndex } from "../../scanner/feed/model.js";
import { updateFeed, type FeedSources, type FeedStore, type FeedUpdateResult } from "../../scanner/feed/update.js";
import { CONTAINERS, type PipelineState } from "../state.js";

const POINTER = "feed/current.json";

type FeedRef = { container: string; name: string; digest: string };
const CACHE_MS = 60_000;

export class BlobFeedStore implements FeedStore {
  constructor(private readonly state: PipelineState) {}

  async get(): Promise<FeedIndex | undefined> {
    const ref = await this.currentRef();
    return ref ? this.state.blobs.getJson<FeedIndex>(ref) : undefined;
  }

  /** Where the current index is stored (its digest names its content), without reading it. */
  async currentRef(): Promise<FeedRef | undefined> {
    return (await this.state.blobs.getPointer<{ ref: FeedRef }>(CONTAINERS.pointers, POINTER))?.value.ref;
  }

  async read(ref: FeedRef): Promise<FeedIndex> {
    return this.state.blobs.getJson<FeedIndex>(ref);
  }

  async put(index: FeedIndex): Promise<void> {
    const ref = await this.state.blobs.putJson(CONTAINERS.feed, "index", index);
    await this.state.blobs.setPointer(CONTAINERS.pointers, POINTER, { ref, version: index.version });
  }
}

export class FeedRepository {
  readonly store: BlobFeedStore;
  private cache?: { index: FeedIndex; loadedAt: number; digest?: string };

  /** `feedDir`: OSV/KEV/EPSS directory used when no index is stored yet; `sources`: where updates come from. */
  constructor(state: PipelineState, private readonly options: { feedDir?: string; sources: FeedSources }) {
    this.store = new BlobFeedStore(state);
  }

  /** The index for matching: the stored one, else built from the configured directory and stored. */
  async current(): Promise<FeedIndex> {
    if (this.cache && Date.now() - this.cache.loadedAt < CACHE_MS) return this.cache.index;
    const ref = await this.store.currentRef();
    if (ref && this.cache && ref.digest === this.cache.digest) {
      this.cache.loadedAt = Date.now();
      return this.cache.index;
    }
    let index = ref ? await this.store.read(ref) : undefined;
    if (!index) {
      if (!this.options.feedDir) throw new Error("no advisory feed: run `vantage feed update` or set VANTAGE_FEED_DIR");
      index = await loadFeedDir(this.options.feedDir);
      await this.store.put(index);
    }
    this.cache = { index, loadedAt: Date.now(), digest: ref?.digest };
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
