// Placeholder: the catalogers module replaces this file (CATALOGERS and assembleSbom).
import type { Sbom } from "../model.js";
import type { Cataloger, LocatedFacts } from "./types.js";

export const CATALOGERS: Cataloger[] = [];

export function assembleSbom(_input: { target: string; artifact: Sbom["artifact"]; files: LocatedFacts[]; warnings?: string[] }): Sbom {
  throw new Error("assembleSbom is not implemented yet");
}
