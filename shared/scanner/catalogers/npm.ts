// npm: installed packages (node_modules/**/package.json) and project lockfiles: package-lock.json
// v2/v3 `packages` maps and v1 nested `dependencies`. Only a package directory's own package.json
// counts; nested test fixtures and "files" directories without name+version are skipped, and a
// lockfile inside node_modules (shipped in a package's tarball) describes that package's
// development, not what is installed, so it is never read.
import type { Package } from "../model.js";
import { formatPurl } from "../purl.js";
import type { Cataloger, FileFacts } from "./types.js";
import { MAX_PACKAGES_PER_FILE, guardedSync, plausible, toText, warnOnly } from "./util.js";

// .../node_modules/name/package.json or .../node_modules/@scope/name/package.json
const INSTALLED = /(?:^|\/)node_modules\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
// Debian installs npm packages outside node_modules: /usr/share/nodejs/<name> (and arch-specific /usr/lib/<triplet>/nodejs).
const DEBIAN_NODEJS = /^usr\/(?:share|lib(?:\/[^/]+)?)\/nodejs\/(?:@[^/]+\/)?[^/@.][^/]*\/package\.json$/;
const LOCK = /(?:^|\/)(?:package-lock|npm-shrinkwrap)\.json$/;
const MAX_JSON = 32 * 1024 * 1024;

export function npmPurl(name: string, version: string): string {
  const slash = name.startsWith("@") ? name.indexOf("/") : -1;
  return slash > 0
    ? formatPurl({ type: "npm", namespace: name.slice(0, slash), name: name.slice(slash + 1), version })
    : formatPurl({ type: "npm", name, version });
}

const NAME = /^(?:@[a-z0-9][\w.~-]*\/)?[a-z0-9_.~-][\w.~-]*$/i;

function licenses(j: Record<string, unknown>): string[] | undefined {
  const l = j.license;
  if (typeof l === "string" && l.length < 512) return [l];
  if (l && typeof l === "object" && typeof (l as { type?: unknown }).type === "string") return [(l as { type: string }).type];
  if (Array.isArray(j.licenses)) {
    const out = j.licenses
      .map((x) => (typeof x === "string" ? x : x && typeof x === "object" ? (x as { type?: unknown }).type : undefined))
      .filter((x): x is string => typeof x === "string" && x.length < 512);
    return out.length ? out.slice(0, 20) : undefined;
  }
  return undefined;
}

function pkg(name: string, version: string, path: string, extra: Partial<Package> = {}): Package {
  return { name, version, type: "npm", purl: npmPurl(name, version), locations: [path], cataloger: "npm", ...extra };
}

function parseJson(content: Buffer): unknown {
  try {
    return JSON.parse(toText(content));
  } catch {
    return undefined;
  }
}

export function parseNpm(path: string, content: Buffer): FileFacts {
  if (content.length > MAX_JSON) return warnOnly(path, "JSON file too large; skipped");
  const j = parseJson(content);
  if (!j || typeof j !== "object" || Array.isArray(j)) return warnOnly(path, "not a JSON object");
  const o = j as Record<string, unknown>;
  if (INSTALLED.test(path) || DEBIAN_NODEJS.test(path)) {
    const { name, version } = o;
    if (typeof name !== "string" || typeof version !== "string" || !NAME.test(name) || !plausible(version)) return { packages: [] };
    const lic = licenses(o);
    return { packages: [pkg(name, version, path, lic ? { licenses: lic } : {})] };
  }
  // package-lock.json (lockfileVersion 2/3): keys are install paths "node_modules/a/node_modules/b".
  const packages: Package[] = [];
  const map = o.packages;
  if (!map || typeof map !== "object") return { packages: lockV1(path, o.dependencies) };
  for (const [key, v] of Object.entries(map as Record<string, unknown>)) {
    if (!key || !v || typeof v !== "object") continue; // "" is the root project itself
    const e = v as Record<string, unknown>;
    if (e.link === true || e.dev === true) continue; // links are workspaces; dev deps are not shipped
    const i = key.lastIndexOf("node_modules/");
    if (i < 0) continue; // workspace folders of the project itself, not installed packages
    const name = typeof e.name === "string" ? e.name : i >= 0 ? key.slice(i + "node_modules/".length) : undefined;
    const version = e.version;
    if (typeof name !== "string" || typeof version !== "string" || !NAME.test(name) || !plausible(version)) continue;
    const lic = typeof e.license === "string" && e.license.length < 512 ? [e.license] : undefined;
    packages.push(pkg(name, version, path, { ...(lic ? { licenses: lic } : {}), metadata: { lockfile: "true" } }));
    if (packages.length >= MAX_PACKAGES_PER_FILE) break;
  }
  return { packages };
}

/** Registry versions only: git/file/URL specs carry no version a registry advisory could name. */
function registryVersion(name: string, version: string): { name: string; version: string } | undefined {
  // An alias ("npm:real-name@1.2.3") installs real-name.
  const alias = /^npm:((?:@[^/@]+\/)?[^/@]+)@(.+)$/.exec(version);
  if (alias) return registryVersion(alias[1]!, alias[2]!);
  if (!NAME.test(name) || !plausible(version) || !/^v?\d+\.\d+\.\d+(?:[-+][\w.+-]*)?$/.test(version)) return undefined;
  return { name, version };
}

/** lockfileVersion 1: `dependencies` nested by install location, `requires` by name. */
function lockV1(path: string, deps: unknown): Package[] {
  const out: Package[] = [];
  const stack: unknown[] = [deps];
  for (let guard = 0; stack.length && out.length < MAX_PACKAGES_PER_FILE && guard < MAX_PACKAGES_PER_FILE * 2; guard++) {
    const level = stack.pop();
    if (!level || typeof level !== "object" || Array.isArray(level)) continue;
    for (const [key, v] of Object.entries(level as Record<string, unknown>)) {
      if (!v || typeof v !== "object") continue;
      const e = v as Record<string, unknown>;
      if (e.dev === true) continue; // dev dependencies are not shipped
      if (e.dependencies) stack.push(e.dependencies);
      const id = typeof e.version === "string" ? registryVersion(key, e.version) : undefined;
      if (id) out.push(pkg(id.name, id.version, path, { metadata: { lockfile: "true" } }));
    }
  }
  return out;
}

export const npmCataloger: Cataloger = {
  version: 2,
  name: "npm",
  matches: (path, size) =>
    size <= MAX_JSON && (INSTALLED.test(path) || DEBIAN_NODEJS.test(path) || (LOCK.test(path) && !path.includes("node_modules/"))),
  parse: (path, content) => guardedSync(path, "npm", () => parseNpm(path, content)),
};
