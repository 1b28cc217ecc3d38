// Per-layer catalog results in Blob: a layer seen once is never downloaded again. The key carries a
// fingerprint of the cataloger set, the secret facts version and the package version, so new
// catalogers or secret rules re-read old layers.
import { CATALOGERS } from "../../scanner/catalogers/index.js";
import type { LayerCache, LayerFacts } from "../../scanner/image/index.js";
import { SECRET_FACTS_VERSION } from "../../scanner/secrets/layer-scan.js";
import { shortDigest } from "../../storage/blobs.js";
import { VERSION } from "../../version.js";
import { CONTAINERS, type PipelineState } from "../state.js";

export class BlobLayerCache implements LayerCache {
  private static readonly version = shortDigest(`${VERSION}|${CATALOGERS.map((c) => c.name).join(",")}|${SECRET_FACTS_VERSION}`, 12);

  constructor(private readonly state: PipelineState) {}

  private name(layerDigest: string): string {
    return `facts/${BlobLayerCache.version}/${layerDigest.replace(":", "/")}.json.gz`;
  }

  async get(layerDigest: string): Promise<LayerFacts | undefined> {
    return this.state.blobs.getJsonAt<LayerFacts>(CONTAINERS.layers, this.name(layerDigest));
  }

  async put(layerDigest: string, facts: LayerFacts): Promise<void> {
    await this.state.blobs.putJsonAt(CONTAINERS.layers, this.name(layerDigest), facts);
  }
}
