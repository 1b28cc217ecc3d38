// Builds OCI/Docker images in memory and writes them as OCI layouts, docker archives or pushes to a
// registry: the demo's images, and fixtures for tests and benchmarks.
export { buildImage, buildIndex, buildTar, compressLayer, type BuiltImage, type BuiltIndex, type BuiltLayer, type LayerFile, type LayerSpec, type ImageOptions } from "./builder.js";
export { writeOciLayout, writeDockerArchive, dockerArchive, pushImage } from "./layout.js";
export { zstdRawFrame, zstdRunFrame } from "./zstd-raw.js";
