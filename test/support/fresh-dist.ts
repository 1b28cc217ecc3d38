// Pool workers run the compiled twin of the sources under dist/ (worker threads cannot load
// TypeScript). Before the suite runs, dist/ is rebuilt if any source is newer than its twin, so a
// test never exercises stale worker code.
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, relative } from "node:path";

function* sources(dir: string): Generator<string> {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* sources(p);
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts")) yield p;
  }
}

/** The first source newer than (or missing) its dist/ twin, or undefined when dist/ is fresh. */
export function staleSource(root: string, dirs = ["shared"]): string | undefined {
  for (const d of dirs) {
    for (const src of sources(join(root, d))) {
      const out = join(root, "dist", relative(root, src)).replace(/\.ts$/, ".js");
      if (!existsSync(out) || statSync(out).mtimeMs < statSync(src).mtimeMs) return src;
    }
  }
  return undefined;
}

export function ensureFreshDist(root: string): void {
  const stale = staleSource(root);
  if (!stale) return;
  process.stderr.write(`dist/ is older than ${relative(root, stale)}: rebuilding for the pool workers (npm run build)\n`);
  execFileSync(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: root, stdio: "inherit" });
}
