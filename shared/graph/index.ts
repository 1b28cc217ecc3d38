// Placeholder: the graph module replaces this file.
import type { Snapshot } from "../kubernetes/model.js";
import type { Finding } from "../scanner/model.js";
import type { PathsReport } from "./model.js";

/** Findings of one image, joined to containers by reference or digest. */
export interface ImageFindings {
  ref?: string;
  digest?: string;
  findings: Finding[];
}

export interface BuildOptions {
  maxHops?: number;
  maxPaths?: number;
  timeBudgetMs?: number;
}

export function buildSecurityGraph(_snapshot: Snapshot, _images: ImageFindings[] = [], _options: BuildOptions = {}): PathsReport {
  throw new Error("buildSecurityGraph is not implemented yet");
}
