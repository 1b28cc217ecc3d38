// Placeholder: the image-source module replaces this file.
import type { Sbom } from "../model.js";

export interface CatalogOptions {
  /** Registry credentials, platform, limits, layer cache … (defined by the image module). */
  [key: string]: unknown;
}

/** Catalogs a CONTRACTS.md §3 target (dir:, oci:, docker-archive:, registry:, bare reference). */
export async function catalogTarget(_target: string, _options?: CatalogOptions): Promise<Sbom> {
  throw new Error("catalogTarget is not implemented yet");
}
