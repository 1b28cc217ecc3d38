// Writers for the two on-disk image forms the scanner reads: an OCI image layout directory and a
// `docker save` archive (legacy layout, or the OCI-layout-inside form Docker 25+ writes), plus
// publishing a built image to a registry. For tests and the demo.
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import type tar from "tar-stream";
import { packTar, type BuiltImage, type BuiltIndex } from "./builder.js";
import type { RegistryClient } from "../../../shared/registry/client.js";
import { digestHex, sha256Digest } from "../../../shared/registry/digest.js";
import { OCI_INDEX } from "../../../shared/registry/media-types.js";

const REF_NAME = "org.opencontainers.image.ref.name";

function isIndex(x: BuiltImage | BuiltIndex): x is BuiltIndex {
  return "indexBytes" in x;
}

function allBlobs(x: BuiltImage | BuiltIndex): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const images = isIndex(x) ? x.images : [x];
  for (const img of images) {
    for (const [d, b] of img.blobs) out.set(d, b);
    out.set(img.manifestDigest, img.manifestBytes);
  }
  if (isIndex(x)) out.set(x.indexDigest, x.indexBytes);
  return out;
}

function topDescriptor(x: BuiltImage | BuiltIndex) {
  return isIndex(x)
    ? { mediaType: x.mediaType, digest: x.indexDigest, size: x.indexBytes.length }
    : { mediaType: x.mediaType, digest: x.manifestDigest, size: x.manifestBytes.length };
}

/** Writes an OCI image layout; each entry's `tag` becomes its ref.name annotation. */
export async function writeOciLayout(dir: string, entries: { image: BuiltImage | BuiltIndex; tag?: string }[]): Promise<void> {
  await mkdir(join(dir, "blobs", "sha256"), { recursive: true });
  await writeFile(join(dir, "oci-layout"), JSON.stringify({ imageLayoutVersion: "1.0.0" }));
  const manifests = [];
  for (const { image, tag } of entries) {
    for (const [digest, blob] of allBlobs(image)) await writeFile(join(dir, "blobs", "sha256", digestHex(digest)), blob);
    manifests.push({ ...topDescriptor(image), ...(tag ? { annotations: { [REF_NAME]: tag } } : {}) });
  }
  await writeFile(join(dir, "index.json"), JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests }));
}

/**
 * Writes a `docker save` tar. "legacy": `<id>/layer.tar` (uncompressed), `<confighex>.json`,
 * manifest.json, repositories. "oci": an OCI layout plus manifest.json pointing into blobs/.
 */
export async function dockerArchive(image: BuiltImage, options: { repoTags?: string[]; variant?: "legacy" | "oci" } = {}): Promise<Buffer> {
  return packTar((pack) => writeDockerArchiveEntries(pack, image, options));
}

function writeDockerArchiveEntries(pack: tar.Pack, image: BuiltImage, options: { repoTags?: string[]; variant?: "legacy" | "oci" }): void {
  const add = (name: string, content: Buffer | string) => pack.entry({ name, mode: 0o644, mtime: new Date(0) }, typeof content === "string" ? Buffer.from(content) : content);
  const repoTags = options.repoTags ?? [];
  if (options.variant === "oci") {
    add("oci-layout", JSON.stringify({ imageLayoutVersion: "1.0.0" }));
    for (const [digest, blob] of allBlobs(image)) add(`blobs/sha256/${digestHex(digest)}`, blob);
    add("index.json", JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ ...topDescriptor(image), ...(repoTags[0] ? { annotations: { "io.containerd.image.name": repoTags[0], [REF_NAME]: repoTags[0].split(":").pop() } } : {}) }] }));
    add(
      "manifest.json",
      JSON.stringify([{ Config: `blobs/sha256/${digestHex(image.configDescriptor.digest)}`, RepoTags: repoTags, Layers: image.layers.map((l) => `blobs/sha256/${digestHex(l.descriptor.digest)}`) }]),
    );
  } else {
    const configName = `${digestHex(image.configDescriptor.digest)}.json`;
    // Legacy v1 layer ids only need to be unique; derive them from the chain of diff ids.
    const layerNames: string[] = [];
    let chain = "";
    for (const layer of image.layers) {
      chain = digestHex(sha256Digest(chain + layer.diffId));
      add(`${chain}/VERSION`, "1.0");
      add(`${chain}/json`, JSON.stringify({ id: chain }));
      add(`${chain}/layer.tar`, layer.tar);
      layerNames.push(`${chain}/layer.tar`);
    }
    add(configName, image.configBytes);
    add("manifest.json", JSON.stringify([{ Config: configName, RepoTags: repoTags, Layers: layerNames }]));
  }
}

export async function writeDockerArchive(file: string, image: BuiltImage, options: { repoTags?: string[]; variant?: "legacy" | "oci" } = {}): Promise<void> {
  await writeFile(file, await dockerArchive(image, options));
}

/** Pushes every blob, the platform manifests, then the top manifest under `tag`; returns its digest. */
export async function pushImage(client: RegistryClient, repository: string, tag: string, image: BuiltImage | BuiltIndex, options: { chunkSize?: number } = {}): Promise<string> {
  const images = isIndex(image) ? image.images : [image];
  for (const img of images) {
    for (const blob of img.blobs.values()) await client.pushBlob(repository, blob, options);
    if (isIndex(image)) await client.pushManifest(repository, img.manifestDigest, img.manifestBytes, img.mediaType);
  }
  return isIndex(image)
    ? client.pushManifest(repository, tag, image.indexBytes, image.mediaType)
    : client.pushManifest(repository, tag, image.manifestBytes, image.mediaType);
}
