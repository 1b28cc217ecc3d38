// bin/vantage.cjs, the installed `vantage` command: a CommonJS launcher (so it can size libuv's
// thread pool before first use) that loads the compiled CLI from dist/ and passes its exit code on.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const LAUNCHER = fileURLToPath(new URL("../../bin/vantage.cjs", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "vantage-launcher-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const env = { ...process.env };
delete env.UV_THREADPOOL_SIZE;
const run = (args: string[]) => spawnSync(process.execPath, [LAUNCHER, ...args], { encoding: "utf8", timeout: 60_000, env });

describe("the vantage launcher", () => {
  it("runs a command through the compiled CLI in its pool worker", () => {
    mkdirSync(join(root, "var/lib/dpkg"), { recursive: true });
    mkdirSync(join(root, "etc"));
    writeFileSync(join(root, "etc/os-release"), "ID=debian\nVERSION_ID=12\n");
    writeFileSync(join(root, "var/lib/dpkg/status"), "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n\n");
    const r = run(["sbom", `dir:${root}`, "--format", "json"]);
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).packages.map((p: { name: string; version: string }) => `${p.name} ${p.version}`)).toEqual(["zlib1g 1:1.2.13.dfsg-1"]);
  });

  it("passes the CLI's exit code and one-line error on", () => {
    const r = run(["sbom", "nope:x"]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
  });
});
