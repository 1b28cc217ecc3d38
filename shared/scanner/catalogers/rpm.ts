// rpm: the three rpmdb backends (sqlite, Berkeley DB hash, ndb) and the Mariner/Azure Linux
// distroless manifest. All DB backends store the same header blobs (rpm/header.ts).
import type { Package } from "../model.js";
import { osPackagePurl } from "./ospurl.js";
import { isBerkeleyHash, readBerkeleyBlobs } from "./rpm/bdb.js";
import { parseRpmHeader, type RpmHeader } from "./rpm/header.js";
import { isNdb, readNdbBlobs } from "./rpm/ndb.js";
import { isSqlite, readSqliteBlobs } from "./rpm/sqlite.js";
import { ownershipRelevant } from "./ownership.js";
import type { Cataloger, FileFacts, OwnedFiles } from "./types.js";
import { MAX_PACKAGES_PER_FILE, basename, guarded, plausible, toText, warnOnly } from "./util.js";

const DB_PATH = /^(?:var\/lib|usr\/lib\/sysimage|usr\/share)\/rpm\/(Packages|Packages\.db|rpmdb\.sqlite)$/;
const MANIFEST = "var/lib/rpmmanifest/container-manifest-2";
const MAX_DB_BYTES = 1024 * 1024 * 1024;

/** "openssl-3.0.7-25.el9.src.rpm" → {name: openssl, version: 3.0.7, release: 25.el9}. */
export function parseSourceRpm(s: string | undefined): { name: string; version: string; release: string } | undefined {
  const m = /^(.+)-([^-]+)-([^-]+)\.(?:no)?src\.rpm$/.exec(s ?? "");
  return m ? { name: m[1]!, version: m[2]!, release: m[3]! } : undefined;
}

/** Provisional purl namespace from the vendor; the assembler replaces it with the OS id. */
export function vendorNamespace(vendor: string | undefined): string | undefined {
  const v = (vendor ?? "").toLowerCase();
  const known: [string, string][] = [
    ["red hat", "redhat"],
    ["centos", "centos"],
    ["fedora", "fedora"],
    ["rocky", "rocky"],
    ["almalinux", "almalinux"],
    ["amazon", "amzn"],
    ["oracle", "ol"],
    ["opensuse", "opensuse"],
    ["suse", "suse"],
    ["microsoft", "mariner"],
  ];
  return known.find(([k]) => v.includes(k))?.[1];
}

/** An rpm package from any source (header blob or Mariner manifest line): a header with a name and version. */
export type RpmFields = RpmHeader & { name: string; version: string };

export function rpmPackage(f: RpmFields, path: string): Package {
  // Package.version is the full EVR the rpm comparator expects; epoch only when set (rpm treats a
  // missing epoch as 0, but "0:" would change the string users see and grep for).
  const vr = f.release ? `${f.version}-${f.release}` : f.version;
  const evr = f.epoch !== undefined ? `${f.epoch}:${vr}` : vr;
  const src = parseSourceRpm(f.sourceRpm);
  const md: Record<string, string> = { version: f.version };
  if (f.release) md.release = f.release;
  if (f.epoch !== undefined) md.epoch = String(f.epoch);
  if (f.sourceRpm) md.sourceRpm = f.sourceRpm;
  if (f.vendor) md.vendor = f.vendor;
  const ns = vendorNamespace(f.vendor);
  if (ns) md.vendorNamespace = ns;
  if (f.modularityLabel) md.modularityLabel = f.modularityLabel;
  const pkg: Package = {
    name: f.name,
    version: evr,
    type: "rpm",
    purl: "",
    // A source rpm shares the binary's epoch (it is set in the one spec file).
    sourceName: src?.name ?? f.name,
    sourceVersion: src ? (f.epoch !== undefined ? `${f.epoch}:` : "") + `${src.version}-${src.release}` : evr,
    locations: [path],
    cataloger: "rpm",
    metadata: md,
  };
  if (f.arch) pkg.arch = f.arch;
  if (f.license) pkg.licenses = [f.license];
  pkg.purl = osPackagePurl(pkg);
  return pkg;
}

function fromHeader(h: RpmHeader, path: string): Package | undefined {
  if (!plausible(h.name) || !plausible(h.version)) return undefined;
  if (h.name === "gpg-pubkey") return undefined; // imported signing keys, not software
  return rpmPackage(
    {
      name: h.name,
      version: h.version,
      ...(plausible(h.release) ? { release: h.release } : {}),
      ...(h.epoch !== undefined && Number.isFinite(h.epoch) ? { epoch: h.epoch } : {}),
      ...(plausible(h.arch) ? { arch: h.arch } : {}),
      ...(plausible(h.sourceRpm) ? { sourceRpm: h.sourceRpm } : {}),
      ...(h.license && h.license.length < 1024 ? { license: h.license } : {}),
      ...(h.vendor && h.vendor.length < 256 ? { vendor: h.vendor } : {}),
      ...(plausible(h.modularityLabel, 512) ? { modularityLabel: h.modularityLabel } : {}),
    },
    path,
  );
}

