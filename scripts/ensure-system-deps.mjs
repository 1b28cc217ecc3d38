#!/usr/bin/env node
// `pretest`: the suite runs against Debian's real Distribution registry, drives Debian's
// Chromium and unpacks the deployment zip with Info-ZIP's unzip. Install them when missing (as
// root), or say exactly what to run.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const needed = [
  { bin: "/usr/bin/docker-registry", pkg: "docker-registry" },
  { bin: "/usr/bin/chromium", pkg: "chromium" },
  // The deployment-package test unpacks the zip with an independent reader.
  { bin: "/usr/bin/unzip", pkg: "unzip" },
];
const missing = needed.filter((n) => !existsSync(n.bin)).map((n) => n.pkg);
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
