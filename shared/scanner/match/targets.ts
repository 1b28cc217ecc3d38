// What to look up in the index for one SBOM package: distro packages by the distro release and
// the SOURCE package (advisories are filed per source), language packages by ecosystem + name.
import { ecosystemKeyForOs, LANGUAGE_KEY_FOR_TYPE, languagePackageName, normalizePackageName } from "../feed/ecosystems.js";
import type { OsRelease, Package } from "../model.js";

export interface MatchTarget {
  /** Index ecosystem key. */
  key: string;
  /** Normalized package name as filed in the index. */
  name: string;
  /** Version compared against advisory events. */
  version: string;
  /**
   * dpkg only: the binary's epoch ("1"), applied to a source version that lacks one when the
   * advisory version carries an epoch (a `Source: x (ver)` field may omit the binary's epoch).
   */
  epoch?: string;
  /**
   * Its verdicts replace those of the other targets for every vulnerability it knows about the
   * package: an Ubuntu ESM build ("+esm") is judged by the Ubuntu Pro advisories, where its fix is.
   */
  authoritative?: boolean;
}

/** Ubuntu ESM builds carry "+esm" in their version (e.g. 2.7.4-0ubuntu1.6+esm1). */
export function isEsmBuild(version: string): boolean {
  return /\+esm\d*/.test(version);
}

const EPOCH = /^(\d+):/;

/** Debian binNMUs append `+bN` to the binary only; the source version is what advisories name. */
export function stripBinNmu(version: string): string {
  return version.replace(/\+b\d+$/, "");
}

export function matchTargets(pkg: Package, os: OsRelease | undefined): MatchTarget[] {
  if (pkg.type === "deb" || pkg.type === "apk" || pkg.type === "rpm") {
    const key = ecosystemKeyForOs(os);
    if (!key) return [];
    if (pkg.type === "deb") {
      const version = pkg.sourceVersion || stripBinNmu(pkg.version);
      const target: MatchTarget = { key, name: pkg.sourceName || pkg.name, version };
      const epoch = EPOCH.exec(pkg.version)?.[1];
      if (epoch && !EPOCH.test(version)) target.epoch = epoch;
      if (key.startsWith("ubuntu:") && (isEsmBuild(pkg.version) || isEsmBuild(version))) {
        return [{ ...target, key: key.replace(/^ubuntu:/, "ubuntu-pro:"), authoritative: true }, target];
      }
      return [target];
    }
    if (pkg.type === "apk") return [{ key, name: pkg.sourceName || pkg.name, version: pkg.version }];
    // rpm: Red Hat/Alma/Rocky advisories name binary packages, others the source rpm: try both.
    const names = [...new Set([pkg.sourceName, pkg.name].filter((n): n is string => Boolean(n)))];
    const epoch = pkg.metadata?.epoch;
    const version = epoch && epoch !== "0" && !EPOCH.test(pkg.version) ? `${epoch}:${pkg.version}` : pkg.version;
    return names.map((name) => ({ key, name, version }));
  }
  // Installed by an OS package: the distro's advisories for that package decide, not upstream's.
  if (pkg.managedBy) return [];
  const key = LANGUAGE_KEY_FOR_TYPE[pkg.type];
  if (!key) return [];
  return [{ key, name: normalizePackageName(key, languagePackageName(pkg)), version: pkg.version }];
}
