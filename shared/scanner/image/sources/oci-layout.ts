// oci:PATH[:tag|@digest] — an OCI image layout directory (index.json + blobs/sha256/…).
import { stat } from "node:fs/promises";
import { InputError } from "../../../errors.js";
import { assertDigest, digestHex, sha256Digest, VerifyingStream } from "../../../registry/digest.js";
import { MAX_MANIFEST_BYTES, parseImageConfig, parseManifest, selectPlatform, type Descriptor, type ImageIndex, type Platform } from "../../../registry/manifest.js";
import type { LayerRef } from "../catalog-layers.js";
import { DirStore, type FileStore } from "./file-store.js";
import type { ResolvedImage } from "./resolved.js";

const REF_NAME = "org.opencontainers.image.ref.name";

async function isDir(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isDirectory();
  } catch {
    return false;
  }
}

/** Splits "PATH:tag" / "PATH@sha256:…" only when PATH itself is not a directory. */
export async function splitLayoutPath(arg: string): Promise<{ dir: string; tag?: string; digest?: string }> {
  if (await isDir(arg)) return { dir: arg };
  const at = arg.lastIndexOf("@");
  if (at > 0 && (await isDir(arg.slice(0, at)))) return { dir: arg.slice(0, at), digest: assertDigest(arg.slice(at + 1), `oci:${arg}`) };
  const colon = arg.lastIndexOf(":");
  if (colon > 0 && (await isDir(arg.slice(0, colon)))) return { dir: arg.slice(0, colon), tag: arg.slice(colon + 1) };
  throw new InputError(`oci:${arg}: no such OCI layout directory`);
}

export function blobName(digest: string, what: string): string {
  return `blobs/sha256/${digestHex(assertDigest(digest, what))}`;
}

/** Reads a blob fully (manifests, configs), verifying its digest. */
export async function readBlob(store: FileStore, desc: Descriptor, what: string): Promise<Buffer> {
  const bytes = await store.readSmall(blobName(desc.digest, what), MAX_MANIFEST_BYTES);
  if (sha256Digest(bytes) !== desc.digest) throw new InputError(`${what}: blob ${desc.digest} does not match its digest`);
  return bytes;
}

export function layerFromStore(store: FileStore, desc: Descriptor, what: string): LayerRef {
  const name = blobName(desc.digest, what);
  return {
    digest: desc.digest,
    mediaType: desc.mediaType,
    async open() {
      const size = await store.size(name);
      if (size === undefined) throw new InputError(`${store.label}: missing layer blob ${desc.digest}`);
      const verify = new VerifyingStream(desc.digest, Math.max(size, desc.size), `${store.label} ${desc.digest}`);
      const src = await store.open(name);
      src.on("error", (e) => verify.destroy(e));
      return src.pipe(verify);
    },
  };
}

/** From a top-level descriptor (manifest or index) in a layout/archive to one platform's image. */
export async function resolveFromDescriptor(store: FileStore, top: Descriptor, platform: Platform, what: string): Promise<ResolvedImage> {
  let desc = top;
  for (let depth = 0; depth < 4; depth++) {
    const doc = parseManifest(await readBlob(store, desc, what), `${what} ${desc.digest}`, desc.mediaType);
    if (doc.kind === "index") {
      desc = selectPlatform(doc, platform, what);
      continue;
    }
    const config = parseImageConfig(await readBlob(store, doc.config, what), `${what} config`);
    return {
      artifact: {
        digest: top.digest,
        architecture: config.architecture,
        layers: doc.layers.map((l) => l.digest),
      },
      layers: doc.layers.map((l) => layerFromStore(store, l, what)),
      warnings: [],
    };
  }
  throw new InputError(`${what}: indexes nested too deeply`);
}

export async function resolveOciLayout(arg: string, platform: Platform): Promise<ResolvedImage> {
  const { dir, tag, digest } = await splitLayoutPath(arg);
  const label = `oci:${dir}`;
  const store = new DirStore(dir, label);
  const index = parseManifest(await store.readSmall("index.json", MAX_MANIFEST_BYTES), `${label} index.json`, "application/vnd.oci.image.index.v1+json");
  if (index.kind !== "index") throw new InputError(`${label}: index.json is not an image index`);
  const top = chooseEntry(index, { tag, digest }, platform, label);
  const resolved = await resolveFromDescriptor(store, top, platform, label);
  if (tag) resolved.artifact.tag = tag;
  return resolved;
}

function chooseEntry(index: ImageIndex, sel: { tag?: string; digest?: string }, platform: Platform, label: string): Descriptor {
  const entries = index.manifests;
  if (sel.digest) {
    const hit = entries.find((m) => m.digest === sel.digest);
    if (!hit) throw new InputError(`${label}: no manifest ${sel.digest} in index.json`);
    return hit;
  }
  if (sel.tag) {
    const hit = entries.find((m) => m.annotations?.[REF_NAME] === sel.tag);
    if (!hit) throw new InputError(`${label}: no image tagged "${sel.tag}" (tags: ${entries.map((m) => m.annotations?.[REF_NAME]).filter(Boolean).join(", ") || "none"})`);
    return hit;
  }
  if (entries.length === 1) return entries[0];
  if (entries.length === 0) throw new InputError(`${label}: index.json lists no images`);
  // Several entries: a multi-platform layout written flat, or several images needing a tag.
  if (entries.every((m) => m.platform)) return selectPlatform(index, platform, label);
  throw new InputError(`${label}: holds ${entries.length} images; choose one with oci:PATH:TAG or oci:PATH@sha256:…`);
}
