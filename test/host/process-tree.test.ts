// A host killed with SIGKILL leaves nothing running: Azurite and the registry run under watchdogs
// that take their process groups down when the host's pipe closes; temp folders of dead hosts are
// removed at the next start.
import { execFileSync, spawn } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { describe, expect, it } from "vitest";
import { packageRoot } from "../../shared/package-root.js";
import { removeStaleTempDirs } from "../../shared/host/children.js";
import { registryAvailable } from "../../demo/runtime/registry/distribution.js";

const root = packageRoot();

function groupMembers(pgid: number): number[] {
  try {
    return execFileSync("ps", ["-o", "pid=", "-g", String(pgid)], { encoding: "utf8" })
      .split("\n")
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when nothing matches
  }
}

describe("clean process tree", () => {
  it("kills Azurite and the registry when the host is SIGKILLed", async () => {
    const withRegistry = registryAvailable();
    const script = `
      const { startAzurite } = await import(${JSON.stringify(join(root, "dist/shared/host/azurite.js"))});
      const a = await startAzurite();
      let r;
      if (${withRegistry}) r = await (await import(${JSON.stringify(join(root, "dist/demo/runtime/registry/distribution.js"))})).startRegistry();
      console.log(JSON.stringify({ ready: true, registry: Boolean(r) }));
      setInterval(() => {}, 1000);
    `;
    const host = spawn(process.execPath, ["--input-type=module", "-e", script], { stdio: ["ignore", "pipe", "inherit"] });
    const line = await new Promise<string>((resolve, reject) => {
      createInterface({ input: host.stdout! }).once("line", resolve);
      host.once("exit", (code) => reject(new Error(`host exited early (${code})`)));
    });
    expect(JSON.parse(line)).toMatchObject({ ready: true, registry: withRegistry });
    // The watchdogs are the host's children; each leads a group holding its service.
    const watchdogs = execFileSync("ps", ["-o", "pid=", "--ppid", String(host.pid)], { encoding: "utf8" })
      .split("\n")
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
    expect(watchdogs).toHaveLength(withRegistry ? 2 : 1);
    for (const w of watchdogs) expect(groupMembers(w).length).toBeGreaterThanOrEqual(2); // watchdog + service

    host.kill("SIGKILL");
    const deadline = Date.now() + 15_000;
    let left = watchdogs.flatMap(groupMembers);
    while (left.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      left = watchdogs.flatMap(groupMembers);
    }
    expect(left).toEqual([]);
  });

  it("removes temp folders of hosts that are no longer running, keeps live ones", async () => {
    const base = join(tmpdir(), `vantage-tree-test-${process.pid}`);
    mkdirSync(base, { recursive: true });
    // A pid that cannot be running (above pid_max) and ours.
    const dead = join(base, "vantage-registry-4194999-abc");
    const live = join(base, `vantage-registry-${process.pid}-abc`);
    mkdirSync(dead);
    mkdirSync(live);
    expect(await removeStaleTempDirs(base)).toEqual(["vantage-registry-4194999-abc"]);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});
