// Builders for synthetic OSV records and SBOMs used across matcher tests.
import type { Package, PackageType, Sbom } from "../../../shared/scanner/model.js";

export function osv(id: string, ecosystem: string, name: string, ranges: unknown[], extra: Record<string, unknown> = {}) {
  const { versions, ecosystem_specific, affectedDb, ...rest } = extra as {
    versions?: string[];
    ecosystem_specific?: unknown;
    affectedDb?: unknown;
  } & Record<string, unknown>;
  return {
    id,
    modified: "2024-01-01T00:00:00Z",
    affected: [
      {
        package: { ecosystem, name },
        ranges,
        ...(versions ? { versions } : {}),
        ...(ecosystem_specific ? { ecosystem_specific } : {}),
        ...(affectedDb ? { database_specific: affectedDb } : {}),
      },
    ],
    ...rest,
  };
}

export const range = (type: "ECOSYSTEM" | "SEMVER", ...events: Record<string, string>[]) => ({ type, events });

export function pkg(type: PackageType, name: string, version: string, extra: Partial<Package> = {}): Package {
  return { name, version, type, purl: `pkg:${type}/${encodeURIComponent(name)}@${encodeURIComponent(version)}`, locations: [`loc/${name}`], cataloger: type, ...extra };
}

export function sbom(packages: Package[], os?: { family: string; version: string }): Sbom {
  return { schemaVersion: 1, target: "test:image", artifact: { digest: "sha256:" + "a".repeat(64), ...(os ? { os } : {}) }, packages, warnings: [] };
}
