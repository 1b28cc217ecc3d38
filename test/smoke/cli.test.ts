import { describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd: process.cwd() }, out, err };
}

describe("vantage CLI", () => {
  it("prints help listing every command", async () => {
    const c = capture();
    expect(await main(["--help"], c.io)).toBe(0);
    for (const cmd of ["start", "sbom", "scan", "snapshot", "paths", "query", "feed"]) expect(c.out.join("")).toContain(`vantage ${cmd}`);
  });
  it("rejects an unknown command with exit 2 and one line", async () => {
    const c = capture();
    expect(await main(["frobnicate"], c.io)).toBe(2);
    expect(c.err.join("").trim().split("\n")).toHaveLength(1);
  });
});
