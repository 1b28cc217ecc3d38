export { collectTarget, catalogTarget, MemoryLayerCache } from "../../shared/scanner/image/index.js";
import type { CatalogStats } from "../../shared/scanner/image/index.js";

export function emptyStatsForTest(): CatalogStats {
  return { layers: 0, layersFromCache: 0, layerBytesFetched: 0, decompressedBytes: 0, entries: 0 };
}
