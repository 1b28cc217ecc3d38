// The registration and package tests load the COMPILED entry point, as Azure does. They refuse a
// dist/ older than its sources instead of silently checking yesterday's build.
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = join(import.meta.dirname, "../..");

/** Sources under `dir` whose compiled file in dist/ is missing or older (tsc rewrites only what changed). */
function stale(dir: string): string[] {
  const out: string[] = [];
  for (const e of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${e.name}`;
    if (e.isDirectory()) out.push(...stale(rel));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".d.ts") && !e.name.endsWith(".test.ts")) {
      let built = 0;
      try {
        built = statSync(join(ROOT, "dist", rel.replace(/\.ts$/, ".js"))).mtimeMs;
      } catch {
        /* missing */
      }
      if (built < statSync(join(ROOT, rel)).mtimeMs) out.push(rel);
    }
  }
  return out;
}

/** Fails with the command to run when a compiled file is missing or older than its source. */
export function assertBuilt(): void {
  const outdated = [...stale("functions"), ...stale("shared")];
  if (outdated.length) throw new Error(`dist/ is older than ${outdated.slice(0, 3).join(", ")}${outdated.length > 3 ? " …" : ""}: run \`npm run build\` (npm ci does it through prepare)`);
}

export interface Registration {
  name: string;
  bindings: Record<string, { type: string; direction: string; name: string; [k: string]: unknown }>;
}
export interface Manifest {
  main: string;
  programmingModel?: { name: string; version: string };
  functions: Registration[];
  errors: string[];
}

/** `node scripts/functions-manifest.mjs --root DIR` in its own process: a fresh module graph per app. */
export async function manifestOf(root: string): Promise<Manifest> {
  const { stdout } = await promisify(execFile)(process.execPath, [join(ROOT, "scripts/functions-manifest.mjs"), "--root", root], { maxBuffer: 16 * 1024 * 1024, cwd: root });
  return JSON.parse(stdout) as Manifest;
}
