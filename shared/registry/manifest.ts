// Manifests and indexes (OCI image spec; Docker schema 2 is the same shape): validation of untrusted
// JSON into typed values, and platform selection. Pure.
import { InputError } from "../errors.js";
import { assertDigest } from "./digest.js";
import { isImageManifestMediaType, isIndexMediaType, OCI_INDEX, OCI_MANIFEST } from "./media-types.js";

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: Platform;
  annotations?: Record<string, string>;
  urls?: string[];
}

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

export interface ImageManifest {
  kind: "manifest";
  schemaVersion: 2;
  mediaType: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}

export interface ImageIndex {
  kind: "index";
  schemaVersion: 2;
  mediaType: string;
  manifests: Descriptor[];
  annotations?: Record<string, string>;
}

export type AnyManifest = ImageManifest | ImageIndex;

/** Upper bound on a manifest/index/config document: registries cap manifests at 4 MiB too. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
const MAX_DESCRIPTORS = 10_000;

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function parseDescriptor(v: unknown, what: string): Descriptor {
  if (!isObject(v)) throw new InputError(`${what}: descriptor is not an object`);
  const { mediaType, digest, size, platform, annotations, urls } = v;
  if (typeof mediaType !== "string") throw new InputError(`${what}: descriptor has no mediaType`);
  if (typeof size !== "number" || !Number.isSafeInteger(size) || size < 0) throw new InputError(`${what}: descriptor has a bad size`);
  const d: Descriptor = { mediaType, digest: assertDigest(digest, what), size };
  if (isObject(platform) && typeof platform.os === "string" && typeof platform.architecture === "string") {
    d.platform = { os: platform.os, architecture: platform.architecture, ...(typeof platform.variant === "string" ? { variant: platform.variant } : {}) };
  }
  if (isObject(annotations)) d.annotations = Object.fromEntries(Object.entries(annotations).filter(([, x]) => typeof x === "string")) as Record<string, string>;
  if (Array.isArray(urls)) d.urls = urls.filter((u): u is string => typeof u === "string");
  return d;
}

/**
 * Parses a manifest or index. `contentType` (from the HTTP response or the parent descriptor) wins
 * over the body's own mediaType, which OCI makes optional.
 */
export function parseManifest(bytes: Uint8Array, what: string, contentType?: string): AnyManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new InputError(`${what}: manifest larger than ${MAX_MANIFEST_BYTES} bytes`);
  let doc: unknown;
  try {
    doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
  } catch {
    throw new InputError(`${what}: manifest is not valid JSON`);
  }
  if (!isObject(doc)) throw new InputError(`${what}: manifest is not a JSON object`);
  if (doc.schemaVersion !== 2) throw new InputError(`${what}: unsupported manifest schemaVersion ${JSON.stringify(doc.schemaVersion)} (only schema 2 / OCI)`);
  const declared = typeof doc.mediaType === "string" ? doc.mediaType : undefined;
  const ct = contentType?.split(";")[0].trim();
  const mediaType = [ct, declared].find((t) => isIndexMediaType(t) || isImageManifestMediaType(t)) ?? (Array.isArray(doc.manifests) ? OCI_INDEX : OCI_MANIFEST);
  const annotations = isObject(doc.annotations) ? (doc.annotations as Record<string, string>) : undefined;
  if (isIndexMediaType(mediaType)) {
    if (!Array.isArray(doc.manifests)) throw new InputError(`${what}: index has no manifests array`);
    if (doc.manifests.length > MAX_DESCRIPTORS) throw new InputError(`${what}: index lists too many manifests`);
    return { kind: "index", schemaVersion: 2, mediaType, manifests: doc.manifests.map((m, i) => parseDescriptor(m, `${what} manifests[${i}]`)), annotations };
  }
  if (!Array.isArray(doc.layers)) throw new InputError(`${what}: manifest has no layers array`);
  if (doc.layers.length > MAX_DESCRIPTORS) throw new InputError(`${what}: manifest lists too many layers`);
  return {
    kind: "manifest",
    schemaVersion: 2,
    mediaType,
    config: parseDescriptor(doc.config, `${what} config`),
    layers: doc.layers.map((l, i) => parseDescriptor(l, `${what} layers[${i}]`)),
    annotations,
  };
}

/** "linux/arm64/v8" → Platform. */
export function parsePlatform(value: string): Platform {
  const [os, architecture, variant, ...extra] = value.split("/");
  if (!os || !architecture || extra.length) throw new InputError(`invalid platform "${value}" (expected os/arch[/variant])`);
  return variant ? { os, architecture, variant } : { os, architecture };
}

export function formatPlatform(p: Platform): string {
  return `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ""}`;
}

export const DEFAULT_PLATFORM: Platform = { os: "linux", architecture: "amd64" };

/**
 * Chooses the index entry for `wanted`: exact variant first, then any variant of the architecture
 * (arm64 images are often published without "v8"). Attestation manifests (platform unknown/unknown)
 * never match.
 */
export function selectPlatform(index: ImageIndex, wanted: Platform, what: string): Descriptor {
  const candidates = index.manifests.filter((m) => m.platform && m.platform.os === wanted.os && m.platform.architecture === wanted.architecture);
  const exact = candidates.find((m) => (m.platform?.variant ?? "") === (wanted.variant ?? ""));
  const chosen = exact ?? (wanted.variant ? undefined : candidates[0]) ?? candidates.find((m) => !m.platform?.variant);
  if (!chosen) {
    const have = index.manifests.filter((m) => m.platform).map((m) => formatPlatform(m.platform!)).join(", ") || "none";
    throw new InputError(`${what}: no image for platform ${formatPlatform(wanted)} (available: ${have})`);
  }
  return chosen;
}

/** Image config fields we use; validated loosely since only descriptive fields are read. */
export interface ImageConfig {
  architecture?: string;
  os?: string;
  variant?: string;
  rootfs?: { type?: string; diff_ids?: string[] };
  config?: Record<string, unknown>;
}

export function parseImageConfig(bytes: Uint8Array, what: string): ImageConfig {
  if (bytes.length > MAX_MANIFEST_BYTES) throw new InputError(`${what}: image config larger than ${MAX_MANIFEST_BYTES} bytes`);
  try {
    const doc = JSON.parse(Buffer.from(bytes).toString("utf8"));
    if (!isObject(doc)) throw new Error("not an object");
    return doc as ImageConfig;
  } catch {
    throw new InputError(`${what}: image config is not a JSON object`);
  }
}
