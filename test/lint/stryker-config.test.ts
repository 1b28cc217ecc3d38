// `npm run mutate` only mutates files its globs name, and a glob that names nothing is silently
// skipped: every pattern (each alternative of a {a,b} list on its own) must match a source file.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ES module config without types
import config from "../../stryker.config.mjs";

const ROOT = join(import.meta.dirname, "..", "..");

/** One pattern per alternative of the (single-level) brace lists. */
function expandBraces(pattern: string): string[] {
  const m = /\{([^{}]*)\}/.exec(pattern);
  if (!m) return [pattern];
  return m[1]!.split(",").flatMap((alt) => expandBraces(pattern.slice(0, m.index) + alt + pattern.slice(m.index + m[0].length)));
}

function toRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i]!;
    if (pattern.startsWith("**/", i)) {
      re += "(?:.*/)?";
      i += 2;
    } else if (ch === "*") re += "[^/]*";
    else re += ch.replace(/[.+?^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

describe("stryker.config.mjs", () => {
  const files = readdirSync(join(ROOT, "shared"), { recursive: true })
    .map((f) => relative(ROOT, join(ROOT, "shared", String(f))).split(sep).join("/"))
    .filter((f) => f.endsWith(".ts"));

  it("the matcher reads globs as Stryker does", () => {
    expect(expandBraces("a/{b,c}.ts")).toEqual(["a/b.ts", "a/c.ts"]);
    expect(toRegExp("shared/x/**/*.ts").test("shared/x/y/z.ts")).toBe(true);
    expect(toRegExp("shared/x/**/*.ts").test("shared/x/z.ts")).toBe(true);
    expect(toRegExp("shared/x/*.ts").test("shared/x/y/z.ts")).toBe(false);
  });

  it("every file pattern to mutate names at least one source file", () => {
    const patterns = (config.mutate as string[]).flatMap(expandBraces);
    expect(patterns.length).toBeGreaterThan(5);
    expect(patterns.filter((p) => !files.some((f) => toRegExp(p).test(f)))).toEqual([]);
  });
});
