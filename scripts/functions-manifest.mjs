#!/usr/bin/env node
// `npm run functions:manifest [-- --root DIR]`: what the Azure Functions host would receive from the
// app. In Azure the Node worker provides the module `@azure/functions-core`; here a stand-in takes its
// place, so the real `@azure/functions` and `durable-functions` code runs and every registerFunction
// call (name, bindings, retry options) is recorded. The entry files are the ones the worker loads:
// package.json "main" (a glob) under the app root. Prints the manifest as JSON.
import { readdirSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { join, posix, resolve } from "node:path";
import { pathToFileURL } from "node:url";

/** Function names the Functions host accepts (its FunctionNameValidationRegex). */
export const FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;

/** The files a glob like "dist/functions/*.js" names (the worker supports globs in "main"). */
function entryFiles(root, main) {
  const pattern = posix.normalize(main);
  if (!pattern.includes("*")) return [join(root, pattern)];
  const dir = posix.dirname(pattern);
  if (dir.includes("*")) throw new Error(`unsupported "main" glob ${main}: only the file name may hold wildcards`);
  const re = new RegExp(`^${posix.basename(pattern).replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*")}$`);
  return readdirSync(join(root, dir)).filter((f) => re.test(f)).sort().map((f) => join(root, dir, f));
}

/** The worker's core API, recording instead of serving. */
function standIn(record) {
  return {
    version: "standin",
    setProgrammingModel: (model) => { record.programmingModel = { name: model.name, version: model.version }; },
    getProgrammingModel: () => record.programmingModel,
    registerFunction: (metadata, callback) => {
      if (typeof callback !== "function") record.errors.push(`${metadata.name}: handler is not a function`);
      record.functions.push(JSON.parse(JSON.stringify(metadata)));
      return { dispose() {} };
    },
    registerHook: (name) => { record.hooks.push(name); return { dispose() {} }; },
    log: () => {},
    Disposable: class { dispose() {} },
  };
}

/** Loads the app under `root` with the stand-in installed and returns what it registered. */
export async function loadManifest(root = process.cwd()) {
  root = resolve(root);
  const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
  const record = { programmingModel: undefined, functions: [], hooks: [], errors: [] };
  const core = standIn(record);
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === "@azure/functions-core" ? core : load.call(this, request, ...rest);
  };
  // Resolve the app's own copy of @azure/functions, as the worker would (never this script's).
  createRequire(join(root, "package.json"));
  try {
    for (const file of entryFiles(root, pkg.main)) await import(pathToFileURL(file).href);
  } finally {
    Module._load = load;
  }
  return { main: pkg.main, programmingModel: record.programmingModel, functions: record.functions, hooks: record.hooks, errors: record.errors };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const at = process.argv.indexOf("--root");
  const root = at > 0 ? process.argv[at + 1] : process.cwd();
  loadManifest(root).then(
    (m) => process.stdout.write(`${JSON.stringify(m, null, 2)}\n`),
    (e) => {
      console.error(`functions:manifest: ${e instanceof Error ? e.stack : e}`);
      process.exit(1);
    },
  );
}
