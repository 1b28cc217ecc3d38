// Package databases behind links: a path a cataloger wants may be a symbolic or hard link inside the
// image (`var/lib/dpkg/status -> /opt/db/status`). Such links are resolved the way the container
// would see them — within the image root (`..` stops at the root), through links in any component,
// at most MAX_HOPS links — and the target's content is cataloged under the link's path. A link that
// dangles, loops or climbs above the root is a warning naming the path, never silence.
//
// The layer walk only records the links a cataloger wanted (rare), so images without one cost
// nothing here. With one, the layers are read once more, recording every link and capturing the
// candidate targets; when a target turns out to sit behind a directory link, once more for it.
import type { Cataloger, LocatedFacts } from "../catalogers/types.js";
import { LimitExceededError } from "../../errors.js";
import { decompressLayer } from "./decompress.js";
import { classifyWhiteout, normalizeEntryPath } from "./entry-path.js";
import { matchingCatalogers, parseFile } from "./file-facts.js";
import type { LayerFacts, LinkEntry } from "./layer-facts.js";
import type { WalkLimits } from "./limits.js";
import { TarStreamParser } from "./tar-stream-parser.js";

/** Linux's bound on symbolic links followed while resolving one path (MAXSYMLINKS). */
export const MAX_HOPS = 40;
/** Wanted links resolved per image; more is a warning (each may cost a re-read of the layers). */
export const MAX_LINKED_FILES = 1000;

export interface LiveLink extends LinkEntry {
  /** Manifest position of the layer that wrote the link. */
  layerIndex: number;
}

/** What one re-read of a layer found: its links, whiteouts and the wanted paths' contents. */
export interface LinkScan {
  links: LinkEntry[];
  whiteouts: string[];
  opaqueDirs: string[];
  captured: Map<string, Buffer>;
  /** Wanted paths present but not regular files, or too large to read. */
  unreadable: Map<string, string>;
}

function hiddenBy(path: string, exact: Set<string>, opaque: Set<string>): boolean {
  if (exact.has(path)) return true;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    const dir = path.slice(0, i);
    if (exact.has(dir) || opaque.has(dir)) return true;
  }
  return opaque.has("") && path !== "";
}

/** The wanted links that survive in the final filesystem (not whited out or replaced above them). */
export function liveLinks(layers: { facts: LayerFacts }[]): LiveLink[] {
  const live = new Map<string, LiveLink>();
  layers.forEach(({ facts }, layerIndex) => {
    if (live.size) {
      const exact = new Set([...facts.whiteouts, ...facts.removed, ...facts.files.map((f) => f.path)]);
      const opaque = new Set(facts.opaqueDirs);
      for (const path of [...live.keys()]) if (hiddenBy(path, exact, opaque)) live.delete(path);
    }
    for (const l of facts.links ?? []) live.set(l.path, { ...l, layerIndex });
  });
  return [...live.values()].sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** `target` of a link at `from`, as a root-relative path: absolute from the root, relative from the link's directory; `..` stops at the root. */
export function joinWithinRoot(from: string, target: string): { path: string; climbed: boolean } {
  const parts = target.startsWith("/") ? [] : from.split("/").slice(0, -1);
  let climbed = false;
  for (const part of target.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length) parts.pop();
      else climbed = true;
      continue;
    }
    parts.push(part);
  }
  return { path: parts.join("/"), climbed };
}

export type Resolution = { ok: true; path: string; climbed: boolean } | { ok: false; reason: string };

/**
 * Resolves `link` against the final filesystem's links (`links`: path → link), following links in
 * every component and the last, at most MAX_HOPS in all. Hard links name their target from the root.
 */
export function resolveLink(link: LinkEntry, links: Map<string, LinkEntry>): Resolution {
  let climbed = false;
  const first = link.type === "hardlink" ? joinWithinRoot("", link.target) : joinWithinRoot(link.path, link.target);
  climbed ||= first.climbed;
  let pending = first.path.split("/").filter(Boolean);
  let done: string[] = [];
  let hops = 1;
  while (pending.length) {
    const part = pending.shift()!;
    const here = [...done, part].join("/");
    const l = links.get(here);
    if (!l) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) return { ok: false, reason: `more than ${MAX_HOPS} links to follow (a loop?)` };
    const next = l.type === "hardlink" ? joinWithinRoot("", l.target) : joinWithinRoot(here, l.target);
    climbed ||= next.climbed;
    pending = [...next.path.split("/").filter(Boolean), ...pending];
    done = [];
  }
  return { ok: true, path: done.join("/"), climbed };
}

export interface LinkedLayer {
  digest: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
  mediaType?: string;
}

