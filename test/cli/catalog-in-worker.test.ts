// `vantage sbom` and `vantage scan` catalog in a pool worker, as the app does: same SBOM as on the
// CLI's own thread (VANTAGE_POOL=inline), progress printed from the worker's events, relative
// targets resolved against the CLI's cwd, and a bad target still a one-line exit 2.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage, writeOciLayout } from "../../demo/runtime/images/index.js";
import { main } from "../../shared/cli/main.js";
import { poolSettingsFromEnv } from "../../shared/isolation/pool.js";

function capture(cwd: string, isTTY = false) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY, cwd }, out: () => out.join(""), err: () => err.join("") };
}

let tmp: string;

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-cli-worker-"));
  const image = await buildImage([
    { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }, { path: "var/lib/dpkg/status", content: "Package: zlib1g\nStatus: install ok installed\nVersion: 1:1.2.13.dfsg-1\nArchitecture: amd64\n\n" }] },
    { files: [{ path: "app/node_modules/left-pad/package.json", content: JSON.stringify({ name: "left-pad", version: "1.3.0" }) }] },
  ]);
  await mkdir(join(tmp, "work"));
  await writeOciLayout(join(tmp, "work", "img"), [{ image }]);
  await writeFile(join(tmp, "work", "not-a-layout"), "x");
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function withPool<T>(mode: string | undefined, fn: () => Promise<T>): Promise<T> {
  const before = process.env.VANTAGE_POOL;
  if (mode === undefined) delete process.env.VANTAGE_POOL;
  else process.env.VANTAGE_POOL = mode;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.VANTAGE_POOL;
    else process.env.VANTAGE_POOL = before;
  }
}

const packagesOf = (json: string) => (JSON.parse(json) as { packages: { purl?: string; name: string; version: string }[] }).packages.map((p) => p.purl ?? `${p.name}@${p.version}`).sort();

describe("the CLI catalogs in a pool worker", () => {
  it("gives the same SBOM as on its own thread, for a target relative to its cwd", async () => {
    const cwd = join(tmp, "work");
    const worker = capture(cwd);
    expect(await withPool(undefined, () => main(["sbom", "oci:img", "--format", "json"], worker.io))).toBe(0);
    const inline = capture(cwd);
    expect(await withPool("inline", () => main(["sbom", "oci:img", "--format", "json"], inline.io))).toBe(0);
    const pkgs = packagesOf(worker.out());
    expect(pkgs.some((p) => p.includes("zlib1g"))).toBe(true);
    expect(pkgs.some((p) => p.includes("left-pad"))).toBe(true);
    expect(pkgs).toEqual(packagesOf(inline.out()));
  });

  it("prints per-layer progress on a terminal, sent from the worker", async () => {
    const c = capture(join(tmp, "work"), true);
    expect(await withPool(undefined, () => main(["sbom", "oci:img", "--format", "json"], c.io))).toBe(0);
    expect(c.err()).toMatch(/layer 1\/2 sha256:/);
    expect(c.err()).toMatch(/layer 2\/2 sha256:/);
  });

  it("scan catalogs the same way and matches on this thread", async () => {
    const c = capture(join(tmp, "work"));
    expect(await withPool(undefined, () => main(["scan", "oci:img", "--format", "json"], c.io))).toBe(0);
    expect((JSON.parse(c.out()) as { packages: number }).packages).toBe(2);
  });

  it("a target that is not an image is one line and exit 2, as before", async () => {
    const c = capture(join(tmp, "work"));
    expect(await withPool(undefined, () => main(["sbom", "oci:not-a-layout"], c.io))).toBe(2);
    expect(c.err().trim().split("\n")).toHaveLength(1);
    expect(c.err()).toMatch(/oci:not-a-layout/);
  });
});

describe("VANTAGE_TASK_INITIAL_HEAP_MB", () => {
  it("defaults to 64 MB, is capped by the heap limit and refuses nonsense", () => {
    expect(poolSettingsFromEnv({}).initialHeapMb).toBe(64);
    expect(poolSettingsFromEnv({ VANTAGE_TASK_INITIAL_HEAP_MB: "128" }).initialHeapMb).toBe(128);
    expect(poolSettingsFromEnv({ VANTAGE_TASK_HEAP_MB: "48" }).initialHeapMb).toBe(48);
    expect(() => poolSettingsFromEnv({ VANTAGE_TASK_INITIAL_HEAP_MB: "lots" })).toThrow(/VANTAGE_TASK_INITIAL_HEAP_MB must be a positive number/);
  });
});
