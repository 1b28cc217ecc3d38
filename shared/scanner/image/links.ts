// Package databases behind links: a path a cataloger wants may be a symbolic or hard link inside the
// image (`var/lib/dpkg/status -> /opt/db/status`), or sit in a directory that is one
// (`var/lib/dpkg -> /usr/lib/dpkg-db`, `usr/lib/sysimage -> ../../opt/sysimage`). Such links are
// resolved the way the container would see them — within the image root (`..` stops at the root),
// through links in any component, at most MAX_HOPS links — and the target's content is cataloged
// under the path the container reads. A link that dangles, loops or climbs above the root is a
// warning naming the path, never silence.
//
// The layer walk records only what can matter, so images without such links cost nothing here:
// links at paths a cataloger wants, links at the package database directories or their parents,
// and regular files named like a database file that no cataloger read where they lie (candidates).
// Only when a wanted link is live, or a candidate could be a database seen through a live directory
// link, are the layers read once more, recording every link and capturing the targets; when a
// target turns out to sit behind a further directory link, once more for it.
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
/** Database paths looked up behind directory links per image; more is a warning. */
export const MAX_LINKED_DATABASE_FILES = 10_000;
/** Bytes of targets one re-read may hold at once (every wanted target is buffered until stacked). */
export const MAX_CAPTURED_BYTES = 512 * 1024 ** 2;

/** The package databases at fixed paths: a link at one of these directories or a parent moves them. */
export const DATABASE_DIRS = ["var/lib/dpkg", "lib/apk/db", "var/lib/rpm", "usr/lib/sysimage/rpm", "usr/share/rpm", "var/lib/rpmmanifest"] as const;
/** Last components of the database files in those directories. */
export const DATABASE_FILE_NAMES: ReadonlySet<string> = new Set(["status", "installed", "Packages", "Packages.db", "rpmdb.sqlite", "container-manifest-2"]);
/** Subdirectories of per-package database files (dpkg's status.d/NAME and info/NAME.list). */
const DATABASE_SUBDIRS: ReadonlySet<string> = new Set(["status.d", "info"]);

function parentsOrSelf(path: string): string[] {
  const parts = path.split("/");
  return parts.map((_, i) => parts.slice(0, i + 1).join("/"));
}

const DATABASE_LINK_PATHS: ReadonlySet<string> = new Set(DATABASE_DIRS.flatMap(parentsOrSelf));

/** A link here can move a package database (the walk records it even though no cataloger wants the path). */
export function isDatabaseLinkPath(path: string): boolean {
  return DATABASE_LINK_PATHS.has(path);
}

/** The tails of `path` that a database directory could hold: `NAME`, or `status.d/NAME` / `info/NAME.list`. */
function databaseTails(path: string): string[] {
  const slash = path.lastIndexOf("/");
  const name = path.slice(slash + 1);
  const tails = DATABASE_FILE_NAMES.has(name) ? [name] : [];
  if (slash > 0) {
    const dir = path.slice(path.lastIndexOf("/", slash - 1) + 1, slash);
    if (DATABASE_SUBDIRS.has(dir) && (dir !== "info" || name.endsWith(".list"))) tails.push(`${dir}/${name}`);
  }
  return tails;
}

/** `dir` is the path component that ends just before index `end` of `path`. */
function componentBefore(path: string, end: number, dir: string): boolean {
  const start = end - dir.length;
  return start >= 0 && path.startsWith(dir, start) && (start === 0 || path[start - 1] === "/");
}

/**
 * A regular file no cataloger read where it lies that may be a database seen through a directory
 * link. Called for every such file of every layer, so it decides from the name alone, allocating
 * nothing but the last component (same answer as `databaseTails(path).length > 0`).
 */
export function isDatabaseCandidate(path: string): boolean {
  const slash = path.lastIndexOf("/");
  if (DATABASE_FILE_NAMES.has(path.slice(slash + 1))) return true;
  return slash > 0 && (componentBefore(path, slash, "status.d") || (path.endsWith(".list") && componentBefore(path, slash, "info")));
}

