// OSV ecosystem strings ↔ index keys ↔ version schemes, and per-ecosystem package-name
// normalization. The same key is derived from an SBOM's OS release, so both sides must agree here.
import type { OsRelease, Package, PackageType, VersionScheme } from "../model.js";

export interface EcosystemInfo {
  /** Index key: "debian:12", "ubuntu:22.04", "alpine:3.19", "rhel:9", "azurelinux:2", "npm", … */
  key: string;
  scheme: VersionScheme;
  /** Distro ecosystems are matched by source package; language ones by the package itself. */
  os: boolean;
}

const LANGUAGE: Record<string, EcosystemInfo> = {
  npm: { key: "npm", scheme: "semver", os: false },
  PyPI: { key: "pypi", scheme: "pep440", os: false },
  Maven: { key: "maven", scheme: "maven", os: false },
  Go: { key: "go", scheme: "go", os: false },
  NuGet: { key: "nuget", scheme: "nuget", os: false },
  RubyGems: { key: "gem", scheme: "gem", os: false },
};

const major = (v: string) => v.split(/[.\-_]/)[0] ?? v;
const majorMinor = (v: string) => v.split(".").slice(0, 2).join(".");
const os = (key: string, scheme: VersionScheme): EcosystemInfo => ({ key, scheme, os: true });

/** Maps an OSV `affected[].package.ecosystem` to an index key, or undefined when we don't match it. */
export function parseOsvEcosystem(ecosystem: string): EcosystemInfo | undefined {
  const direct = LANGUAGE[ecosystem];
  if (direct) return direct;
  const [name, ...rest] = ecosystem.split(":");
  const release = rest[0]?.trim() ?? "";
  switch (name) {
    case "Debian":
      return /^\d+$/.test(release) ? os(`debian:${release}`, "deb") : undefined;
    case "Ubuntu":
      // "Ubuntu:22.04:LTS", "Ubuntu:23.10"; "Ubuntu:Pro:18.04:LTS" lists fixes shipped through ESM
      // (versions ending "+esmN"). The FIPS lineages ("Ubuntu:Pro:FIPS-updates:…") are other
      // package builds and are not matched.
      if (release === "Pro") return /^\d+\.\d+$/.test(rest[1] ?? "") ? os(`ubuntu-pro:${rest[1]}`, "deb") : undefined;
      return /^\d+\.\d+$/.test(release) ? os(`ubuntu:${release}`, "deb") : undefined;
    case "Alpine":
      return /^v\d+\.\d+$/.test(release) ? os(`alpine:${release.slice(1)}`, "apk") : undefined;
    case "AlmaLinux":
      return /^\d+/.test(release) ? os(`almalinux:${major(release)}`, "rpm") : undefined;
    case "Rocky Linux":
      return /^\d+/.test(release) ? os(`rocky:${major(release)}`, "rpm") : undefined;
    case "Azure Linux":
    case "Mariner":
      return /^\d+/.test(release) ? os(`azurelinux:${major(release)}`, "rpm") : undefined;
    case "Red Hat": {
      // "Red Hat:enterprise_linux:9::appstream"; EUS/AUS streams are skipped (other version lines).
      const product = release;
      const ver = rest[1] ?? "";
      return product === "enterprise_linux" && /^\d+$/.test(ver) ? os(`rhel:${ver}`, "rpm") : undefined;
    }
    case "SUSE": {
      const m = /^Linux Enterprise (?:Server|Micro|Desktop)? ?(\d+)(?: SP(\d+))?/.exec(release);
      return m ? os(`sles:${m[1]}.${m[2] ?? "0"}`, "rpm") : undefined;
    }
    case "openSUSE": {
      if (release === "Tumbleweed") return os("opensuse-tumbleweed", "rpm");
      const m = /^Leap (\d+\.\d+)/.exec(release);
      return m ? os(`opensuse-leap:${m[1]}`, "rpm") : undefined;
    }
    default:
      return undefined;
  }
}

/** Index key for an SBOM's OS release (the same keys parseOsvEcosystem produces), or undefined. */
export function ecosystemKeyForOs(release: OsRelease | undefined): string | undefined {
  if (!release) return undefined;
  const family = release.family.toLowerCase();
  const version = (release.versionId || release.version || "").trim();
  if (!version && family !== "opensuse-tumbleweed") return undefined;
  switch (family) {
    case "debian":
      return `debian:${major(version)}`;
    case "ubuntu":
      return `ubuntu:${majorMinor(version)}`;
    case "alpine":
      return `alpine:${majorMinor(version)}`;
    case "rhel":
    case "redhat":
      return `rhel:${major(version)}`;
    case "almalinux":
    case "alma":
      return `almalinux:${major(version)}`;
    case "rocky":
      return `rocky:${major(version)}`;
    case "azurelinux":
    case "mariner":
    case "cbl-mariner":
      return `azurelinux:${major(version)}`;
    case "sles":
    case "suse":
    case "sle_hpc":
    case "sle-micro": {
      const [maj, sp] = version.replace(/-SP/i, ".").split(".");
      return `sles:${maj}.${sp ?? "0"}`;
    }
    case "opensuse-leap":
    case "opensuse":
      return `opensuse-leap:${majorMinor(version)}`;
    case "opensuse-tumbleweed":
      return "opensuse-tumbleweed";
    default:
      return undefined;
  }
}

/** Version scheme for an index key. */
export function schemeForKey(key: string): VersionScheme {
  const base = key.split(":")[0] ?? key;
  if (base === "debian" || base === "ubuntu" || base === "ubuntu-pro") return "deb";
  if (base === "alpine") return "apk";
  for (const info of Object.values(LANGUAGE)) if (info.key === base) return info.scheme;
  return "rpm";
}

/** Index key for a language package type (OS package types are keyed by the OS release). */
export const LANGUAGE_KEY_FOR_TYPE: Partial<Record<PackageType, string>> = {
  npm: "npm",
  pypi: "pypi",
  maven: "maven",
  golang: "go",
  nuget: "nuget",
  gem: "gem",
};

/**
 * Canonical package name per ecosystem, applied to advisories and to SBOM packages alike:
 * PyPI per PEP 503, NuGet and npm case-insensitively, Maven as `group:artifact`.
 */
export function normalizePackageName(key: string, name: string): string {
  const base = key.split(":")[0];
  switch (base) {
    case "pypi":
      return name.toLowerCase().replace(/[-_.]+/g, "-");
    case "nuget":
    case "npm":
      return name.toLowerCase();
    case "maven":
      return name.replace("/", ":");
    default:
      return name;
  }
}

/** The name a language package is filed under, read from its purl when it has one. */
export function languagePackageName(pkg: Package): string {
  const fromPurl = purlName(pkg.purl);
  if (fromPurl) return fromPurl;
  if (pkg.type === "maven" && pkg.metadata?.groupId) return `${pkg.metadata.groupId}:${pkg.name}`;
  return pkg.name;
}

/** `pkg:type/namespace/name@version?…` → name with namespace (`@scope/x`, `group:artifact`, `golang.org/x/net`). */
function purlName(purl: string | undefined): string | undefined {
  if (!purl?.startsWith("pkg:")) return undefined;
  const body = purl.slice(4).split(/[?#]/)[0]!;
  const at = body.lastIndexOf("@");
  const path = (at > 0 ? body.slice(0, at) : body).split("/").map(decodeURIComponent);
  const type = path.shift();
  if (!type || path.length === 0) return undefined;
  const name = path.pop()!;
  if (path.length === 0) return name;
  return type === "maven" ? `${path.join(".")}:${name}` : `${path.join("/")}/${name}`;
}
