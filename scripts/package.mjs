#!/usr/bin/env node
// `npm run package`: the deployment package for Azure Functions Flex Consumption. Stages
// .vantage/package/app/ (what azd deploys, see azure.yaml) and zips it to
// .vantage/package/vantage-<version>.zip (for `az functionapp deployment source config-zip`).
// Contents: package.json (runtime fields only), host.json, the compiled files the entry point
// actually imports (traced from package.json "main"), the dashboard's static assets, and the
// production dependencies resolved through package-lock.json — minus LOCAL_ONLY packages, which
// only the local host uses. No tests, benchmarks, emulators, demo runtime, sources or type files.
import { execFile } from "node:child_process";
import { mkdir, readFile, readdir, rm, stat, writeFile } from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { isBuiltin } from "node:module";
import { dirname, join, posix, relative, resolve, sep } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { createZipWriter } from "./zip-writer.mjs";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Dependencies the Azure app never loads: the local host's storage emulator. */
export const LOCAL_ONLY = ["azurite"];
/** Folders copied whole: files read at run time, not imported (the dashboard). */
export const ASSET_DIRS = ["shared/web"];
/** Never shipped from node_modules: TypeScript sources and declarations, source maps, docs. Nothing loads them at run time. */
const SKIP_FILE = /\.(ts|mts|cts|map|md|markdown|tsbuildinfo)$/i;

const run = (cmd, args, cwd) =>
  new Promise((ok, fail) =>
    execFile(cmd, args, { cwd, maxBuffer: 64 * 1024 * 1024 }, (e, stdout, stderr) => (e ? fail(new Error(`${cmd} ${args.join(" ")}: ${stderr || stdout || e.message}`)) : ok(stdout))),
  );

/** The package name of a bare specifier ("@azure/functions/x" → "@azure/functions"). */
function packageName(spec) {
  const parts = spec.split("/");
  return spec.startsWith("@") ? parts.slice(0, 2).join("/") : parts[0];
}

// import/export … from "x", import "x", import("x"), require("x"), require.resolve("x") — string literals only.
const SPECIFIERS = [
  /^\s*(?:import|export)\s[^;]*?\sfrom\s*["']([^"'\n]+)["']/gm,
  /^\s*import\s*["']([^"'\n]+)["']/gm,
  /\bimport\(\s*["']([^"'\n]+)["']\s*\)/g,
  /\brequire(?:\.resolve)?\(\s*["']([^"'\n]+)["']\s*\)/g,
];

/** Every compiled file reachable from the entry files, and the packages they name. */
async function traceDist(entries) {
  const files = new Set();
  const packages = new Set();
  const queue = [...entries];
  while (queue.length) {
    const file = queue.pop();
    if (files.has(file)) continue;
    files.add(file);
    const text = await readFile(file, "utf8");
    for (const spec of SPECIFIERS.flatMap((re) => [...text.matchAll(re)].map((m) => m[1]))) {
      if (spec.startsWith(".")) {
        const target = resolve(dirname(file), spec);
        if (!existsSync(target)) throw new Error(`${relative(root, file)} imports ${spec}, which does not exist`);
        queue.push(target);
      } else if (!isBuiltin(spec)) packages.add(packageName(spec));
    }
  }
  return { files: [...files].sort(), packages: [...packages].sort() };
}

/** package-lock.json folders (e.g. "node_modules/a/node_modules/b") needed by `names`, as Node resolves them. */
function dependencyClosure(lock, names) {
  const pkgs = lock.packages;
  const find = (from, name) => {
    let base = from;
    for (;;) {
      const key = `${base ? `${base}/` : ""}node_modules/${name}`;
      if (pkgs[key]) return key;
      if (!base) return undefined;
      const i = base.lastIndexOf("/node_modules/");
      base = i < 0 ? "" : base.slice(0, i);
    }
  };
  const seen = new Set();
  const visit = (key, via) => {
    if (seen.has(key)) return;
    seen.add(key);
    const e = pkgs[key];
    const optional = new Set([...Object.keys(e.optionalDependencies ?? {}), ...Object.entries(e.peerDependenciesMeta ?? {}).filter(([, m]) => m.optional).map(([n]) => n)]);
    for (const dep of Object.keys({ ...e.dependencies, ...e.optionalDependencies, ...e.peerDependencies })) {
      const found = find(key, dep);
      if (found) visit(found, key);
      else if (!optional.has(dep)) throw new Error(`${key} needs ${dep}, which package-lock.json does not install (run npm ci)`);
    }
    void via;
  };
  for (const name of names) {
    const key = find("", name);
    if (!key) throw new Error(`dependency ${name} is not in package-lock.json`);
    visit(key, "");
  }
  return [...seen].sort();
}

