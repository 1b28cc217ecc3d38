// docker-archive:FILE — `docker save` output. Both forms carry manifest.json
// ([{Config, RepoTags, Layers}]); the legacy form stores `<id>/layer.tar` named by nothing but the
// config's diff ids, the OCI form (Docker 25+) stores content-addressed blobs plus index.json.
import { InputError } from "../../../errors.js";
import { isDigest, sha256Digest } from "../../../registry/digest.js";
import { MAX_MANIFEST_BYTES, parseImageConfig, parseManifest, type Platform } from "../../../registry/manifest.js";
import type { LayerRef } from "../catalog-layers.js";
import { TarStore } from "./file-store.js";
import { layerFromStore, resolveFromDescriptor } from "./oci-layout.js";
import type { ResolvedImage } from "./resolved.js";

interface SaveEntry {
  Config: string;
  RepoTags?: string[] | null;
  Layers: string[];
}

function parseSaveManifest(bytes: Buffer, label: string): SaveEntry[] {
  let doc: unknown;
  try {
    doc = JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new InputError(`${label}: manifest.json is not valid JSON`);
  }
  const ok = (e: unknown): e is SaveEntry =>
    typeof e === "object" && e !== null && typeof (e as SaveEntry).Config === "string" && Array.isArray((e as SaveEntry).Layers) && (e as SaveEntry).Layers.every((l) => typeof l === "string");
  if (!Array.isArray(doc) || doc.length === 0 || !doc.every(ok)) throw new InputError(`${label}: manifest.json is not a docker save manifest`);
  return doc;
}

const BLOB_PATH = /^blobs\/sha256\/([a-f0-9]{64})$/;

export async function resolveDockerArchive(file: string, platform: Platform): Promise<ResolvedImage> {
  const label = `docker-archive:${file}`;
  const store = await TarStore.index(file, label);
  const warnings: string[] = [];
  if ((await store.size("manifest.json")) === undefined) {
    // An archive that is only an OCI layout (e.g. from other tools).
    if ((await store.size("index.json")) !== undefined) return resolveFromIndexJson(store, label, platform);
    throw new InputError(`${label}: no manifest.json (not a docker save archive)`);
  }
  const entries = parseSaveManifest(await store.readSmall("manifest.json", MAX_MANIFEST_BYTES), label);
  if (entries.length > 1) warnings.push(`${label}: holds ${entries.length} images; cataloged the first (${entries[0].RepoTags?.[0] ?? entries[0].Config})`);
  const entry = entries[0];
  const configBytes = await store.readSmall(entry.Config, MAX_MANIFEST_BYTES);
  const config = parseImageConfig(configBytes, `${label} config`);
  const diffIds = config.rootfs?.diff_ids ?? [];
  if (diffIds.length !== entry.Layers.length || !diffIds.every(isDigest)) {
    throw new InputError(`${label}: config rootfs.diff_ids do not match manifest.json's ${entry.Layers.length} layers`);
  }
  const configDigest = sha256Digest(configBytes);
  let digest = configDigest; // the image id, for legacy archives that record no manifest digest
  const layers: LayerRef[] = [];
  const layerDigests: string[] = [];
  for (const [i, name] of entry.Layers.entries()) {
    const size = await store.size(name);
    if (size === undefined) throw new InputError(`${label}: manifest.json names missing layer "${name.slice(0, 200)}"`);
    const m = BLOB_PATH.exec(name);
    if (m) {
      const blobDigest = `sha256:${m[1]}`;
      layers.push(layerFromStore(store, { mediaType: "application/vnd.oci.image.layer.v1.tar", digest: blobDigest, size }, label));
      layerDigests.push(blobDigest);
    } else {
      layers.push({ digest: diffIds[i], digestOfUncompressed: true, open: () => store.open(name) });
      layerDigests.push(diffIds[i]);
    }
  }
  // The OCI form also names the manifest digest in index.json.
  if ((await store.size("index.json")) !== undefined) {
    try {
      const index = parseManifest(await store.readSmall("index.json", MAX_MANIFEST_BYTES), `${label} index.json`, "application/vnd.oci.image.index.v1+json");
      if (index.kind === "index" && index.manifests.length === 1) digest = index.manifests[0].digest;
    } catch {
      warnings.push(`${label}: ignored an unreadable index.json`);
    }
  }
  // Media types in the OCI form come from the manifest, which may say gzip/zstd; sniffing decides anyway.
  for (const l of layers) l.mediaType = undefined;
  const tag = entry.RepoTags?.[0];
  return {
    artifact: { digest, architecture: config.architecture, layers: layerDigests, ...(tag ? splitRepoTag(tag) : {}) },
    layers,
    warnings,
  };
}

async function resolveFromIndexJson(store: TarStore, label: string, platform: Platform): Promise<ResolvedImage> {
  const index = parseManifest(await store.readSmall("index.json", MAX_MANIFEST_BYTES), `${label} index.json`, "application/vnd.oci.image.index.v1+json");
  if (index.kind !== "index" || index.manifests.length === 0) throw new InputError(`${label}: index.json lists no images`);
  return resolveFromDescriptor(store, index.manifests[0], platform, label);
}

function splitRepoTag(repoTag: string): { repository: string; tag?: string } {
  const colon = repoTag.lastIndexOf(":");
  return colon > repoTag.lastIndexOf("/") ? { repository: repoTag.slice(0, colon), tag: repoTag.slice(colon + 1) } : { repository: repoTag };
}
