// Runs every matching cataloger on one buffered file: each answer apart (the layer walk keeps them per
// cataloger) or folded together (the dir: source).
import type { Cataloger, FileFacts } from "../catalogers/types.js";

export function matchingCatalogers(catalogers: readonly Cataloger[], path: string, size: number, mode: number): Cataloger[] | undefined {
  let found: Cataloger[] | undefined;
  for (const c of catalogers) {
    if (c.matches(path, size, mode)) (found ??= []).push(c);
  }
  return found;
}

/** Each cataloger's facts for one buffered file. Catalogers must not throw on garbage; if one does anyway, its failure becomes a warning. */
export async function parseEach(catalogers: Cataloger[], path: string, content: Buffer): Promise<{ cataloger: string; facts: FileFacts }[]> {
  const out: { cataloger: string; facts: FileFacts }[] = [];
  for (const c of catalogers) {
    try {
      out.push({ cataloger: c.name, facts: await c.parse(path, content) });
    } catch (err) {
      out.push({ cataloger: c.name, facts: { packages: [], warnings: [`${c.name}: failed to parse ${path}: ${(err as Error).message}`] } });
    }
  }
  return out;
}

/** Every matching cataloger's facts for one buffered file, folded together. */
export async function parseFile(catalogers: Cataloger[], path: string, content: Buffer): Promise<FileFacts> {
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
