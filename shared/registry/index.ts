// OCI registry client and reference/manifest handling. (The image builder the demo, tests and
// benchmarks use lives in demo/runtime/images/.)
export { RegistryClient, type RegistryClientOptions, type RegistryStats, type ResolvedImage, type FetchedManifest } from "./client.js";
export { RegistryError } from "./errors.js";
export { parseReference, formatReference, isLoopbackHost, type ImageReference } from "./reference.js";
export * from "./manifest.js";
export * from "./media-types.js";
export { sha256Digest, isDigest, assertDigest, digestHex, VerifyingStream } from "./digest.js";
export { parseChallenges, type Challenge } from "./challenge.js";
export { parseRetryAfter, retryDelay, isRetryableStatus, DEFAULT_RETRY, type RetryPolicy } from "./retry.js";
export * from "./acr.js";
