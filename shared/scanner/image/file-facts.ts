// Runs every matching cataloger on one buffered file and folds their answers together.
import type { Cataloger, FileFacts } from "../catalogers/types.js";

export function matchingCatalogers(catalogers: readonly Cataloger[], path: string, size: number, mode: number): Cataloger[] | undefined {
  let found: Cataloger[] | undefined;
  for (const c of catalogers) {
    if (c.matches(path, size, mode)) (found ??= []).push(c);
  }
  return found;
}

/** Catalogers must not throw on garbage; if one does anyway, its failure becomes a warning. */
export async function parseFile(catalogers: Cataloger[], path: string, content: Buffer): Promise<FileFacts> {
  const merged: FileFacts = { packages: [] };
  for (const c of catalogers) {
    let facts: FileFacts;
    try {
      facts = await c.parse(path, content);
    } catch (err) {
      (merged.warnings ??= []).push(`${c.name}: failed to parse ${path}: ${(err as Error).message}`);
      continue;
    }
    if (facts.packages?.length) merged.packages.push(...facts.packages);
    if (facts.os && !merged.os) merged.os = facts.os;
    if (facts.warnings?.length) (merged.warnings ??= []).push(...facts.warnings);
    if (facts.unidentified?.length) (merged.unidentified ??= []).push(...facts.unidentified);
    if (facts.owned?.length) (merged.owned ??= []).push(...facts.owned);
  }
  return merged;
}
