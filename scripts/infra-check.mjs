#!/usr/bin/env node
// `npm run infra:check`: compile and lint every Bicep file in infra/ with the real Bicep CLI.
// The CLI is the NuGet package Azure.Bicep.CommandLine.linux-x64 (a self-contained binary), pinned
// below and restored with `dotnet` into ~/.cache/vantage/bicep — NuGet is the only download path.
// infra/bicepconfig.json turns every linter warning into an error; any diagnostic fails the check.
// Exit codes: 0 clean, 1 diagnostics or a failed build, 3 `dotnet` absent (the test skips then).
import { execFile, spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { homedir, tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

export const BICEP_PACKAGE = "Azure.Bicep.CommandLine.linux-x64";
export const BICEP_VERSION = "0.49.2";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
// Outside the work tree, so `npm ci` (which empties node_modules) keeps it.
const cache = process.env.VANTAGE_BICEP_CACHE ?? join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "vantage", "bicep");

export function hasDotnet() {
  return spawnSync("dotnet", ["--version"], { stdio: "ignore" }).status === 0;
}

/** The pinned CLI's path, restored with `dotnet restore` on first use. */
export async function bicepPath() {
  const pkgDir = join(cache, BICEP_PACKAGE.toLowerCase(), BICEP_VERSION);
  const bin = join(pkgDir, "tools", "bicep");
  if (existsSync(bin)) return bin;
  mkdirSync(cache, { recursive: true });
  // A throwaway project whose only job is to make NuGet download the exact package version.
  const proj = mkdtempSync(join(tmpdir(), "vantage-bicep-restore-"));
  writeFileSync(
    join(proj, "restore.csproj"),
    `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>netstandard2.0</TargetFramework></PropertyGroup>
  <ItemGroup><PackageDownload Include="${BICEP_PACKAGE}" Version="[${BICEP_VERSION}]" /></ItemGroup>
</Project>
`,
  );
  try {
    const r = await run("dotnet", ["restore", join(proj, "restore.csproj"), "--packages", cache, "--nologo", "-v", "q"], {
      env: { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1", DOTNET_NOLOGO: "1", DOTNET_SKIP_FIRST_TIME_EXPERIENCE: "1" },
    });
    if (r.code !== 0) throw new Error(`dotnet restore of ${BICEP_PACKAGE} ${BICEP_VERSION} failed (${r.code}): ${(r.stdout + r.stderr).trim()}`);
  } finally {
    rmSync(proj, { recursive: true, force: true });
  }
  if (!existsSync(bin)) throw new Error(`${BICEP_PACKAGE} ${BICEP_VERSION} restored, but ${relative(root, bin)} is missing`);
  chmodSync(bin, 0o755);
  return bin;
}

function bicepFiles(dir) {
  const out = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) out.push(...bicepFiles(p));
    else if (e.name.endsWith(".bicep")) out.push(p);
  }
  return out.sort();
}

/** Runs a process without blocking the event loop (the test runner talks to its workers meanwhile). */
function run(cmd, args, options) {
  return new Promise((resolve) => {
    execFile(cmd, args, { ...options, encoding: "utf8", timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : String(error.code ?? error.signal ?? error.message)) : 0, stdout, stderr });
    });
  });
}

// "path(line,col) : Error rule-or-code: message [link]" — Bicep's default diagnostics format.
const DIAGNOSTIC = /\(\d+,\d+\) : (Error|Warning|Info) /;

/**
 * `bicep build` then `bicep lint` over every file in infra/ (one process each: the CLI's start-up
 * dominates). Returns the CLI version, the files and every diagnostic line; a failed run without a
 * diagnostic line is reported as one too, so nothing fails silently.
 */
export async function checkInfra(dir = join(root, "infra"), { build = true } = {}) {
  const bicep = await bicepPath();
  const version = (await run(bicep, ["--version"], {})).stdout.trim();
  const files = bicepFiles(dir).map((f) => relative(dir, f));
  const outDir = mkdtempSync(join(tmpdir(), "vantage-bicep-out-"));
  const env = { ...process.env, DOTNET_CLI_TELEMETRY_OPTOUT: "1" };
  const diagnostics = [];
  try {
    const runs = [
      ...(build ? [["build", ["build", "--pattern", "**/*.bicep", "--outdir", outDir]]] : []),
      ["lint", ["lint", "--pattern", "**/*.bicep"]],
    ];
    for (const [step, args] of runs) {
      const r = await run(bicep, args, { cwd: dir, env });
      const lines = `${r.stdout}\n${r.stderr}`.split("\n").map((l) => l.trim()).filter(Boolean);
      const found = lines.filter((l) => DIAGNOSTIC.test(l)).map((l) => `${step}: ${l.replace(dir + "/", "")}`);
      diagnostics.push(...found);
      if (r.code !== 0 && found.length === 0) diagnostics.push(`${step}: bicep exited ${r.code}: ${lines.join(" | ") || "no output"}`);
    }
    // The compiled templates exist for every file (build does not stop at the first one).
    for (const f of build ? files : []) {
      const json = join(outDir, f.replace(/\.bicep$/, ".json"));
      if (!existsSync(json)) diagnostics.push(`build: ${f} produced no template`);
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  return { version, files, diagnostics: [...new Set(diagnostics)] };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!hasDotnet()) {
    console.error("infra:check skipped: the `dotnet` SDK is not installed (it restores the pinned Bicep CLI from NuGet)");
    process.exit(3);
  }
  try {
    const r = await checkInfra();
    for (const d of r.diagnostics) console.error(d);
    console.log(`${r.version}: ${r.files.length} files built and linted, ${r.diagnostics.length} diagnostics`);
    process.exit(r.diagnostics.length === 0 ? 0 : 1);
  } catch (e) {
    console.error(`infra:check failed: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}
