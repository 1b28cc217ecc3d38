// Offline manifests → Snapshot. Secret values are dropped right after each document is parsed,
// before anything else sees the object.
import { readFile } from "node:fs/promises";
import { InputError } from "../../errors.js";
import type { Snapshot } from "../model.js";
import { SnapshotBuilder } from "../normalize/builder.js";
import { ShapeError } from "../normalize/fields.js";
import { scrubSecretValues } from "../normalize/scrub.js";
import { parseManifestText, where, type ManifestObject } from "./documents.js";
import { listManifestFiles } from "./files.js";

export { listManifestFiles } from "./files.js";
export { parseManifestText, type ManifestObject } from "./documents.js";

export interface ManifestOptions {
  clusterName?: string;
  /** For reproducible output in tests. */
  now?: () => Date;
}

/** Reads YAML/JSON manifests (files or directories) into one Snapshot (docs/graph.md expansion). */
export async function snapshotFromManifests(paths: string[], options: ManifestOptions = {}): Promise<Snapshot> {
  if (paths.length === 0) throw new InputError("no manifest paths given");
  const builder = new SnapshotBuilder({
    source: "manifests",
    cluster: { name: options.clusterName ?? "offline" },
    collectedAt: (options.now?.() ?? new Date()).toISOString(),
    expandTemplates: true,
  });
  for (const file of await listManifestFiles(paths)) {
    const text = await readFile(file, "utf8").catch((err: NodeJS.ErrnoException) => {
      throw new InputError(`${file}: cannot read (${err.code ?? err.message})`);
    });
    for (const object of parseManifestText(text, file)) addObject(builder, object);
  }
  return builder.build();
}

function addObject(builder: SnapshotBuilder, object: ManifestObject): void {
  scrubSecretValues(object.raw, object.raw.kind ?? object.kindHint);
  try {
    builder.add(object.raw, object.kindHint, object.path);
  } catch (err) {
    if (err instanceof ShapeError) {
      const raw = object.raw as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown } };
      const kind = typeof raw.kind === "string" ? raw.kind : object.kindHint;
      const name = typeof raw.metadata?.name === "string" ? raw.metadata.name : undefined;
      const what = kind ? ` (${kind}${name ? ` ${name}` : ""})` : "";
      throw new InputError(`${where(object.file, object.document)}${what}: ${err.message}`, "BadManifest");
    }
    throw err;
  }
}
