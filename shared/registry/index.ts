// OCI registry client, reference/manifest handling, and the small image builder used by tests and the demo.
export { RegistryClient, type RegistryClientOptions, type RegistryStats, type ResolvedImage, type FetchedManifest } from "./client.js";
export { RegistryError } from "./errors.js";
export { parseReference, formatReference, isLoopbackHost, type ImageReference } from "./reference.js";
export * from "./manifest.js";
export * from "./media-types.js";
export { sha256Digest, isDigest, assertDigest, digestHex, VerifyingStream } from "./digest.js";
export { parseChallenges, type Challenge } from "./challenge.js";
export { parseRetryAfter, retryDelay, isRetryableStatus, DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export * from "./acr.js";
export { buildImage, buildIndex, buildTar, compressLayer, type BuiltImage, type BuiltIndex, type BuiltLayer, type LayerFile, type LayerSpec, type ImageOptions } from "./builder.js";
export { writeOciLayout, writeDockerArchive, dockerArchive, pushImage } from "./layout.js";
export { zstdRawFrame, zstdRunFrame } from "./zstd-raw.js";
