// One streaming pass over one layer: decompress, read tar headers, buffer only the files a cataloger
// wants (one at a time, parsed right away), and record whiteouts. Memory is one file plus the facts.
import { LimitExceededError } from "../../errors.js";
import type { Cataloger, FileFacts } from "../catalogers/types.js";
import { BodyBuffers } from "./body-buffers.js";
import { decompressLayer, type LayerCompression } from "./decompress.js";
import { classifyWhiteout, normalizeEntryPath } from "./entry-path.js";
import { matchingCatalogers, parseEach, POSITIONAL_READ_BYTES, readByPosition } from "./file-facts.js";
import { MAX_LINKED_DATABASE_FILES, isDatabaseCandidate, isDatabaseLinkPath } from "./links.js";
import type { LayerSecretScanner } from "../secrets/layer-scan.js";
import type { LayerFacts, LinkEntry } from "./layer-facts.js";
import { WarningList, type WalkLimits } from "./limits.js";
import { SpillDir, type SpilledFile } from "./spill.js";
import { TarStreamParser, type BodyStream } from "./tar-stream-parser.js";
import type { TarEntry } from "./tar-header.js";

export interface WalkOptions {
  /** Layer name for messages: its digest, or its path in an archive. */
  layer: string;
  mediaType?: string;
  catalogers: readonly Cataloger[];
  limits: Required<WalkLimits>;
  onCompression?: (c: LayerCompression) => void;
  /** Reads candidate files for secrets in the same pass (its facts become `LayerFacts.secrets`). */
  secrets?: LayerSecretScanner;
  /** Reused memory for large buffered files, shared by the walks of one image (default: this walk's own). */
  bodies?: BodyBuffers;
  /** Where large buffered files are spilled (a private directory is made inside; default the OS temp dir). */
  tempDir?: string;
  /** `input` fails at its end unless it matches the layer's digest (see DecompressOptions). */
  digestChecked?: boolean;
}

