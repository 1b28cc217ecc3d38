// purls for OS packages. Their namespace and `distro=` qualifier depend on the OS, which is only
// known once every file of the image has been seen, so catalogers emit a provisional purl and the
// assembler calls `osPackagePurl` again with the detected OS.
import type { OsRelease, Package } from "../model.js";
import { formatPurl } from "../purl.js";

const DEFAULT_NS: Record<string, string> = { deb: "debian", apk: "alpine" };

export function distroQualifier(os: OsRelease | undefined): string | undefined {
  if (!os) return undefined;
  const v = os.versionId ?? os.version;
  return v ? `${os.family}-${v}` : os.family;
}

export function osPackagePurl(pkg: Package, os?: OsRelease): string {
  const md = pkg.metadata ?? {};
  const qualifiers: Record<string, string | undefined> = { arch: pkg.arch, distro: distroQualifier(os) };
  let namespace: string | undefined = os?.family ?? md.vendorNamespace ?? DEFAULT_NS[pkg.type];
  let version = pkg.version;
  if (pkg.type === "deb") {
    if (pkg.sourceName && pkg.sourceName !== pkg.name) qualifiers.upstream = pkg.sourceName;
  } else if (pkg.type === "apk") {
    if (pkg.sourceName && pkg.sourceName !== pkg.name) qualifiers.upstream = pkg.sourceName;
  } else if (pkg.type === "rpm") {
    // purl-spec: rpm version is version-release; a set epoch goes into the `epoch` qualifier.
    version = md.release ? `${md.version}-${md.release}` : (md.version ?? pkg.version);
    qualifiers.epoch = md.epoch;
    if (md.sourceRpm) qualifiers.upstream = md.sourceRpm;
  } else {
    namespace = undefined;
  }
  return formatPurl({ type: pkg.type, namespace, name: pkg.name, version, qualifiers });
}
