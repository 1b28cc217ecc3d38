// Placeholder: the kubernetes module replaces this file.
import type { Snapshot } from "../model.js";

/** Reads YAML/JSON manifests (files or directories) into one Snapshot (CONTRACTS.md §5 expansion). */
export async function snapshotFromManifests(_paths: string[], _options?: { clusterName?: string }): Promise<Snapshot> {
  throw new Error("snapshotFromManifests is not implemented yet");
}
