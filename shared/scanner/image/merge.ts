// Stacks per-layer facts bottom to top, applying each layer's whiteouts, opaque directories and
// removals to the layers below it before adding its own files. Pure.
import type { LocatedFacts } from "../catalogers/types.js";
import type { LayerFacts } from "./layer-facts.js";

function hidden(path: string, exact: Set<string>, subtrees: Set<string>): boolean {
  if (exact.has(path)) return true;
  // Walk the ancestors: cost is the path depth, not the number of whiteouts.
  if (subtrees.has("")) return true;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    if (subtrees.has(path.slice(0, i))) return true;
  }
  return false;
}

export function mergeLayers(layers: { digest: string; facts: LayerFacts }[]): LocatedFacts[] {
  // Per path, the facts of every cataloger that read it in the topmost layer that has it.
  const live = new Map<string, LocatedFacts[]>();
  for (const { digest, facts } of layers) {
    if (live.size && (facts.whiteouts.length || facts.opaqueDirs.length || facts.removed.length)) {
      // A whiteout or a replacing non-directory removes the path and everything beneath it.
      const subtrees = new Set([...facts.whiteouts, ...facts.removed]);
      const opaque = new Set(facts.opaqueDirs);
      for (const path of [...live.keys()]) {
        if (hidden(path, subtrees, subtrees) || hiddenBelow(path, opaque)) live.delete(path);
      }
    }
    const replaced = new Set<string>();
    for (const f of facts.files) {
      if (!replaced.has(f.path)) {
        replaced.add(f.path);
        live.set(f.path, []);
      }
      live.get(f.path)!.push({ path: f.path, layerDigest: digest, facts: f.facts });
    }
  }
  return [...live.keys()].sort().flatMap((path) => live.get(path)!);
}

/** Strictly below an opaque directory (the directory itself survives). */
function hiddenBelow(path: string, opaque: Set<string>): boolean {
  if (!opaque.size) return false;
  if (opaque.has("")) return true;
  for (let i = path.indexOf("/"); i >= 0; i = path.indexOf("/", i + 1)) {
    if (opaque.has(path.slice(0, i))) return true;
  }
  return false;
}
