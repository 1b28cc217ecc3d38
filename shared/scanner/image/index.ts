// Image sources (docs/cli.md targets) → SBOM. Each source resolves to an ordered list of layers
// (or, for dir:, to files directly); layers are walked once each, cached by digest, stacked with
// whiteouts applied, and handed to the catalogers module's assembleSbom.
import type { TokenCredential } from "@azure/identity";
import type { RegistryClientOptions, RegistryStats } from "../../registry/client.js";
import { DEFAULT_PLATFORM, parsePlatform, type Platform } from "../../registry/manifest.js";
import { assembleSbom, CATALOGERS } from "../catalogers/index.js";
import type { Cataloger, LocatedFacts } from "../catalogers/types.js";
import type { Sbom } from "../model.js";
import type { ImageSecretsSummary } from "../secrets/image-secrets.js";
import { DEFAULT_SECRET_LIMITS, SecretBudget, type SecretScanLimits } from "../secrets/layer-scan.js";
import { catalogLayers, emptyStats, type CatalogProgress, type CatalogStats } from "./catalog-layers.js";
import type { LayerCache } from "./layer-facts.js";
import { resolveLimits, type WalkLimits } from "./limits.js";
import { walkDirectory } from "./sources/dir.js";
import { resolveDockerArchive } from "./sources/docker-archive.js";
import { resolveOciLayout } from "./sources/oci-layout.js";
import { registryClientFor, resolveRegistryImage } from "./sources/registry.js";
import type { ResolvedImage } from "./sources/resolved.js";
import { parseTarget } from "./target.js";

export type { CachedLayer, CatalogerKey, LayerCache, LayerFacts } from "./layer-facts.js";
export { MemoryLayerCache } from "./layer-facts.js";
export type { CatalogStats, CatalogProgress, LayerRef } from "./catalog-layers.js";
export { DEFAULT_LIMITS, type WalkLimits } from "./limits.js";
export { walkLayer, type WalkOptions } from "./layer-walk.js";
export { mergeLayers } from "./merge.js";
export { parseTarget, type Target } from "./target.js";
export { normalizeEntryPath, classifyWhiteout } from "./entry-path.js";

export interface CatalogOptions {
  /** Entra credential: ACR token exchange for registries that challenge with Bearer. */
  credential?: TokenCredential;
  tenant?: string;
  auth?: { username: string; password: string };
  /** Talk http:// to the registry (default only for loopback registries). */
  plainHttp?: boolean;
  /** Alias of plainHttp. */
  insecure?: boolean;
  /** "linux/arm64" or a Platform; default linux/amd64. */
  platform?: string | Platform;
  limits?: Partial<WalkLimits>;
  layerCache?: LayerCache;
  onProgress?: (e: CatalogProgress) => void;
  /** Filled in as the scan runs: layer bytes fetched, cache hits, … */
  stats?: CatalogStats;
  /** Registry transport knobs (retries, timeouts, fetch) — mostly for tests. */
  registry?: Pick<RegistryClientOptions, "retry" | "timeoutMs" | "fetch">;
  /** Receives the registry client's counters after a registry scan. */
  registryStats?: (s: RegistryStats) => void;
  /** Layers walked concurrently (default LAYER_CONCURRENCY, 4). */
  concurrency?: number;
  /** Relative dir:/oci:/docker-archive: paths resolve against this (default process.cwd()). */
  cwd?: string;
  /** dir: targets: globs over root-relative directories to leave out. */
  skipDirs?: readonly string[];
  /** dir: targets: leave out virtual filesystems (/proc, /sys, /dev, cgroups, …) below the root (default true). */
  skipVirtualFilesystems?: boolean;
  /** Defaults to the catalogers module's CATALOGERS / assembleSbom. */
  catalogers?: readonly Cataloger[];
  assemble?: typeof assembleSbom;
  /** Secret scanning in the same layer walk: on by default; false turns it off, an object sets bounds. */
  secrets?: boolean | Partial<SecretScanLimits>;
}

/** Everything catalogTarget knows before assembly. */
export interface CollectedTarget {
  target: string;
  artifact: Sbom["artifact"];
  files: LocatedFacts[];
  warnings: string[];
  stats: CatalogStats;
  /** Secret findings of image targets (dir: targets have no layers and are not scanned for secrets). */
  secrets?: ImageSecretsSummary;
}

function platformOf(options: CatalogOptions): Platform {
  const p = options.platform;
  if (!p) return DEFAULT_PLATFORM;
  return typeof p === "string" ? parsePlatform(p) : p;
}

/** Resolves and walks a target into located facts (no assembly). */
export async function collectTarget(target: string, options: CatalogOptions = {}): Promise<CollectedTarget> {
  const parsed = parseTarget(target, options.cwd);
  const catalogers = options.catalogers ?? CATALOGERS;
  const limits = resolveLimits(options.limits);
  const stats = options.stats ?? emptyStats();
  const platform = platformOf(options);
  options.onProgress?.({ phase: "resolve", target });
  if (parsed.kind === "dir") {
    const walked = await walkDirectory(parsed.path, catalogers, limits, { skipDirs: options.skipDirs, skipVirtual: options.skipVirtualFilesystems });
    stats.entries += walked.entries;
    return { target, artifact: {}, files: walked.files, warnings: walked.warnings, stats };
  }
  let resolved: ResolvedImage;
  let registryStats: RegistryStats | undefined;
  if (parsed.kind === "oci") resolved = await resolveOciLayout(parsed.path, platform);
  else if (parsed.kind === "docker-archive") resolved = await resolveDockerArchive(parsed.path, platform);
  else {
    const client = registryClientFor(parsed.reference, {
      ...options.registry,
      plainHttp: options.plainHttp ?? options.insecure,
      auth: options.auth,
      credential: options.credential,
      tenant: options.tenant,
    });
    registryStats = client.stats;
    resolved = await resolveRegistryImage(parsed.reference, platform, client);
  }
  const secretLimits = options.secrets === false ? undefined : { ...DEFAULT_SECRET_LIMITS, ...(typeof options.secrets === "object" ? options.secrets : {}) };
  const secrets = secretLimits && { limits: secretLimits, budget: new SecretBudget(secretLimits.maxImageBytes) };
  try {
    const walked = await catalogLayers(resolved.layers, { catalogers, limits, cache: options.layerCache, stats, onProgress: options.onProgress, concurrency: options.concurrency, secrets });
    options.onProgress?.({ phase: "assemble", files: walked.files.length });
    return { target, artifact: resolved.artifact, files: walked.files, warnings: [...resolved.warnings, ...walked.warnings], stats, secrets: walked.secrets };
  } finally {
    if (registryStats) options.registryStats?.(registryStats);
  }
}

/** Catalogs a docs/cli.md target (dir:, oci:, docker-archive:, registry:, bare reference). */
export async function catalogTarget(target: string, options: CatalogOptions = {}): Promise<Sbom> {
  const collected = await collectTarget(target, options);
  const assemble = options.assemble ?? assembleSbom;
  const sbom = assemble({ target, artifact: collected.artifact, files: collected.files, warnings: collected.warnings });
  return collected.secrets ? { ...sbom, secrets: collected.secrets.findings } : sbom;
}

