import type { Sbom } from "../../model.js";
import type { LayerRef } from "../catalog-layers.js";

/** An image source resolved to one platform's layers, ready to walk. */
export interface ResolvedImage {
  artifact: Sbom["artifact"];
  layers: LayerRef[];
  warnings: string[];
}
