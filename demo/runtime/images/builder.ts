// A tiny image builder: layers from file lists (tar via tar-stream, gzip via zlib, zstd via raw
// blocks), an image config with the right diff_ids, and the manifest; plus multi-platform indexes.
// Used by tests and the demo to publish images the project builds itself.
import { gzipSync } from "node:zlib";
import tar from "tar-stream";
import { sha256Digest } from "../../../shared/registry/digest.js";
import type { Descriptor, Platform } from "../../../shared/registry/manifest.js";
import { DOCKER_CONFIG, DOCKER_LAYER_GZIP, DOCKER_MANIFEST, OCI_CONFIG, OCI_INDEX, OCI_LAYER, OCI_LAYER_GZIP, OCI_LAYER_ZSTD, OCI_MANIFEST } from "../../../shared/registry/media-types.js";
import { zstdRawFrame } from "./zstd-raw.js";

export interface LayerFile {
  path: string;
  content?: Buffer | string;
  mode?: number;
  /** "whiteout" deletes `path` from lower layers; "opaque" hides everything below the directory `path`. */
  type?: "file" | "symlink" | "dir" | "hardlink" | "whiteout" | "opaque";
  linkname?: string;
}

export interface LayerSpec {
  files: LayerFile[];
  compression?: "gzip" | "zstd" | "none";
}

export interface BuiltLayer {
  descriptor: Descriptor;
  /** sha256 of the uncompressed tar, as listed in the config's rootfs.diff_ids. */
  diffId: string;
  /** The uncompressed tar (docker save archives store layers this way). */
  tar: Buffer;
}

export interface BuiltImage {
  manifest: Record<string, unknown>;
  manifestBytes: Buffer;
  manifestDigest: string;
  mediaType: string;
  config: Record<string, unknown>;
  configBytes: Buffer;
  configDescriptor: Descriptor;
  layers: BuiltLayer[];
  /** Every blob (config and layers) by digest. */
  blobs: Map<string, Buffer>;
}

export interface ImageOptions {
  /** Defaults to OCI media types. */
  format?: "oci" | "docker";
  platform?: Platform;
  /** Merged into the config document. */
  config?: Record<string, unknown>;
}

/** Collects an uncompressed tar in memory: `write` adds entries (in order) to the pack. */
export async function packTar(write: (pack: tar.Pack) => void): Promise<Buffer> {
  const pack = tar.pack();
  const chunks: Buffer[] = [];
  pack.on("data", (c) => void chunks.push(c as Buffer));
  const done = new Promise<void>((resolve, reject) => {
    pack.on("end", resolve);
    pack.on("error", reject);
  });
  write(pack);
  pack.finalize();
  await done;
  return Buffer.concat(chunks);
}

/** Writes entries in order into an uncompressed tar. */
export async function buildTar(files: LayerFile[]): Promise<Buffer> {
  return packTar((pack) => addLayerFiles(pack, files));
}

function addLayerFiles(pack: tar.Pack, files: LayerFile[]): void {
  const mtime = new Date(0);
  for (const f of files) {
    const type = f.type ?? "file";
    if (type === "whiteout" || type === "opaque") {
      const slash = f.path.replace(/\/+$/, "").lastIndexOf("/");
      const dir = slash >= 0 ? f.path.slice(0, slash + 1) : "";
      const name = type === "opaque" ? `${f.path.replace(/\/+$/, "")}/.wh..wh..opq` : `${dir}.wh.${f.path.slice(slash + 1)}`;
      pack.entry({ name, size: 0, mode: 0o644, mtime }, Buffer.alloc(0));
    } else if (type === "dir") pack.entry({ name: f.path, type: "directory", mode: f.mode ?? 0o755, mtime });
    else if (type === "symlink") pack.entry({ name: f.path, type: "symlink", linkname: f.linkname ?? "", mode: f.mode ?? 0o777, mtime });
    else if (type === "hardlink") pack.entry({ name: f.path, type: "link", linkname: f.linkname ?? "", mode: f.mode ?? 0o644, mtime });
    else {
      const content = typeof f.content === "string" ? Buffer.from(f.content) : (f.content ?? Buffer.alloc(0));
      pack.entry({ name: f.path, size: content.length, mode: f.mode ?? 0o644, mtime }, content);
    }
  }
}

export function compressLayer(tarBytes: Buffer, compression: "gzip" | "zstd" | "none"): Buffer {
  if (compression === "gzip") return gzipSync(tarBytes);
  if (compression === "zstd") return zstdRawFrame(tarBytes);
  return tarBytes;
}

export async function buildImage(layers: LayerSpec[], options: ImageOptions = {}): Promise<BuiltImage> {
  const docker = options.format === "docker";
  const platform = options.platform ?? { os: "linux", architecture: "amd64" };
  const blobs = new Map<string, Buffer>();
  const built: BuiltLayer[] = [];
  for (const spec of layers) {
    const compression = spec.compression ?? "gzip";
    if (docker && compression !== "gzip") throw new Error("docker-format images carry gzip layers only");
    const tarBytes = await buildTar(spec.files);
    const blob = compressLayer(tarBytes, compression);
    const mediaType = docker ? DOCKER_LAYER_GZIP : compression === "gzip" ? OCI_LAYER_GZIP : compression === "zstd" ? OCI_LAYER_ZSTD : OCI_LAYER;
    const digest = sha256Digest(blob);
    blobs.set(digest, blob);
    built.push({ descriptor: { mediaType, digest, size: blob.length }, diffId: sha256Digest(tarBytes), tar: tarBytes });
  }
  const config = {
    architecture: platform.architecture,
    os: platform.os,
    ...(platform.variant ? { variant: platform.variant } : {}),
    created: "1970-01-01T00:00:00Z",
    config: { Env: ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"] },
    ...options.config,
    rootfs: { type: "layers", diff_ids: built.map((l) => l.diffId) },
  };
  const configBytes = Buffer.from(JSON.stringify(config));
  const configDescriptor: Descriptor = { mediaType: docker ? DOCKER_CONFIG : OCI_CONFIG, digest: sha256Digest(configBytes), size: configBytes.length };
  blobs.set(configDescriptor.digest, configBytes);
  const mediaType = docker ? DOCKER_MANIFEST : OCI_MANIFEST;
  const manifest = { schemaVersion: 2, mediaType, config: configDescriptor, layers: built.map((l) => l.descriptor) };
  const manifestBytes = Buffer.from(JSON.stringify(manifest));
  return { manifest, manifestBytes, manifestDigest: sha256Digest(manifestBytes), mediaType, config, configBytes, configDescriptor, layers: built, blobs };
}

export interface BuiltIndex {
  index: Record<string, unknown>;
  indexBytes: Buffer;
  indexDigest: string;
  mediaType: string;
  images: BuiltImage[];
}

export function buildIndex(images: { image: BuiltImage; platform: Platform }[]): BuiltIndex {
  const index = {
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: images.map(({ image, platform }) => ({ mediaType: image.mediaType, digest: image.manifestDigest, size: image.manifestBytes.length, platform })),
  };
  const indexBytes = Buffer.from(JSON.stringify(index));
  return { index, indexBytes, indexDigest: sha256Digest(indexBytes), mediaType: OCI_INDEX, images: images.map((i) => i.image) };
}
