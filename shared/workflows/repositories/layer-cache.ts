// Per-layer catalog results in Blob: a layer seen once is never downloaded again while its facts
// hold. One blob per layer digest holds the walk's own facts (keyed by the walk and secret facts
// versions) and each cataloger's files under that cataloger's name and version, so a new version
// of one cataloger re-reads the layer for that cataloger alone; the others are served from here.
import { packLayer, unpackLayer, type CachedLayer, type CatalogerKey, type LayerCache, type LayerFacts, type PackedLayer } from "../../scanner/image/layer-facts.js";
import { CONTAINERS, type PipelineState } from "../state.js";

export class BlobLayerCache implements LayerCache {
  constructor(private readonly state: PipelineState) {}

  /** `facts/sha256/<hex>.json.gz` in the layers container. */
  static blobName(layerDigest: string): string {
    return `facts/${layerDigest.replace(":", "/")}.json.gz`;
  }

  async get(layerDigest: string, catalogers: readonly CatalogerKey[]): Promise<CachedLayer | undefined> {
    return unpackLayer(await this.state.blobs.getJsonAt<PackedLayer>(CONTAINERS.layers, BlobLayerCache.blobName(layerDigest)), catalogers);
  }

  async put(layerDigest: string, facts: LayerFacts, catalogers: readonly CatalogerKey[]): Promise<void> {
    await this.state.blobs.putJsonAt(CONTAINERS.layers, BlobLayerCache.blobName(layerDigest), packLayer(facts, catalogers));
  }
}
