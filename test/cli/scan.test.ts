import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import { DEMO_FEED, demoImages, materialize } from "../scanner/match/demo-images.js";

function capture(cwd = process.cwd()) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd }, out: () => out.join(""), err: () => err.join("") };
}

const dirs: { dir: string; cleanup: () => void }[] = [];
let storefront: string;
let catalog: string;
const work = mkdtempSync(join(tmpdir(), "vantage-cli-"));

beforeAll(() => {
  const images = demoImages();
  dirs.push(materialize(images.storefront!), materialize(images.catalog!));
  storefront = `dir:${dirs[0]!.dir}`;
  catalog = `dir:${dirs[1]!.dir}`;
});
afterAll(() => {
  for (const d of dirs) d.cleanup();
  rmSync(work, { recursive: true, force: true });
});

describe("vantage scan", () => {
  it("uses the bundled demo feed by default and prints §4b JSON", async () => {
    const c = capture();
    expect(await main(["scan", storefront, "--format", "json"], c.io)).toBe(0);
    const doc = JSON.parse(c.out());
    expect(doc.target).toBe(storefront);
    expect(doc.artifact.os).toEqual({ family: "debian", version: "12" });
    expect(doc.findings.some((f: { severity: string; exploitability: { knownExploited: boolean } }) => f.severity === "critical" && f.exploitability.knownExploited)).toBe(true);
  });

  it("--fail-on exits 1 only when a finding is at or above the threshold", async () => {
    expect(await main(["scan", storefront, "--fail-on", "critical", "--format", "sarif"], capture().io)).toBe(1);
    expect(await main(["scan", storefront, "--fail-on", "HIGH", "--format", "sarif"], capture().io)).toBe(1);
    expect(await main(["scan", catalog, "--fail-on", "low"], capture().io)).toBe(0);
    expect(await main(["scan", storefront], capture().io)).toBe(0); // no --fail-on: never 1
  });

  it("accepts --feed DIR and each format", async () => {
    for (const format of ["table", "sarif", "cyclonedx-json"]) {
      const c = capture();
      expect(await main(["scan", catalog, "--feed", DEMO_FEED, "--format", format], c.io)).toBe(0);
      expect(c.out().length).toBeGreaterThan(20);
    }
  });

  it("bad input exits 2 with one line", async () => {
    const cases = [
      ["scan", catalog, "--fail-on", "severe"],
      ["scan", catalog, "--feed", join(work, "nope")],
      ["scan", catalog, "--format", "xml"],
      ["scan"],
      ["scan", catalog, "--bogus"],
    ];
    for (const args of cases) {
      const c = capture();
      expect(await main(args, c.io), args.join(" ")).toBe(2);
      expect(c.err().trim().split("\n"), args.join(" ")).toHaveLength(1);
    }
  });
});

describe("vantage feed update", () => {
  it("--from DIR writes .vantage/feed/index.json under cwd, which scan --feed can read", async () => {
    const c = capture(work);
    expect(await main(["feed", "update", "--from", DEMO_FEED], c.io)).toBe(0);
    const file = join(work, ".vantage", "feed", "index.json");
    expect(existsSync(file)).toBe(true);
    expect(c.out()).toMatch(/advisories/);
    const index = JSON.parse(await readFile(file, "utf8"));
    expect(index.schema).toBe(1);
    const s = capture();
    expect(await main(["scan", storefront, "--feed", join(work, ".vantage", "feed"), "--fail-on", "critical"], s.io)).toBe(1);
  });

  it("rejects a bad source directory or subcommand, keeping the current index", async () => {
    const file = join(work, ".vantage", "feed", "index.json");
    const before = existsSync(file) ? await readFile(file, "utf8") : undefined;
    expect(await main(["feed", "update", "--from", join(work, "missing")], capture(work).io)).toBe(2);
    expect(await main(["feed", "refresh"], capture(work).io)).toBe(2);
    if (before !== undefined) expect(await readFile(file, "utf8")).toBe(before);
  });

  it("online update fails cleanly (exit 1) when the sources are unreachable", async () => {
    const saved = { ...process.env };
    process.env.VANTAGE_FEED_OSV_URLS = "http://127.0.0.1:9/none.zip";
    process.env.VANTAGE_FEED_KEV_URL = "";
    process.env.VANTAGE_FEED_EPSS_URL = "";
    try {
      const c = capture(work);
      expect(await main(["feed", "update"], c.io)).toBe(1);
      expect(c.err()).toMatch(/update failed/);
    } finally {
      process.env = saved;
    }
  });
});