export async function walkLayer(input: AsyncIterable<Uint8Array>, opts: WalkOptions): Promise<LayerFacts> {
  const what = `layer ${opts.layer}`;
  const { limits, catalogers } = opts;
  // Per path, each cataloger's facts apart, so the cache can keep them per cataloger.
  type Parts = { cataloger: string; facts: FileFacts }[];
  const files = new Map<string, Parts>();
  const whiteouts: string[] = [];
  const opaqueDirs: string[] = [];
  const removed = new Set<string>();
  const links = new Map<string, LinkEntry>();
  // Files named like a package database that no cataloger reads where they lie: a directory link
  // elsewhere in the image may make them one (links.ts). Names only, bounded.
  const candidates = new Set<string>();
  let candidatesDropped = 0;
  const warnings = new WarningList();
  type Wanted = { path: string; catalogers: Cataloger[]; secret: boolean; streamed?: Parts; spilled?: SpilledFile };
  const pending: (Wanted & { body?: Buffer })[] = [];
  let wanted = new Map<TarEntry, Wanted>();
  let entries = 0;
  let bytes = 0;
  let absoluteWarned = false;
  const bodies = opts.bodies ?? new BodyBuffers();
  const spill = new SpillDir(opts.tempDir);
  let spillWarned = false;

  const parser = new TarStreamParser(
    {
      onEntry(entry) {
        if (++entries > limits.maxEntries) throw new LimitExceededError(`${what}: more than maxEntries (${limits.maxEntries}) tar entries`);
        const norm = normalizeEntryPath(entry.name);
        if (!norm.ok) {
          warnings.add(`${what}: skipped entry "${entry.name.slice(0, 200)}": ${norm.reason}`);
          return false;
        }
        if (norm.absolute && !absoluteWarned) {
          absoluteWarned = true;
          warnings.add(`${what}: absolute entry names (e.g. "${entry.name.slice(0, 200)}") read relative to the image root`);
        }
        const path = norm.path;
        if (!path) return false;
        if (entry.type === "dir") {
          links.delete(path); // a directory replaces a link at its path
          return false;
        }
        const wh = classifyWhiteout(path);
        if (wh) {
          if (wh.kind === "whiteout") whiteouts.push(wh.target);
          else if (wh.kind === "opaque") opaqueDirs.push(wh.dir);
          return false;
        }
        const matched = matchingCatalogers(catalogers, path, entry.size, entry.mode);
        const secret = entry.type === "file" && Boolean(opts.secrets?.wants(path, entry.size));
        links.delete(path);
        if (candidates.size) candidates.delete(path);
        if (!matched) {
          files.delete(path); // a same-layer duplicate that no longer matches replaces the earlier one
          if ((entry.type === "symlink" || entry.type === "hardlink") && isDatabaseLinkPath(path)) {
            // A link where package databases live (var/lib/dpkg, usr/lib/sysimage, …): it replaces
            // what lower layers had there, and may lead to a database elsewhere.
            links.set(path, { path, type: entry.type, target: entry.linkname });
            removed.add(path);
          } else if (entry.type === "file" && isDatabaseCandidate(path)) {
            if (candidates.size < MAX_LINKED_DATABASE_FILES) candidates.add(path);
            else candidatesDropped++;
          }
          if (secret) wanted.set(entry, { path, catalogers: [], secret });
          return secret;
        }
        if (entry.type !== "file") {
          // Links and special files are not read here; they still hide lower facts. A wanted link
          // is recorded and resolved across the whole image once every layer is known (links.ts).
          if (entry.type === "symlink" || entry.type === "hardlink") {
            links.delete(path);
            links.set(path, { path, type: entry.type, target: entry.linkname });
          }
          files.delete(path);
          removed.add(path);
          return false;
        }
        // Streaming catalogers read files of any size; the others get the file buffered, if it fits.
        const streaming = matched.filter((c) => c.scan);
        let buffered = matched.filter((c) => !c.scan);
        if (buffered.length && entry.size > limits.maxFileBytes) {
          warnings.add(`${what}: skipped ${path} (${entry.size} bytes exceeds maxFileBytes ${limits.maxFileBytes})`);
          buffered = [];
        }
        if (!buffered.length && !streaming.length) {
          files.delete(path);
          removed.add(path);
          if (secret) wanted.set(entry, { path, catalogers: [], secret }); // within the secret scanner's own file bound
          return secret;
        }
        // Large files go to a temp file as they stream past, not into memory: concurrent walks then
        // hold a chunk each, and a large body is in memory only while it is parsed, if at all (the
        // secret scanner reads from memory, but its own size bound is far below this).
        const spilled = buffered.length && !secret && entry.size >= POSITIONAL_READ_BYTES ? spill.create() : undefined;
        if (spill.unavailable && !spillWarned) {
          spillWarned = true;
          warnings.add(`${what}: no usable temp dir (${spill.unavailable}); large files read from memory`);
        }
        const w: Wanted = { path, catalogers: buffered, secret, spilled };
        wanted.set(entry, w);
        if (!streaming.length && !spilled) return true;
        const collect = (buffered.length > 0 && !spilled) || secret;
        const scans = streaming.map((c) => ({ c, scan: c.scan!(path, entry.size, { randomAccess: false }) }));
        const stream: BodyStream = {
          write(chunk, offset) {
            for (const { scan } of scans) if (scan.want() >= 0) scan.write(chunk, offset);
            spilled?.write(chunk);
          },
          end() {
            w.streamed = scans.map(({ c, scan }) => {
              try {
                return { cataloger: c.name, facts: scan.end() };
              } catch (err) {
                return { cataloger: c.name, facts: { packages: [], warnings: [`${c.name}: failed to read ${path}: ${(err as Error).message}`] } };
              }
            });
            if (!collect) {
              pending.push(w);
              wanted.delete(entry);
            }
          },
        };
        return { collect, stream };
      },
      onBody(entry, body) {
        const w = wanted.get(entry);
        if (w) pending.push({ ...w, body });
        wanted.delete(entry);
      },
    },
    what,
    (size) => bodies.take(size),
  );

  const drain = async () => {
    while (pending.length) {
      const { path, catalogers: cs, secret, body, streamed, spilled } = pending.shift()!;
      if (secret && body) opts.secrets!.scan(path, body);
      if (!cs.length && !streamed) {
        if (body) bodies.give(body);
        continue;
      }
      const parts: Parts = [...(cs.length ? await parseBody(cs, path, body, spilled, bodies) : []), ...(streamed ?? [])];
      // Every reader of the body has returned (facts hold no Buffers): its memory serves the next file.
      if (body) bodies.give(body);
      spilled?.discard();
      files.delete(path);
      files.set(path, parts);
      removed.delete(path);
      // Each part's warnings stay in its facts (they name the file): the SBOM lists them once, and
      // not at all when an upper layer replaces or deletes the file.
    }
  };

  try {
    for await (const chunk of decompressLayer(input, { what, mediaType: opts.mediaType, maxBytes: limits.maxLayerBytes, maxZstdWindow: limits.maxZstdWindow, onCompression: opts.onCompression, digestChecked: opts.digestChecked })) {
      bytes += chunk.length;
      // After the end-of-archive marker the rest is padding; keep reading so digests get verified.
      if (!parser.finished) parser.write(chunk);
      if (pending.length) await drain();
    }
    parser.end();
    await drain();
  } finally {
    spill.remove();
  }
  wanted = new Map();
  return {
    files: [...files].flatMap(([path, parts]) => parts.map(({ cataloger, facts }) => ({ path, cataloger, facts }))),
    whiteouts,
    opaqueDirs,
    removed: [...removed],
    ...(links.size ? { links: [...links.values()] } : {}),
    ...(candidates.size ? { linkCandidates: [...candidates] } : {}),
    warnings: candidatesDropped ? [...warnings.done(), `${what}: ${candidatesDropped} more files named like a package database than ${MAX_LINKED_DATABASE_FILES} not checked for directory links`] : warnings.done(),
    entries,
    bytes,
    ...(opts.secrets ? { secrets: opts.secrets.result() } : {}),
  };
}

/**
 * The buffered catalogers' facts for a body held in memory or spilled to a temp file: read by
 * position when they all can (jars), else loaded into reused memory for the parse only.
 */
async function parseBody(catalogers: Cataloger[], path: string, body: Buffer | undefined, spilled: SpilledFile | undefined, bodies: BodyBuffers): Promise<{ cataloger: string; facts: FileFacts }[]> {
  if (body) return parseEach(catalogers, path, body);
  if (!spilled) return [];
  const source = spilled.source();
  if (!source) return catalogers.map((c) => ({ cataloger: c.name, facts: { packages: [], warnings: [`${c.name}: could not read ${path}: temp file: ${spilled.failed}`] } }));
  if (readByPosition(catalogers, source.size)) return parseEach(catalogers, path, source);
  const loaded = bodies.take(source.size);
  try {
    return await parseEach(catalogers, path, source.read(0, source.size, loaded));
  } finally {
    bodies.give(loaded);
  }
}
