// dir: on live hosts: unreadable directories, --skip-dirs globs and virtual filesystems.
import { opendirSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { globToRegExp, virtualMountsUnder } from "../../../shared/scanner/image/sources/skip-dirs.js";
import { main } from "../../../shared/cli/main.js";
import { dpkgStatus, testAssemble, TEST_CATALOGERS } from "./helpers.js";

/** True where opening succeeds but listing fails (no CAP_SYS_ADMIN: every unprivileged container). */
function listingFails(path: string): boolean {
  let dir;
  try {
    dir = opendirSync(path);
  } catch {
    return false;
  }
  try {
    while (dir.readSync()) {
      /* drain */
    }
    return false;
  } catch {
    return true;
  } finally {
    try {
      dir.closeSync();
    } catch {
      /* already closed */
    }
  }
}

const opts = { catalogers: TEST_CATALOGERS, assemble: testAssemble };
let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-dirwalk-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

// A real mount table shape (Debian 12 host, container with its own /proc and cgroup2).
const MOUNTINFO = [
  "21 26 0:20 / /proc rw,relatime - proc proc rw",
  "22 26 0:21 / /sys rw,relatime - sysfs sysfs rw",
  "23 26 0:6 / /dev rw,relatime - devtmpfs devtmpfs rw,size=12334808k,nr_inodes=3083702,mode=755",
  "24 23 0:22 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=24683748k",
  "30 22 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw",
  "31 26 8:1 / /srv/root rw,relatime - ext4 /dev/sda1 rw",
  "32 31 0:27 / /srv/root/proc rw,relatime - proc proc rw",
  "33 26 0:28 / /mnt/with\\040space rw - proc proc rw",
].join("\n");

describe("virtual filesystems", () => {
  it("finds proc/sysfs/devtmpfs/cgroup mounts below the root, not tmpfs or disks", () => {
    expect(virtualMountsUnder(MOUNTINFO, "/")).toEqual(["dev", "mnt/with space", "proc", "srv/root/proc", "sys", "sys/fs/cgroup"]);
    expect(virtualMountsUnder(MOUNTINFO, "/srv/root")).toEqual(["proc"]);
    expect(virtualMountsUnder(MOUNTINFO, "/srv")).toEqual(["root/proc"]);
  });

  it("a walk of a root leaves a proc mount below it out by default, and reads it when asked", async () => {
    const root = join(tmp, "host");
    await mkdir(join(root, "var/lib/dpkg"), { recursive: true });
    await mkdir(join(root, "proc/var/lib/dpkg"), { recursive: true });
    await writeFile(join(root, "var/lib/dpkg/status"), dpkgStatus([["bash", "5.2"]]));
    await writeFile(join(root, "proc/var/lib/dpkg/status"), dpkgStatus([["ghost", "1"]]));
    const mountinfo = `40 26 0:50 / ${root}/proc rw - proc proc rw\n`;
    const { walkDirectory } = await import("../../../shared/scanner/image/sources/dir.js");
    const { resolveLimits } = await import("../../../shared/scanner/image/limits.js");
    const anyStatus = [{ ...TEST_CATALOGERS[1]!, matches: (path: string) => path.endsWith("dpkg/status") }];
    const skipped = await walkDirectory(root, anyStatus, resolveLimits(), { mountinfo });
    expect(skipped.files.map((f) => f.path)).toEqual(["var/lib/dpkg/status"]);
    const all = await walkDirectory(root, anyStatus, resolveLimits(), { mountinfo, skipVirtual: false });
    expect(all.files.map((f) => f.path)).toEqual(["proc/var/lib/dpkg/status", "var/lib/dpkg/status"]);
  });
});

describe("--skip-dirs", () => {
  it("globs: * stays in one directory, ** crosses them", () => {
    expect(globToRegExp("proc").test("proc")).toBe(true);
    expect(globToRegExp("proc").test("proc/1")).toBe(false);
    expect(globToRegExp("/home/*/.cache").test("home/ann/.cache")).toBe(true);
    expect(globToRegExp("home/*/.cache").test("home/ann/x/.cache")).toBe(false);
    expect(globToRegExp("**/node_modules").test("srv/app/node_modules")).toBe(true);
    expect(globToRegExp("**/node_modules").test("node_modules")).toBe(true);
    expect(globToRegExp("srv/app?").test("srv/app2")).toBe(true);
    expect(globToRegExp("a.b").test("aXb")).toBe(false);
  });

  it("sbom dir: leaves the matching directories out", async () => {
    const root = join(tmp, "skip");
    for (const d of ["var/lib/dpkg", "backup/var/lib/dpkg", "srv/a/snap/var/lib/dpkg"]) {
      await mkdir(join(root, d), { recursive: true });
      await writeFile(join(root, d, "status"), dpkgStatus([[d.split("/")[0]!, "1"]]));
    }
    const sbom = await catalogTarget(`dir:${root}`, { ...opts, skipDirs: ["backup", "**/snap"] });
    expect(sbom.packages.map((p) => p.name)).toEqual(["var"]);
    const out: string[] = [];
    const io = { stdout: (t: string) => out.push(t), stderr: () => {}, isTTY: false, cwd: root };
    expect(await main(["sbom", "dir:.", "--format", "json", "--skip-dirs", "backup,srv/*/snap"], io)).toBe(0);
    expect((JSON.parse(out.join("")) as { packages: { locations: string[] }[] }).packages.map((p) => p.locations[0])).toEqual(["var/lib/dpkg/status"]);
  });
});

describe("unreadable entries", () => {
  // /proc/<pid>/map_files opens but cannot be listed (EACCES) even by root: the walk used to end there.
  it.runIf(listingFails("/proc/1/map_files"))("a walk through /proc/1 survives a directory that fails while listing, naming it", async () => {
    const sbom = await catalogTarget("dir:/proc/1", { ...opts, skipVirtualFilesystems: false, skipDirs: ["task", "fd", "fdinfo", "net", "ns"] });
    expect(sbom.warnings.some((w) => /map_files: EACCES/.test(w))).toBe(true);
  });
});

describe("streaming scans on disk", () => {
  it("a scan that keeps asking for the same bytes is stopped with a warning, not read forever", async () => {
    const root = join(tmp, "looping");
    await mkdir(join(root, "bin"), { recursive: true });
    await writeFile(join(root, "bin/tool"), Buffer.alloc(600 * 1024, 1), { mode: 0o755 });
    let writes = 0;
    const looping = {
      name: "looping",
      matches: (path: string) => path === "bin/tool",
      parse: () => ({ packages: [] }),
      scan: () => ({ want: () => 0, write: () => void writes++, end: () => ({ packages: [] }) }),
    };
    const sbom = await catalogTarget(`dir:${root}`, { catalogers: [looping] });
    // 3 blocks of 256 KiB: at most 4 reads per block plus a small allowance.
    expect(writes).toBe(4 * 3 + 64);
    expect(sbom.warnings).toContainEqual(expect.stringMatching(/^bin\/tool: scan stopped after 76 reads without finishing/));
  });
});
