// The layering rules of .dependency-cruiser.cjs bite: depcruise, run as `npm run lint:layers` runs it,
// fails on a throwaway tree that breaks each rule once, and names the rule and the offending import.
import { execFile } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { packageRoot } from "../../shared/package-root.js";

const root = packageRoot();
const depcruise = join(root, "node_modules", "dependency-cruiser", "bin", "dependency-cruise.mjs");
const dir = mkdtempSync(join(tmpdir(), "vantage-layers-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function write(files: Record<string, string>): void {
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}

/** Runs depcruise as the lint script does (its default "err" output and exit status). */
async function cruise(): Promise<{ code: number; violations: string[] }> {
  const args = [depcruise, "shared", "functions", "demo", "--config", join(root, ".dependency-cruiser.cjs")];
  let code = 0;
  let out: string;
  try {
    out = (await promisify(execFile)(process.execPath, args, { cwd: dir, maxBuffer: 16 * 1024 * 1024 })).stdout;
  } catch (err) {
    ({ code, stdout: out } = err as { code: number; stdout: string });
  }
  // "  error RULE: FROM → TO" (a cycle continues on the next lines)
  const violations = [...out.matchAll(/^\s*error ([\w-]+): (\S+) →\s*(\S+)/gm)].map((m) => `${m[1]}: ${m[2]} -> ${m[3]}`);
  return { code, violations };
}

describe("layering rules (.dependency-cruiser.cjs)", () => {
  it("fail on each kind of wrong arrow, naming rule and import, and leave the right arrows alone", async () => {
    write({
      "tsconfig.json": JSON.stringify({ compilerOptions: { module: "NodeNext", moduleResolution: "NodeNext", strict: true } }),
      "package.json": JSON.stringify({ name: "layers-fixture", type: "module" }),
      "shared/errors.ts": "export class E extends Error {}\n",
      "shared/storage/tables.ts": 'import { E } from "../errors.js";\nexport const t = E;\n',
      "shared/graph/paths.ts": 'import { E } from "../errors.js";\nexport const p = E;\n',
      "shared/workflows/graph.ts": 'import { p } from "../graph/paths.js";\nimport { t } from "../storage/tables.js";\nexport const g = [p, t];\n',
      "functions/http.ts": 'import { g } from "../shared/workflows/graph.js";\nexport const h = g;\n',
      "demo/runtime/stack.ts": 'import { h } from "../../functions/http.js";\nexport const s = h;\n',
      "test/support/helper.ts": "export const helper = 1;\n",
      // A pure core reaching into storage and the test suite, and a file read.
      "shared/graph/bad-core.ts": 'import { t } from "../storage/tables.js";\nimport { helper } from "../../test/support/helper.js";\nimport { readFileSync } from "node:fs";\nexport const bad = [t, helper, readFileSync];\n',
      // The product reaching into the demo; a trigger module skipping the workflows.
      "shared/workflows/demo-peek.ts": 'import { s } from "../../demo/runtime/stack.js";\nexport const peek = s;\n',
      "functions/shortcut.ts": 'import { p } from "../shared/graph/paths.js";\nexport const x = p;\n',
      // Storage calling up into a workflow, and a cycle.
      "shared/storage/upcall.ts": 'import { g } from "../workflows/graph.js";\nexport const u = g;\n',
      "shared/graph/a.ts": 'import { b } from "./b.js";\nexport const a = () => b;\n',
      "shared/graph/b.ts": 'import { a } from "./a.js";\nexport const b = () => a;\n',
    });
    const { code, violations } = await cruise();
    expect(code).not.toBe(0);
    const found = new Set(violations);
    for (const expected of [
      "pure-cores-no-io-layers: shared/graph/bad-core.ts -> shared/storage/tables.ts",
      "no-test-from-product: shared/graph/bad-core.ts -> test/support/helper.ts",
      "pure-cores-no-node-io: shared/graph/bad-core.ts -> fs",
      "shared-not-demo: shared/workflows/demo-peek.ts -> demo/runtime/stack.ts",
      "functions-only-workflows-platform: functions/shortcut.ts -> shared/graph/paths.ts",
      "platform-storage-at-the-bottom: shared/storage/upcall.ts -> shared/workflows/graph.ts",
    ]) {
      expect(found, expected).toContain(expected);
    }
    // The files that follow the layers draw no complaint.
    expect(violations.filter((v) => /^[\w-]+: (shared\/(errors|storage\/tables|graph\/paths|workflows\/graph)|functions\/http|demo\/runtime\/stack)\.ts /.test(v))).toEqual([]);
    expect(violations.some((v) => /^no-circular: shared\/graph\/(a|b)\.ts -> /.test(v))).toBe(true);
  }, 120_000);
});
