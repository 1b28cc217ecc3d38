// The registration and package tests load the COMPILED entry point, as Azure does. They refuse a
// dist/ older than its sources instead of silently checking yesterday's build.
import { execFile } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";

export const ROOT = join(import.meta.dirname, "../..");

function newest(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) max = Math.max(max, newest(p));
    else if (e.name.endsWith(".ts") && !e.name.endsWith(".test.ts")) max = Math.max(max, statSync(p).mtimeMs);
  }
  return max;
}

/** Fails with the command to run when dist/functions is older than functions/ or shared/. */
export function assertBuilt(): void {
  let built = 0;
  try {
    built = statSync(join(ROOT, "dist/functions/index.js")).mtimeMs;
  } catch {
    throw new Error("dist/ is missing: run `npm run build` (npm ci does it through prepare)");
  }
  const source = Math.max(newest(join(ROOT, "functions")), newest(join(ROOT, "shared")));
  if (source > built) throw new Error("dist/ is older than functions/ or shared/: run `npm run build`");
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