export interface LiveLink extends LinkEntry {
  /** Manifest position of the layer that wrote the link. */
  layerIndex: number;
}

/** What one re-read of a layer found: its links, whiteouts and the wanted paths' contents. */
export interface LinkScan {
  links: LinkEntry[];
  /** Directory entries (each replaces a link at its path). */
  dirs: string[];
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

export type Resolution = { ok: true; path: string; climbed: boolean; climbedAt?: LinkEntry } | { ok: false; reason: string };

function targetOf(l: LinkEntry, at: string): { path: string; climbed: boolean } {
  return l.type === "hardlink" ? joinWithinRoot("", l.target) : joinWithinRoot(at, l.target);
}

/** Follows links in every component of the root-relative `path`, the last included; `hops` already spent. */
function follow(path: string, links: Map<string, LinkEntry>, hops: number, climbedAt?: LinkEntry): Resolution {
  let pending = path.split("/").filter(Boolean);
  let done: string[] = [];
  while (pending.length) {
    const part = pending.shift()!;
    const here = [...done, part].join("/");
    const l = links.get(here);
    if (!l) {
      done.push(part);
      continue;
    }
    if (++hops > MAX_HOPS) return { ok: false, reason: `more than ${MAX_HOPS} links to follow (a loop?)` };
    const next = targetOf(l, here);
    if (next.climbed) climbedAt ??= l;
    pending = [...next.path.split("/").filter(Boolean), ...pending];
    done = [];
  }
  return { ok: true, path: done.join("/"), climbed: Boolean(climbedAt), ...(climbedAt ? { climbedAt } : {}) };
}

/**
 * Resolves `link` against the final filesystem's links (`links`: path → link), following links in
 * every component and the last, at most MAX_HOPS in all. Hard links name their target from the root.
 */
export function resolveLink(link: LinkEntry, links: Map<string, LinkEntry>): Resolution {
  const first = targetOf(link, link.path);
  return follow(first.path, links, 1, first.climbed ? link : undefined);
}

/** Resolves a root-relative path the way the container opens it: through every link on the way. */
export function resolvePath(path: string, links: Map<string, LinkEntry>): Resolution {
  return follow(path, links, 0);
}

export interface LinkedLayer {
  digest: string;
  open(): Promise<AsyncIterable<Uint8Array>>;
  mediaType?: string;
}

/** Bytes a re-read may still capture (shared by the layers of one pass). */
export interface CaptureBudget {
  bytes: number;
}

/** Re-reads one layer: every link, directory and whiteout, and the bodies of `wanted` regular files. */
export async function scanLayerForLinks(layer: LinkedLayer, wanted: ReadonlySet<string>, limits: Required<WalkLimits>, budget: CaptureBudget = { bytes: MAX_CAPTURED_BYTES }): Promise<LinkScan> {
  const what = `layer ${layer.digest}`;
  const out: LinkScan = { links: [], dirs: [], whiteouts: [], opaqueDirs: [], captured: new Map(), unreadable: new Map() };
  // In tar order: a later entry at the same path replaces an earlier one.
  const links = new Map<string, LinkEntry>();
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
        links.delete(path);
        if (entry.type === "symlink" || entry.type === "hardlink") {
          links.set(path, { path, type: entry.type, target: entry.linkname });
          out.captured.delete(path);
          out.unreadable.delete(path);
          return false;
        }
        // A directory replaces a link at its path (the container sees the directory).
        if (entry.type === "dir") out.dirs.push(path);
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
        if (entry.size > budget.bytes) {
          out.unreadable.set(path, `was not read: the linked files read at once exceed ${MAX_CAPTURED_BYTES} bytes`);
          return false;
        }
        budget.bytes -= entry.size;
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
  out.links = [...links.values()];
  return out;
}

type StackedFile = { content?: Buffer; unreadable?: string; layerIndex: number };

/** Strictly beneath one of `dirs`. */
function beneath(path: string, dirs: Set<string>): boolean {
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) if (dirs.has(path.slice(0, i))) return true;
  return false;
}

