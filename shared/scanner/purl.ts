// Package URLs (https://github.com/package-url/purl-spec): one canonical string form so the
// matcher, the SBOM and the VEX writer agree byte-for-byte on package identity.

export interface PurlParts {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
  qualifiers?: Record<string, string | undefined>;
  subpath?: string;
}

// encodeURIComponent leaves only unreserved characters; the spec additionally allows ':' bare.
function enc(s: string): string {
  return encodeURIComponent(s).replace(/%3A/gi, ":");
}

function dec(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Type-specific name rules from the purl spec that affect identity. */
function normalizeName(type: string, name: string): string {
  if (type === "pypi") return name.toLowerCase().replace(/[-_.]+/g, "-");
  if (type === "deb" || type === "apk" || type === "github" || type === "bitbucket") return name.toLowerCase();
  return name;
}

function normalizeNamespace(type: string, ns: string): string {
  if (type === "deb" || type === "apk" || type === "rpm" || type === "github" || type === "bitbucket") return ns.toLowerCase();
  return ns;
}

export function formatPurl(p: PurlParts): string {
  const type = p.type.toLowerCase();
  let out = `pkg:${type}/`;
  if (p.namespace) {
    const segs = normalizeNamespace(type, p.namespace).split("/").filter((s) => s !== "");
    if (segs.length) out += segs.map(enc).join("/") + "/";
  }
  out += enc(normalizeName(type, p.name));
  if (p.version !== undefined && p.version !== "") out += "@" + enc(p.version);
  const q = Object.entries(p.qualifiers ?? {})
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== "")
    .map(([k, v]) => [k.toLowerCase(), v] as const)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  if (q.length) out += "?" + q.map(([k, v]) => `${k}=${enc(v)}`).join("&");
  if (p.subpath) {
    const segs = p.subpath.split("/").filter((s) => s !== "" && s !== "." && s !== "..");
    if (segs.length) out += "#" + segs.map(enc).join("/");
  }
  return out;
}

/** Parses a purl; returns undefined when it is not one (never throws). */
export function parsePurl(s: string): PurlParts | undefined {
  if (typeof s !== "string" || !/^pkg:/i.test(s)) return undefined;
  let rest = s.slice(4).replace(/^\/+/, "");
  let subpath: string | undefined;
  const hash = rest.indexOf("#");
  if (hash >= 0) {
    subpath = rest
      .slice(hash + 1)
      .split("/")
      .filter((x) => x !== "" && x !== "." && x !== "..")
      .map(dec)
      .join("/");
    rest = rest.slice(0, hash);
  }
  let qualifiers: Record<string, string> | undefined;
  const qm = rest.indexOf("?");
  if (qm >= 0) {
    qualifiers = {};
    for (const kv of rest.slice(qm + 1).split("&")) {
      const eq = kv.indexOf("=");
      if (eq <= 0) continue;
      const v = dec(kv.slice(eq + 1));
      if (v !== "") qualifiers[kv.slice(0, eq).toLowerCase()] = v;
    }
    rest = rest.slice(0, qm);
  }
  const slash = rest.indexOf("/");
  if (slash <= 0) return undefined;
  const type = rest.slice(0, slash).toLowerCase();
  if (!/^[a-z.+-][a-z0-9.+-]*$/.test(type)) return undefined;
  rest = rest.slice(slash + 1).replace(/\/+$/, "");
  let version: string | undefined;
  const at = rest.lastIndexOf("@");
  if (at >= 0 && at > rest.lastIndexOf("/")) {
    version = dec(rest.slice(at + 1));
    rest = rest.slice(0, at);
  }
  const segs = rest.split("/").filter((x) => x !== "");
  const name = segs.pop();
  if (!name) return undefined;
  const parts: PurlParts = { type, name: normalizeName(type, dec(name)) };
  if (segs.length) parts.namespace = normalizeNamespace(type, segs.map(dec).join("/"));
  if (version !== undefined && version !== "") parts.version = version;
  if (qualifiers && Object.keys(qualifiers).length) parts.qualifiers = qualifiers;
  if (subpath) parts.subpath = subpath;
  return parts;
}
