#!/usr/bin/env node
// `pretest`: the suite runs against real tools — Debian's Distribution registry, Chromium, Info-ZIP's
// unzip (the deployment package), and
// the reference implementations the version-ordering and cataloger tests compare against (dpkg,
// rpm, Python `packaging`, Maven's ComparableVersion, Go). Install the missing ones (as root), or
// say exactly what to run. The list lives in system-deps.json, which the tests read too.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";

const { tools } = JSON.parse(readFileSync(new URL("./system-deps.json", import.meta.url), "utf8"));
const missing = [...new Set(Object.values(tools).filter((t) => !existsSync(t.path)).map((t) => t.package))];
if (missing.length === 0) process.exit(0);

const command = `apt-get update && apt-get install -y --no-install-recommends ${missing.join(" ")}`;
if (typeof process.getuid === "function" && process.getuid() !== 0) {
  console.error(`vantage tests need Debian packages: ${missing.join(", ")}.\nRun as root: ${command}`);
  process.exit(1);
}
console.error(`installing ${missing.join(", ")} …`);
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
const update = spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
if (update.status !== 0) console.error("apt-get update failed; trying the install with the current package lists");
execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...missing], { stdio: "inherit", env });
