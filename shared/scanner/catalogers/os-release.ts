// OS identification. os-release is authoritative; the distro-specific release files are fallbacks
// for old or stripped images (CentOS 6, distroless Mariner, Debian without os-release). The
// assembler picks among several files by `osSourcePriority`.
import type { OsRelease } from "../model.js";
import type { Cataloger, FileFacts } from "./types.js";
import { guardedSync, toText, warnOnly } from "./util.js";

const FILES = new Set([
  "etc/os-release",
  "usr/lib/os-release",
  "etc/lsb-release",
  "etc/alpine-release",
  "etc/debian_version",
  "etc/redhat-release",
  "etc/centos-release",
  "etc/rocky-release",
  "etc/almalinux-release",
  "etc/fedora-release",
  "etc/oracle-release",
  "etc/system-release",
  "etc/mariner-release",
  "etc/azurelinux-release",
]);

/** Lower is better: which file wins when several identify the OS. */
export function osSourcePriority(path: string): number {
  const order = [
    "etc/os-release",
    "usr/lib/os-release",
    "etc/mariner-release",
    "etc/azurelinux-release",
    "etc/alpine-release",
    "etc/lsb-release",
    "etc/redhat-release",
    "etc/centos-release",
    "etc/rocky-release",
    "etc/almalinux-release",
    "etc/oracle-release",
    "etc/fedora-release",
    "etc/system-release",
    "etc/debian_version",
  ];
  const i = order.indexOf(path);
  return i < 0 ? order.length : i;
}

/** KEY=value with optional single/double quotes and backslash escapes (os-release(5), lsb-release). */
export function parseKeyValues(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split(/\r?\n/).slice(0, 500)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let v = line.slice(eq + 1).trim();
    if (v.length >= 2 && (v[0] === '"' || v[0] === "'") && v[v.length - 1] === v[0]) {
      v = v.slice(1, -1);
      if (raw.includes('"')) v = v.replace(/\\([\\"$`])/g, "$1");
    }
    out.set(key, v);
  }
  return out;
}

function fromOsRelease(kv: Map<string, string>): OsRelease | undefined {
  let id = kv.get("ID")?.toLowerCase();
  const name = kv.get("NAME");
  if (!id && name) id = name.toLowerCase().split(/\s+/)[0];
  if (!id) return undefined;
  const os: OsRelease = { family: id, version: kv.get("VERSION_ID") ?? "" };
  if (kv.has("VERSION_ID")) os.versionId = kv.get("VERSION_ID");
  const codename = kv.get("VERSION_CODENAME") ?? kv.get("UBUNTU_CODENAME") ?? /\(([^)]+)\)/.exec(kv.get("VERSION") ?? "")?.[1];
  if (codename) os.codename = codename.toLowerCase().split(/[\s,]/)[0];
  const pretty = kv.get("PRETTY_NAME") ?? name;
  if (pretty) os.prettyName = pretty;
  return os;
}

// "Red Hat Enterprise Linux release 9.3 (Plow)", "CentOS Stream release 9", "Amazon Linux release 2 (Karoo)".
const RELEASE_NAMES: [RegExp, string][] = [
  [/^red hat enterprise linux/i, "rhel"],
  [/^centos/i, "centos"],
  [/^rocky/i, "rocky"],
  [/^almalinux/i, "almalinux"],
  [/^fedora/i, "fedora"],
  [/^oracle linux/i, "ol"],
  [/^enterprise linux/i, "ol"],
  [/^amazon linux/i, "amzn"],
  [/^cbl-mariner/i, "mariner"],
  [/^(microsoft )?azure linux/i, "azurelinux"],
];

function fromReleaseLine(text: string): OsRelease | undefined {
  const line = text.split(/\r?\n/)[0]?.trim() ?? "";
  const family = RELEASE_NAMES.find(([re]) => re.test(line))?.[1];
  if (!family) return undefined;
  const m = /(?:release\s+)?(\d+(?:\.\d+)*)(?:\s*\(([^)]*)\))?/i.exec(line);
  const os: OsRelease = { family, version: m?.[1] ?? "", prettyName: line };
  if (m?.[1]) os.versionId = m[1];
  if (m?.[2]) os.codename = m[2];
  // Mariner/Azure Linux release files carry a build date: "CBL-Mariner 2.0.20240123" → 2.0.
  if ((family === "mariner" || family === "azurelinux") && m?.[1]) {
    os.version = m[1].split(".").slice(0, 2).join(".");
    os.versionId = os.version;
  }
  return os;
}

export function parseOsFile(path: string, content: Buffer): FileFacts {
  if (content.length > 64 * 1024) return warnOnly(path, "release file too large; ignored");
  const text = toText(content);
  let os: OsRelease | undefined;
  if (path.endsWith("os-release")) {
    os = fromOsRelease(parseKeyValues(text));
  } else if (path === "etc/lsb-release") {
    const kv = parseKeyValues(text);
    const id = kv.get("DISTRIB_ID")?.toLowerCase();
    if (id) {
      os = { family: id, version: kv.get("DISTRIB_RELEASE") ?? "" };
      if (kv.get("DISTRIB_RELEASE")) os.versionId = kv.get("DISTRIB_RELEASE");
      if (kv.get("DISTRIB_CODENAME")) os.codename = kv.get("DISTRIB_CODENAME");
      if (kv.get("DISTRIB_DESCRIPTION")) os.prettyName = kv.get("DISTRIB_DESCRIPTION");
    }
  } else if (path === "etc/alpine-release") {
    const v = text.trim().split(/\s/)[0];
    if (v && /^\d+(\.\d+)*(_\w+)?$/.test(v)) os = { family: "alpine", version: v, versionId: v };
  } else if (path === "etc/debian_version") {
    const v = text.trim().split(/\s/)[0] ?? "";
    if (/^\d+(\.\d+)*$/.test(v)) {
      // Point releases (12.5) share the release's advisories: the version is the major release.
      os = { family: "debian", version: v.split(".")[0]!, versionId: v };
    } else if (/^[a-z]+\/sid$/.test(v)) {
      os = { family: "debian", version: "", codename: v.split("/")[0] };
    }
  } else {
    os = fromReleaseLine(text);
  }
  if (!os) return warnOnly(path, "unrecognized OS release file");
  return { packages: [], os };
}

export const osReleaseCataloger: Cataloger = {
  name: "os-release",
  matches: (path, size) => FILES.has(path) && size <= 64 * 1024,
  parse: (path, content) => guardedSync(path, "os-release", () => parseOsFile(path, content)),
};
