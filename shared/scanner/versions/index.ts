// Placeholder: the version-ordering module replaces this file.
import type { VersionScheme } from "../model.js";
export function compareVersions(_scheme: VersionScheme, _a: string, _b: string): -1 | 0 | 1 {
  throw new Error("compareVersions is not implemented yet");
}
