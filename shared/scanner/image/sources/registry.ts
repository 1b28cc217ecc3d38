// registry:REF and bare references — resolve the manifest (platform from an index), then stream
// each layer blob, digest-verified, straight into the walker.
import { RegistryClient, type RegistryClientOptions } from "../../../registry/client.js";
import type { Platform } from "../../../registry/manifest.js";
import { formatReference, type ImageReference } from "../../../registry/reference.js";
import { checkLayerMediaType } from "../decompress.js";
import type { ResolvedImage } from "./resolved.js";

export async function resolveRegistryImage(ref: ImageReference, platform: Platform, client: RegistryClient): Promise<ResolvedImage> {
  const what = formatReference(ref);
  const image = await client.resolveImage(ref, platform);
  // Refuse unknown layer types before fetching any layer byte.
  for (const l of image.manifest.layers) checkLayerMediaType(l.mediaType, `${what} layer ${l.digest}`);
  return {
    artifact: {
      digest: image.digest,
      repository: `${ref.registry}/${ref.repository}`,
      ...(ref.tag ? { tag: ref.tag } : {}),
      architecture: image.config.architecture,
      layers: image.manifest.layers.map((l) => l.digest),
    },
    layers: image.manifest.layers.map((l) => ({
      digest: l.digest,
      mediaType: l.mediaType,
      open: () => client.openBlob(ref.repository, l),
    })),
    warnings: [],
  };
}

export function registryClientFor(ref: ImageReference, options: RegistryClientOptions): RegistryClient {
  return new RegistryClient(ref.registry, options);
}