/** Re-reads one layer: every link and whiteout, and the bodies of `wanted` regular files. */
export async function scanLayerForLinks(layer: LinkedLayer, wanted: ReadonlySet<string>, limits: Required<WalkLimits>): Promise<LinkScan> {
  const what = `layer ${layer.digest}`;
  const out: LinkScan = { links: [], whiteouts: [], opaqueDirs: [], captured: new Map(), unreadable: new Map() };
  let entries = 0;
  const parser = new TarStreamParser(
    {
      onEntry(entry) {
        if (++entries > limits.maxEntries) throw new LimitExceededError(`${what}: more than maxEntries (${limits.maxEntries}) tar entries`);
        const norm = normalizeEntryPath(entry.name);
        if (!norm.ok || !norm.path) return false;
        const path = norm.path;
        const wh = classifyWhiteout(path);
        if (wh) {
          if (wh.kind === "whiteout") out.whiteouts.push(wh.target);
          else if (wh.kind === "opaque") out.opaqueDirs.push(wh.dir);
          return false;
        }
        if (entry.type === "symlink" || entry.type === "hardlink") {
          out.links.push({ path, type: entry.type, target: entry.linkname });
          out.captured.delete(path);
          return false;
        }
        if (!wanted.has(path)) return false;
        out.captured.delete(path);
        if (entry.type !== "file") {
          out.unreadable.set(path, `is a ${entry.type === "dir" ? "directory" : `${entry.type} entry`}`);
          return false;
        }
        if (entry.size > limits.maxFileBytes) {
          out.unreadable.set(path, `is ${entry.size} bytes, over maxFileBytes ${limits.maxFileBytes}`);
          return false;
        }
        out.unreadable.delete(path);
        return true;
      },
      onBody(entry, body) {
        const norm = normalizeEntryPath(entry.name);
        if (norm.ok) out.captured.set(norm.path, body);
      },
    },
    what,
  );
  for await (const chunk of decompressLayer(await layer.open(), { what, mediaType: layer.mediaType, maxBytes: limits.maxLayerBytes, maxZstdWindow: limits.maxZstdWindow })) {
    if (!parser.finished) parser.write(chunk);
  }
  parser.end();
  return out;
}

/** The final filesystem's links, and for each wanted path its content (or why it has none), from per-position scans. */
function stack(scans: LinkScan[]): { links: Map<string, LinkEntry>; files: Map<string, { content?: Buffer; unreadable?: string; layerIndex: number }> } {
  const links = new Map<string, LinkEntry>();
  const files = new Map<string, { content?: Buffer; unreadable?: string; layerIndex: number }>();
  scans.forEach((s, layerIndex) => {
    const exact = new Set(s.whiteouts);
    const opaque = new Set(s.opaqueDirs);
    if (exact.size || opaque.size) {
      for (const p of [...links.keys()]) if (hiddenBy(p, exact, opaque)) links.delete(p);
      for (const p of [...files.keys()]) if (hiddenBy(p, exact, opaque)) files.delete(p);
    }
    for (const [p, content] of s.captured) {
      links.delete(p);
      files.set(p, { content, layerIndex });
    }
    for (const [p, why] of s.unreadable) {
      links.delete(p);
      files.set(p, { unreadable: why, layerIndex });
    }
    for (const l of s.links) {
      files.delete(l.path);
      links.set(l.path, l);
    }
  });
  return { links, files };
}

export interface LinkedFiles {
  files: LocatedFacts[];
  warnings: string[];
}

/**
 * Catalogs what the wanted links point at. `layers` in manifest order; each distinct digest is
 * re-read once per pass (at most two passes).
 */
export async function catalogLinkedFiles(layers: LinkedLayer[], live: LiveLink[], catalogers: readonly Cataloger[], limits: Required<WalkLimits>): Promise<LinkedFiles> {
  const warnings: string[] = [];
  if (live.length > MAX_LINKED_FILES) {
    warnings.push(`${live.length - MAX_LINKED_FILES} more linked package files than MAX_LINKED_FILES (${MAX_LINKED_FILES}) not resolved`);
    live = live.slice(0, MAX_LINKED_FILES);
  }
  const readAll = async (wanted: Set<string>) => {
    const byDigest = new Map<string, LinkScan>();
    for (const l of layers) if (!byDigest.has(l.digest)) byDigest.set(l.digest, await scanLayerForLinks(l, wanted, limits));
    return layers.map((l) => byDigest.get(l.digest)!);
  };
  // Pass 1: the targets as written (most links), and every link of the image.
  const literal = live.map((l) => (l.type === "hardlink" ? joinWithinRoot("", l.target) : joinWithinRoot(l.path, l.target)).path);
  let view = stack(await readAll(new Set(literal)));
  const resolved = live.map((l) => resolveLink(l, view.links));
  // Pass 2, only when a target sits behind a directory link and so was not captured.
  const missing = new Set(resolved.flatMap((r) => (r.ok && !view.files.has(r.path) ? [r.path] : [])).filter((p) => !literal.includes(p)));
  if (missing.size) view = stack(await readAll(new Set([...literal, ...missing])));

  const files: LocatedFacts[] = [];
  for (const [i, link] of live.entries()) {
    const r = resolved[i]!;
    const kind = link.type === "symlink" ? "symbolic" : "hard";
    const names = () => (matchingCatalogers(catalogers, link.path, 0, 0o644) ?? []).map((c) => c.name).join(", ") || "no cataloger";
    const head = `${link.path} is a ${kind} link to "${link.target.slice(0, 200)}"`;
    if (!r.ok) {
      warnings.push(`${head}: ${r.reason}; not followed, so ${names()} did not read it`);
      continue;
    }
    if (r.climbed) warnings.push(`${head}, which climbs above the image root; resolved within the image (at its root) as the container sees it`);
    const target = view.files.get(r.path);
    if (!target?.content) {
      const why = target?.unreadable ?? "does not exist in the image (dangling link)";
      warnings.push(`${head}: its target ${r.path || "/"} ${why}; ${names()} did not read it`);
      continue;
    }
    const content = target.content;
    const matched = matchingCatalogers(catalogers, link.path, content.length, 0o644);
    if (!matched) continue;
    const facts = await parseFile(matched, link.path, content);
    files.push({ path: link.path, layerDigest: layers[target.layerIndex]!.digest, facts });
  }
  return { files, warnings };
}
