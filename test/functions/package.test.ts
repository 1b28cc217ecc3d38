// `npm run package`: the zip Flex Consumption deploys. Built once here (zip only, from the current
// dist/), unpacked with Debian's `unzip` into an empty folder, loaded with the functions-core
// stand-in: the same registrations as the work tree, and nothing outside the allow-list inside.
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, relative, sep } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
// @ts-expect-error plain ES module script without types
import { buildPackage, LOCAL_ONLY } from "../../scripts/package.mjs";
import { assertBuilt, manifestOf, ROOT, type Manifest } from "./built.js";

const run = promisify(execFile);

/** What may ship: runtime package files, compiled entry graph, dashboard assets, dependencies. */
const ALLOWED = [
  /^package\.json$/,
  /^host\.json$/,
  /^dist\/(functions|shared)\/[\w./-]+\.js$/,
  /^shared\/web\/[\w./-]+\.(html|css|js|svg|png|ico|json)$/,
  /^node_modules\/(@[\w.-]+\/)?[\w.-]+\/.+$/,
];
/** Never in the package, wherever they would sit. */
const FORBIDDEN = [/^(test|bench|demo|infra|scripts|functions|\.vantage|\.ci)\//, /^dist\/(test|bench|demo)\//, /\.ts$/, /(^|\/)local\.settings/];

let dir: string;
let files: string[];
let pkg: { zip: string; bytes: number; files: number };
let unpacked: Manifest;
let tree: Manifest;

function list(root: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) walk(p);
      else out.push(relative(root, p).split(sep).join("/"));
    }
  };
  walk(root);
  return out;
}

beforeAll(async () => {
  assertBuilt();
  dir = mkdtempSync(join(tmpdir(), "vantage-package-"));
  pkg = await buildPackage({ build: false, stage: false, level: 1, outDir: join(dir, "out") });
  const app = join(dir, "app");
  await run("unzip", ["-q", pkg.zip, "-d", app], { maxBuffer: 64 * 1024 * 1024 });
  files = list(app);
  [unpacked, tree] = await Promise.all([manifestOf(app), manifestOf(ROOT)]);
}, 240_000);

afterAll(async () => {
  // ~9,000 files: removed asynchronously, so the worker keeps answering the test runner.
  if (dir) await rm(dir, { recursive: true, force: true });
}, 240_000);

describe("deployment package", () => {
  it("is a zip that unzip reads back whole", () => {
    expect(statSync(pkg.zip).size).toBe(pkg.bytes);
    expect(files.length).toBe(pkg.files);
  });

  it("registers exactly what the work tree registers when loaded from an empty folder", () => {
    expect(unpacked.errors).toEqual([]);
    expect(unpacked.functions.length).toBeGreaterThan(30);
    expect(unpacked.functions).toEqual(tree.functions);
  });

  it("holds nothing outside the allow-list: no tests, benchmarks, emulators, sources or dev tools", () => {
    expect(files.filter((f) => !ALLOWED.some((re) => re.test(f)))).toEqual([]);
    expect(files.filter((f) => FORBIDDEN.some((re) => re.test(f)))).toEqual([]);
    const packages = new Set(files.filter((f) => f.startsWith("node_modules/")).map((f) => f.split("/").slice(1, f.split("/")[1].startsWith("@") ? 3 : 2).join("/")));
    for (const p of [...LOCAL_ONLY, "typescript", "vitest", "eslint", "playwright-core"]) expect(packages.has(p), p).toBe(false);
    for (const p of ["@azure/functions", "durable-functions", "@azure/data-tables", "cytoscape", "sql.js"]) expect(packages.has(p), p).toBe(true);
  });

  it("ships the runtime package.json the worker and packageRoot() read, with production dependencies only", () => {
    const shipped = JSON.parse(readFileSync(join(dir, "app", "package.json"), "utf8"));
    const source = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
    expect(shipped).toMatchObject({ name: "vantage", type: "module", main: source.main });
    expect(shipped.devDependencies).toBeUndefined();
    expect(shipped.scripts).toBeUndefined();
    expect(Object.keys(shipped.dependencies).sort()).toEqual(Object.keys(source.dependencies).filter((d) => !LOCAL_ONLY.includes(d)).sort());
    expect(files).toContain("shared/web/index.html");
    expect(files).toContain("node_modules/cytoscape/dist/cytoscape.min.js");
  });
});
