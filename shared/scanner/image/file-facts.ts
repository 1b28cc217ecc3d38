// Runs every matching cataloger on one buffered (or positionally read) file: each answer apart (the
// layer walk keeps them per cataloger) or folded together (the dir: source).
import type { ByteSource } from "../byte-source.js";
import type { Cataloger, FileFacts } from "../catalogers/types.js";

export function matchingCatalogers(catalogers: readonly Cataloger[], path: string, size: number, mode: number): Cataloger[] | undefined {
  let found: Cataloger[] | undefined;
  for (const c of catalogers) {
    if (c.matches(path, size, mode)) (found ??= []).push(c);
  }
  return found;
}

/** Files at least this large are read by position, not buffered, when every cataloger that wants them can. */
export const POSITIONAL_READ_BYTES = 8 * 1024 * 1024;

/** Is this file read by position (see Cataloger.parseSource) rather than buffered whole? */
export function readByPosition(catalogers: readonly Cataloger[], size: number): boolean {
  return size >= POSITIONAL_READ_BYTES && catalogers.every((c) => c.parseSource);
}

/**
 * Each cataloger's facts for one file, buffered or (see readByPosition) read by
 * position. Catalogers must not throw on garbage; if one does anyway, its failure becomes a warning.
 */
export async function parseEach(catalogers: Cataloger[], path: string, content: Buffer | ByteSource): Promise<{ cataloger: string; facts: FileFacts }[]> {
  const out: { cataloger: string; facts: FileFacts }[] = [];
  for (const c of catalogers) {
    try {
      out.push({ cataloger: c.name, facts: await (Buffer.isBuffer(content) ? c.parse(path, content) : c.parseSource!(path, content)) });
    } catch (err) {
      out.push({ cataloger: c.name, facts: { packages: [], warnings: [`${c.name}: failed to parse ${path}: ${(err as Error).message}`] } });
    }
  }
  return out;
}

/** Every matching cataloger's facts for one file, folded together. */
export async function parseFile(catalogers: Cataloger[], path: string, content: Buffer | ByteSource): Promise<FileFacts> {
  const merged: FileFacts = { packages: [] };
  for (const { facts } of await parseEach(catalogers, path, content)) {
    if (facts.packages?.length) merged.packages.push(...facts.packages);
    if (facts.os && !merged.os) merged.os = facts.os;
    if (facts.warnings?.length) (merged.warnings ??= []).push(...facts.warnings);
    if (facts.unidentified?.length) (merged.unidentified ??= []).push(...facts.unidentified);
    if (facts.owned?.length) (merged.owned ??= []).push(...facts.owned);
  }
  return merged;
}
