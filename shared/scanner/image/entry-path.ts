// Tar entry names → root-relative paths. Pure. Nothing is ever extracted or followed, but a name that
// climbs out of the root (`..`) is refused so that no fact is ever recorded outside it.

export type NormalizedPath =
  | { ok: true; path: string; /** the name was absolute; it is read relative to the root */ absolute: boolean }
  | { ok: false; reason: string };

/** "./usr//lib/" → "usr/lib"; "" for the root itself. */
const PLAIN = /^(?!\.{1,2}(?:\/|$))(?!.*\/\.{0,2}(?:\/|$))[^/\0]/;

export function normalizeEntryPath(name: string): NormalizedPath {
  // Fast path for the common case: relative, no "", "." or ".." segments, no trailing slash.
  if (PLAIN.test(name) && !name.includes("\0") && !name.endsWith("/")) return { ok: true, path: name, absolute: false };
  if (name.includes("\0")) return { ok: false, reason: "name contains NUL" };
  const absolute = name.startsWith("/");
  const parts: string[] = [];
  for (const part of name.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") return { ok: false, reason: "name contains '..' (path traversal)" };
    parts.push(part);
  }
  return { ok: true, path: parts.join("/"), absolute };
}

export type WhiteoutKind = { kind: "whiteout"; target: string } | { kind: "opaque"; dir: string } | { kind: "meta" } | undefined;

/**
 * OCI image spec whiteouts: `dir/.wh.NAME` deletes dir/NAME from lower layers; `dir/.wh..wh..opq`
 * hides all of dir's lower-layer content. Other `.wh..wh.` names are AUFS bookkeeping.
 */
export function classifyWhiteout(path: string): WhiteoutKind {
  const slash = path.lastIndexOf("/");
  const base = path.slice(slash + 1);
  if (!base.startsWith(".wh.")) return undefined;
  const dir = slash >= 0 ? path.slice(0, slash) : "";
  if (base === ".wh..wh..opq") return { kind: "opaque", dir };
  if (base.startsWith(".wh..wh.")) return { kind: "meta" };
  const name = base.slice(4);
  if (!name || name === "." || name === "..") return { kind: "meta" };
  return { kind: "whiteout", target: dir ? `${dir}/${name}` : name };
}