/** The compiled files the Azure entry point (package.json "main", a glob) loads, and the packages they import. */
export async function entryGraph(pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"))) {
  const mainDir = posix.dirname(pkg.main);
  const mainRe = new RegExp(`^${posix.basename(pkg.main).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  const entries = (await readdir(join(root, mainDir))).filter((f) => mainRe.test(f)).map((f) => join(root, mainDir, f));
  if (entries.length === 0) throw new Error(`no files match "main" (${pkg.main}): run npm run build`);
  return traceDist(entries);
}

async function walk(dir, skipNested) {
  const out = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (skipNested && e.name === "node_modules") continue; // nested packages are closure entries of their own
      out.push(...(await walk(p, skipNested)));
    } else if (e.isFile()) out.push(p);
  }
  return out;
}

/** Builds (unless build: false), stages (unless stage: false) and zips. Returns { zip, stage, bytes, files, packages }. */
export async function buildPackage({ build = true, stage: staging = true, level = 6, outDir = join(root, ".vantage", "package") } = {}) {
  if (build) await run(process.execPath, [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], root);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const lock = JSON.parse(readFileSync(join(root, "package-lock.json"), "utf8"));

  const dist = await entryGraph(pkg);

  const shipped = Object.keys(pkg.dependencies).filter((d) => !LOCAL_ONLY.includes(d));
  const unknown = dist.packages.filter((p) => !shipped.includes(p));
  if (unknown.length) throw new Error(`the entry point imports ${unknown.join(", ")}, which ${unknown.length > 1 ? "are" : "is"} not a shipped dependency`);
  const modules = dependencyClosure(lock, shipped);

  const files = new Map(); // archive path → source path
  for (const f of dist.files) files.set(relative(root, f).split(sep).join("/"), f);
  for (const d of ASSET_DIRS) for (const f of await walk(join(root, d), false)) files.set(relative(root, f).split(sep).join("/"), f);
  // An optional dependency for another platform (e.g. piscina's native helpers) is in the lockfile but not installed.
  const installed = modules.filter((m) => existsSync(join(root, m)) || !lock.packages[m]?.optional);
  for (const m of installed) for (const f of await walk(join(root, m), true)) if (!SKIP_FILE.test(f)) files.set(relative(root, f).split(sep).join("/"), f);
  files.set("host.json", join(root, "host.json"));

  // Only what the worker and packageRoot() read: name, version, module type, entry, dependencies.
  const runtimePkg = { name: pkg.name, version: pkg.version, private: true, type: pkg.type, main: pkg.main, engines: pkg.engines, dependencies: Object.fromEntries(shipped.map((d) => [d, pkg.dependencies[d]])) };
  const stage = join(outDir, "app");
  await rm(stage, { recursive: true, force: true });
  await mkdir(staging ? stage : outDir, { recursive: true });
  const zipPath = join(outDir, `vantage-${pkg.version}.zip`);
  const zip = await createZipWriter(zipPath, { level });
  const pkgBytes = Buffer.from(`${JSON.stringify(runtimePkg, null, 2)}\n`);
  if (staging) await writeFile(join(stage, "package.json"), pkgBytes);
  await zip.add("package.json", pkgBytes);
  const made = new Set();
  for (const name of [...files.keys()].sort()) {
    const src = files.get(name);
    const data = await readFile(src);
    if (staging) {
      const dest = join(stage, ...name.split("/"));
      if (!made.has(dirname(dest))) {
        await mkdir(dirname(dest), { recursive: true });
        made.add(dirname(dest));
      }
      await writeFile(dest, data);
    }
    await zip.add(name, data, (await stat(src)).mode & 0o777);
  }
  const { entries: count, bytes } = await zip.close();
  return { zip: zipPath, stage: staging ? stage : undefined, bytes, files: count, packages: modules.length, distFiles: dist.files.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const started = Date.now();
  buildPackage({ build: !process.argv.includes("--no-build") }).then(
    (r) => {
      console.log(`${relative(process.cwd(), r.zip)} ${(r.bytes / 1048576).toFixed(1)} MiB (${r.bytes} bytes): ${r.files} files — ${r.distFiles} compiled, ${r.packages} packages${r.stage ? `; staged in ${relative(process.cwd(), r.stage)}` : ""} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    },
    (e) => {
      console.error(`package: ${e instanceof Error ? e.message : e}`);
      process.exit(1);
    },
  );
}
