import { describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import { vantage } from "../../demo/runtime/cli.js";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd: process.cwd() }, out, err };
}

describe("vantage CLI", () => {
  it("prints help listing every command", async () => {
    const c = capture();
    expect(await vantage(["--help"], c.io)).toBe(0);
    for (const cmd of ["start", "sbom", "scan", "snapshot", "paths", "query", "posture", "feed"]) expect(c.out.join("")).toContain(`vantage ${cmd}`);
    // The product's CLI alone has no demo command: start is added by the demo runtime's entry.
    const product = capture();
    expect(await main(["--help"], product.io)).toBe(0);
    expect(product.out.join("")).not.toContain("vantage start");
    expect(await main(["start"], capture().io)).toBe(2);
  });
  it("rejects an unknown command with exit 2 and one line", async () => {
    const c = capture();
    expect(await vantage(["frobnicate"], c.io)).toBe(2);
    expect(await vantage(["toString"], capture().io)).toBe(2);
    expect(c.err.join("").trim().split("\n")).toHaveLength(1);
  });
});