/** The final filesystem's links, and for each wanted path its content (or why it has none), from per-position scans. */
function stack(scans: LinkScan[]): { links: Map<string, LinkEntry>; files: Map<string, StackedFile> } {
  const links = new Map<string, LinkEntry>();
  const files = new Map<string, StackedFile>();
  scans.forEach((s, layerIndex) => {
    const exact = new Set(s.whiteouts);
    const opaque = new Set(s.opaqueDirs);
    if (exact.size || opaque.size) {
      for (const p of [...links.keys()]) if (hiddenBy(p, exact, opaque)) links.delete(p);
      for (const p of [...files.keys()]) if (hiddenBy(p, exact, opaque)) files.delete(p);
    }
    // A non-directory (a link, a file) replacing a directory hides everything beneath it.
    const replacing = new Set([...s.links.map((l) => l.path), ...s.captured.keys()]);
    if (replacing.size) {
      for (const p of [...links.keys()]) if (beneath(p, replacing)) links.delete(p);
      for (const p of [...files.keys()]) if (beneath(p, replacing)) files.delete(p);
    }
    for (const d of s.dirs) links.delete(d);
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
 * Database paths (`var/lib/dpkg/status`) that a live directory link may send to one of the walk's
 * candidate files, each with the candidates that could be it; none when no candidate lies behind a
 * live directory link, which is the common case (merged-/usr `lib -> usr/lib` included).
 */
function databasePaths(facts: LayerFacts[], dirLinks: Set<string>, wantedBy: (path: string) => boolean): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  if (!dirLinks.size) return out;
  for (const f of facts) {
    for (const candidate of f.linkCandidates ?? []) {
      for (const tail of databaseTails(candidate)) {
        for (const dir of DATABASE_DIRS) {
          const path = `${dir}/${tail}`;
          if (path === candidate || !wantedBy(path)) continue;
          if (!parentsOrSelf(path.slice(0, path.lastIndexOf("/"))).some((p) => dirLinks.has(p))) continue;
          const set = out.get(path) ?? new Set<string>();
          set.add(candidate);
          out.set(path, set);
        }
      }
    }
  }
  return out;
}

/**
 * Catalogs what the wanted links point at, and the package databases that live directory links
 * put elsewhere. `layers` and `facts` in manifest order; nothing is read again unless there is such
 * a link, and then each distinct digest is re-read once per pass (at most two passes).
 */
export async function catalogLinkedFiles(layers: LinkedLayer[], facts: LayerFacts[], catalogers: readonly Cataloger[], limits: Required<WalkLimits>): Promise<LinkedFiles> {
  const warnings: string[] = [];
  const wantedBy = (path: string) => Boolean(matchingCatalogers(catalogers, path, 0, 0o644));
  const names = (path: string) => (matchingCatalogers(catalogers, path, 0, 0o644) ?? []).map((c) => c.name).join(", ") || "no cataloger";
  const live = liveLinks(facts.map((f) => ({ facts: f })));
  // Links at paths a cataloger reads stand for files; the others were recorded as directory links.
  let fileLinks = live.filter((l) => wantedBy(l.path));
  const databases = databasePaths(facts, new Set(live.filter((l) => !wantedBy(l.path)).map((l) => l.path)), wantedBy);
  if (!fileLinks.length && !databases.size) return { files: [], warnings };
  if (fileLinks.length > MAX_LINKED_FILES) {
    warnings.push(`${fileLinks.length - MAX_LINKED_FILES} more linked package files than MAX_LINKED_FILES (${MAX_LINKED_FILES}) not resolved`);
    fileLinks = fileLinks.slice(0, MAX_LINKED_FILES);
  }
  let behind = [...databases.keys()].sort();
  if (behind.length > MAX_LINKED_DATABASE_FILES) {
    warnings.push(`${behind.length - MAX_LINKED_DATABASE_FILES} more database paths behind directory links than MAX_LINKED_DATABASE_FILES (${MAX_LINKED_DATABASE_FILES}) not resolved`);
    behind = behind.slice(0, MAX_LINKED_DATABASE_FILES);
  }
  const readAll = async (wanted: Set<string>) => {
    const byDigest = new Map<string, LinkScan>();
    const budget = { bytes: MAX_CAPTURED_BYTES };
    for (const l of layers) if (!byDigest.has(l.digest)) byDigest.set(l.digest, await scanLayerForLinks(l, wanted, limits, budget));
    return layers.map((l) => byDigest.get(l.digest)!);
  };
  // Pass 1: the link targets as written (most links), the candidate files, and every link of the image.
  const first = new Set([...fileLinks.map((l) => targetOf(l, l.path).path), ...behind.flatMap((p) => [...databases.get(p)!])]);
  let view = stack(await readAll(first));
  const resolvedLinks = fileLinks.map((l) => resolveLink(l, view.links));
  const resolvedDbs = behind.map((p) => resolvePath(p, view.links));
  // Pass 2, only when a target sits behind a further link and so was not captured.
  const missing = new Set([...resolvedLinks, ...resolvedDbs].flatMap((r) => (r.ok && !view.files.has(r.path) && !first.has(r.path) ? [r.path] : [])));
  for (const [i, p] of behind.entries()) {
    const r = resolvedDbs[i]!;
    // A database path that resolves to itself has no link on the way; one whose last component is
    // still a database name resolves to a file that does not exist (else it was a candidate).
    if (r.ok && (r.path === p || databaseTails(r.path).length)) missing.delete(r.path);
  }
  if (missing.size) view = stack(await readAll(new Set([...first, ...missing])));

  const files: LocatedFacts[] = [];
  const read = async (path: string, target: StackedFile & { content: Buffer }) => {
    const matched = matchingCatalogers(catalogers, path, target.content.length, 0o644);
    if (!matched) return;
    // The file's own warnings travel with its facts (the SBOM lists them once).
    const facts = await parseFile(matched, path, target.content);
    files.push({ path, layerDigest: layers[target.layerIndex]!.digest, facts });
  };
  for (const [i, link] of fileLinks.entries()) {
    const r = resolvedLinks[i]!;
    const kind = link.type === "symlink" ? "symbolic" : "hard";
    const head = `${link.path} is a ${kind} link to "${link.target.slice(0, 200)}"`;
    if (!r.ok) {
      warnings.push(`${head}: ${r.reason}; not followed, so ${names(link.path)} did not read it`);
      continue;
    }
    if (r.climbed) warnings.push(`${head}, which climbs above the image root; resolved within the image (at its root) as the container sees it`);
    const target = view.files.get(r.path);
    if (!target?.content) {
      const why = target?.unreadable ?? "does not exist in the image (dangling link)";
      warnings.push(`${head}: its target ${r.path || "/"} ${why}; ${names(link.path)} did not read it`);
      continue;
    }
    await read(link.path, { ...target, content: target.content });
  }
  const climbs = new Set<string>();
  const seen = new Set<string>();
  for (const [i, path] of behind.entries()) {
    const r = resolvedDbs[i]!;
    if (!r.ok) {
      const dir = parentsOrSelf(path).find((p) => view.links.has(p));
      const via = dir ? ` the directory link ${dir} (to "${view.links.get(dir)!.target.slice(0, 200)}")` : " directory links";
      warnings.push(`${path} lies behind${via}: ${r.reason}; ${names(path)} did not read it`);
      continue;
    }
    // No link on the way, the real path cataloged where it lies, or already read under another path.
    if (r.path === path || wantedBy(r.path) || seen.has(r.path)) continue;
    const target = view.files.get(r.path);
    if (!target) continue; // nothing there: no database behind this link
    seen.add(r.path);
    if (r.climbedAt && !climbs.has(r.climbedAt.path)) {
      climbs.add(r.climbedAt.path);
      warnings.push(`${r.climbedAt.path} is a ${r.climbedAt.type === "symlink" ? "symbolic" : "hard"} link to "${r.climbedAt.target.slice(0, 200)}", which climbs above the image root; resolved within the image (at its root) as the container sees it`);
    }
    if (!target.content) {
      warnings.push(`${path} lies behind directory links and resolves to ${r.path}, which ${target.unreadable}; ${names(path)} did not read it`);
      continue;
    }
    await read(path, { ...target, content: target.content });
  }
  return { files, warnings };
}