async function parseDb(path: string, content: Buffer): Promise<FileFacts> {
  // Detect the backend by content, not name: distros have shipped each name in other formats.
  const { blobs, warnings } = isSqlite(content)
    ? await readSqliteBlobs(content, MAX_PACKAGES_PER_FILE)
    : isNdb(content)
      ? readNdbBlobs(content, MAX_PACKAGES_PER_FILE)
      : isBerkeleyHash(content)
        ? readBerkeleyBlobs(content, MAX_PACKAGES_PER_FILE)
        : { blobs: [], warnings: [`unrecognized rpm database format (${basename(path)})`] };
  const packages: Package[] = [];
  const owned: OwnedFiles[] = [];
  let bad = 0;
  // ndb slots may alias one blob many times in a hostile file; bound the header bytes parsed.
  let parseBudget = 4 * content.length + 1024 * 1024;
  for (const blob of blobs) {
    if ((parseBudget -= blob.length) < 0) {
      warnings.push("rpm database references more header data than it holds; stopped");
      break;
    }
    const h = parseRpmHeader(blob);
    const pkg = typeof h === "string" ? undefined : fromHeader(h, path);
    if (pkg) {
      packages.push(pkg);
      const files = typeof h === "string" ? [] : (h.files ?? []).map((f) => f.replace(/^\/+/, "")).filter(ownershipRelevant);
      if (files.length) owned.push({ manager: "rpm", owner: pkg.name, paths: files });
    }
    else if (typeof h === "string") bad++;
  }
  const out = warnings.map((w) => `${path}: ${w}`);
  if (bad) out.push(`${path}: ${bad} unreadable rpm header(s) skipped`);
  if (!blobs.length && content.length > 0 && !out.length) out.push(`${path}: rpm database holds no packages`);
  return { packages, ...(out.length ? { warnings: out } : {}), ...(owned.length ? { owned } : {}) };
}

/**
 * Mariner/Azure Linux distroless manifest: the output of
 * `rpm -qa --qf "%{NAME}\t%{VERSION}-%{RELEASE}\t%{INSTALLTIME}\t%{BUILDTIME}\t%{VENDOR}\t%{EPOCH}\t%{SIZE}\t%{ARCH}\t%{EPOCHNUM}\t%{SOURCERPM}\n"`
 * (CBL-Mariner toolkit docs, "RPM manifest file"). EPOCH prints "(none)" when unset.
 */
export function parseRpmManifest(path: string, content: Buffer): FileFacts {
  if (content.length > 64 * 1024 * 1024) return warnOnly(path, "rpm manifest too large; skipped");
  const packages: Package[] = [];
  let bad = 0;
  for (const line of toText(content).split(/\r?\n/)) {
    if (!line.trim()) continue;
    const f = line.split("\t");
    const [name, vr, , , vendor, epoch, , arch, , sourceRpm] = f;
    if (name === "gpg-pubkey") continue;
    const dash = vr?.lastIndexOf("-") ?? -1;
    if (f.length < 2 || !plausible(name) || !plausible(vr) || dash <= 0) {
      bad++;
      continue;
    }
    const e = epoch && /^\d+$/.test(epoch) ? Number(epoch) : undefined;
    packages.push(
      rpmPackage(
        {
          name,
          version: vr.slice(0, dash),
          release: vr.slice(dash + 1),
          ...(e !== undefined ? { epoch: e } : {}),
          ...(plausible(arch) && arch !== "(none)" ? { arch } : {}),
          ...(plausible(sourceRpm) && sourceRpm !== "(none)" ? { sourceRpm } : {}),
          ...(vendor && vendor !== "(none)" && vendor.length < 256 ? { vendor } : {}),
        },
        path,
      ),
    );
    if (packages.length >= MAX_PACKAGES_PER_FILE) break;
  }
  return bad ? { packages, warnings: [`${path}: ${bad} malformed manifest line(s) skipped`] } : { packages };
}

export const rpmCataloger: Cataloger = {
  version: 2,
  name: "rpm",
  matches: (path, size) => size <= MAX_DB_BYTES && (path === MANIFEST || DB_PATH.test(path)),
  parse: (path, content) =>
    guarded(path, "rpm", () => (path === MANIFEST ? parseRpmManifest(path, content) : parseDb(path, content))),
};
