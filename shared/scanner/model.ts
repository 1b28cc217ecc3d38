// The SBOM and finding models shared by catalogers, the matcher, the CLI and the pipeline.
import type { ImageSecret } from "./secrets/image-secrets.js";

/** Package types as they appear in purls and in `vantage scan --format json`. */
export type PackageType = "deb" | "apk" | "rpm" | "npm" | "pypi" | "maven" | "golang" | "nuget" | "gem";

/** Version-ordering schemes accepted by `compareVersions` (docs/cli.md). */
export type VersionScheme = "deb" | "apk" | "rpm" | "semver" | "pep440" | "maven" | "go" | "nuget" | "gem";

export interface OsRelease {
  /** debian | ubuntu | alpine | rhel | centos | almalinux | rocky | fedora | amazon | azurelinux | mariner | sles | opensuse | distroless-… */
  family: string;
  version: string;
  versionId?: string;
  codename?: string;
  prettyName?: string;
}

export interface Package {
  name: string;
  version: string;
  type: PackageType;
  purl: string;
  arch?: string;
  /** OS packages: the source package (Debian `Source:`, Alpine origin, rpm source rpm name). */
  sourceName?: string;
  sourceVersion?: string;
  licenses?: string[];
  /** Paths (inside the image/root) of the files this package was read from. */
  locations: string[];
  /** Layer digest that last provided the package database entry (images only). */
  layerDigest?: string;
  /** Which cataloger found it: "dpkg", "apk", "rpm", "npm", "python", "java", "go", "dotnet". */
  cataloger: string;
  /** Extra facts: modularity label, go main module, maven groupId, … */
  metadata?: Record<string, string>;
  /**
   * Language packages installed by an OS package (Debian's python3-urllib3 ships urllib3's
   * egg-info): that OS package's purl. Such packages are fixed by the distro, so they are matched
   * only through the distro's advisories for the OS package.
   */
  managedBy?: string;
}

/**
 * A file that is software but names no identity Vantage can state exactly (a jar without its own
 * Maven pom.properties): listed with its digest instead of a guessed coordinate, never matched.
 */
export interface UnidentifiedFile {
  path: string;
  kind: "java-archive";
  sha1: string;
  layerDigest?: string;
}

export interface Sbom {
  schemaVersion: 1;
  /** What was scanned, as the user named it (registry ref, oci:…, docker-archive:…, dir:…). */
  target: string;
  artifact: {
    /** Manifest digest for images; absent for dir: targets. */
    digest?: string;
    repository?: string;
    tag?: string;
    architecture?: string;
    os?: OsRelease;
    layers?: string[];
  };
  packages: Package[];
  /** Software found without an exact identity (absent when there is none). */
  unidentified?: UnidentifiedFile[];
  warnings: string[];
  /** Secrets found in the image's layers (redacted: rule, place, fingerprint — never the value). */
  secrets?: ImageSecret[];
}

export type Severity = "critical" | "high" | "medium" | "low" | "unknown";
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low", "unknown"];

export type FixStatus = "fixed" | "not-fixed" | "wont-fix" | "unknown";

export interface Exploitability {
  knownExploited: boolean;
  epss: number | null;
  epssPercentile: number | null;
  publicExploit: boolean;
  remoteCodeExecution: boolean;
}

/** One finding per (vulnerability, package) — docs/cli.md. */
export interface Finding {
  id: string;
  aliases: string[];
  package: {
    name: string;
    version: string;
    type: PackageType;
    purl: string;
    sourceName?: string;
    sourceVersion?: string;
  };
  severity: Severity;
  cvss?: { version: string; score: number; vector: string };
  fixStatus: FixStatus;
  fixedVersion: string | null;
  exploitability: Exploitability;
  advisories: string[];
  summary?: string;
}

export interface ScanReport {
  target: string;
  artifact: { digest?: string; os?: { family: string; version: string } };
  packages: number;
  findings: Finding[];
  /** Secrets baked into the image's layers (absent for targets that were not scanned for them). */
  secrets?: ImageSecret[];
}
