// The catalogers and the assembler that turns the facts of the final filesystem into one SBOM.
import type { OsRelease, Package, Sbom, UnidentifiedFile } from "../model.js";
import { apkCataloger } from "./apk.js";
import { dotnetCataloger } from "./dotnet.js";
import { dpkgCataloger } from "./dpkg.js";
import { gemCataloger } from "./gem.js";
import { goCataloger } from "./go.js";
import { javaCataloger } from "./java.js";
import { npmCataloger } from "./npm.js";
import { osReleaseCataloger, osSourcePriority } from "./os-release.js";
import { osPackagePurl } from "./ospurl.js";
import { dpkgFilesCataloger, ownerOf, ownershipIndex } from "./ownership.js";
import { pythonCataloger } from "./python.js";
import { rpmCataloger } from "./rpm.js";
import type { Cataloger, LocatedFacts, OwnedFiles } from "./types.js";

export type { Cataloger, FileFacts, LocatedFacts } from "./types.js";

export const CATALOGERS: Cataloger[] = [
  osReleaseCataloger,
  dpkgCataloger,
  dpkgFilesCataloger,
  apkCataloger,
  rpmCataloger,
  npmCataloger,
  pythonCataloger,
  javaCataloger,
  goCataloger,
  dotnetCataloger,
  gemCataloger,
];

const OS_TYPES = new Set(["deb", "apk", "rpm"]);
const MAX_WARNINGS = 1000;

/** The best OS identification, with gaps (e.g. Debian testing's missing VERSION_ID) filled from the other release files of the same family. */
export function detectOs(files: LocatedFacts[]): OsRelease | undefined {
  const found = files
    .filter((f) => f.facts.os)
    .sort((a, b) => osSourcePriority(a.path) - osSourcePriority(b.path) || (a.path < b.path ? -1 : 1))
    .map((f) => f.facts.os!);
  const best = found[0];
  if (!best) return undefined;
  const os: OsRelease = { ...best };
  for (const other of found.slice(1)) {
    if (other.family !== os.family) continue;
    if (!os.version && other.version) os.version = other.version;
    if (!os.versionId && other.versionId && other.version === os.version) os.versionId = other.versionId;
    if (!os.codename && other.codename) os.codename = other.codename;
  }
  return os;
}

function compare(a: Package, b: Package): number {
  const ka = [a.type, a.name, a.version, a.purl, a.locations.join("\n")];
  const kb = [b.type, b.name, b.version, b.purl, b.locations.join("\n")];
  for (let i = 0; i < ka.length; i++) if (ka[i] !== kb[i]) return ka[i]! < kb[i]! ? -1 : 1;
  return 0;
}

export function assembleSbom(input: {
  target: string;
  artifact: Sbom["artifact"];
  files: LocatedFacts[];
  warnings?: string[];
}): Sbom {
  const os = detectOs(input.files) ?? input.artifact.os;
  const byKey = new Map<string, Package>();
  const lockOnly: Package[] = [];
  const warnings: string[] = [...(input.warnings ?? [])];
  const unidentified: UnidentifiedFile[] = [];
  const owned: OwnedFiles[] = [];
  for (const file of input.files) {
    if (file.facts.owned) owned.push(...file.facts.owned);
    for (const w of file.facts.warnings ?? []) warnings.push(w);
    for (const u of file.facts.unidentified ?? []) unidentified.push(file.layerDigest && !u.layerDigest ? { ...u, layerDigest: file.layerDigest } : u);
    for (const original of file.facts.packages ?? []) {
      const pkg: Package = { ...original, locations: [...original.locations] };
      if (file.layerDigest && !pkg.layerDigest) pkg.layerDigest = file.layerDigest;
      if (OS_TYPES.has(pkg.type)) pkg.purl = osPackagePurl(pkg, os);
      if (pkg.metadata?.lockfile) {
        lockOnly.push(pkg);
        continue;
      }
      const key = `${pkg.purl}\u0000${pkg.locations.join("\u0000")}`;
      if (!byKey.has(key)) byKey.set(key, pkg);
    }
  }
  // Lockfile entries describe what node_modules normally holds: when the installed package is
  // present, keep one package and record the lockfile as another location.
  const installedByPurl = new Map<string, Package>();
  for (const p of byKey.values()) if (!installedByPurl.has(p.purl)) installedByPurl.set(p.purl, p);
  for (const p of lockOnly) {
    const installed = installedByPurl.get(p.purl);
    if (installed) {
      for (const l of p.locations) if (!installed.locations.includes(l)) installed.locations.push(l);
      continue;
    }
    const key = `${p.purl}\u0000${p.locations.join("\u0000")}`;
    if (!byKey.has(key)) byKey.set(key, p);
  }
  const packages = [...byKey.values()].sort(compare);
  // Language packages an OS package installed are the distro's to fix: record which one.
  if (owned.length) {
    const owners = ownershipIndex(owned, packages.filter((p) => OS_TYPES.has(p.type)));
    for (const p of packages) {
      if (OS_TYPES.has(p.type)) continue;
      const owner = ownerOf(p, owners);
      if (owner) p.managedBy = owner.purl;
    }
  }
  if (!os && packages.some((p) => OS_TYPES.has(p.type))) {
    warnings.push("OS packages found but the OS could not be identified (no os-release); distro advisories cannot be applied");
  }
  const unique = [...new Set(warnings)];
  if (unique.length > MAX_WARNINGS) unique.splice(MAX_WARNINGS, unique.length - MAX_WARNINGS, `… ${unique.length - MAX_WARNINGS} more warnings`);
  return {
    schemaVersion: 1,
    target: input.target,
    artifact: { ...input.artifact, ...(os ? { os } : {}) },
    packages,
    ...(unidentified.length ? { unidentified: unidentified.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)) } : {}),
    warnings: unique,
  };
}
