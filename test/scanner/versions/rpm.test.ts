import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compare, parse, rpmvercmp } from "../../../shared/scanner/versions/rpm.js";
import { requireTool } from "../../support/oracles.js";
import { expectLadder, expectPairs, expectTotalOnGarbage, pick, rng } from "./helpers.js";

/** rpm's own ordering: its embedded Lua `rpm.ver(evr)` objects compare as rpmverCmp does (EVR). */
function referenceCompare(pairs: string[][]): number[] {
  requireTool("rpm");
  const cmp = "local function c(a,b) a=rpm.ver(a) b=rpm.ver(b) if a<b then return -1 elseif a==b then return 0 else return 1 end end";
  const calls = pairs.map(([a, b]) => `o[#o+1]=c('${a}','${b}')`).join(" ");
  const out = execFileSync("rpm", ["--eval", `%{lua: ${cmp} local o={} ${calls} print(table.concat(o,' '))}`], { encoding: "utf8" });
  return out.trim().split(" ").map(Number);
}

describe("rpm (rpmvercmp + EVR)", () => {
  it("parses epoch:version-release, missing epoch = 0", () => {
    expect(parse("1:2.3-4.el9")).toEqual({ epoch: "1", version: "2.3", release: "4.el9" });
    expect(parse("2.3")).toEqual({ epoch: "0", version: "2.3", release: undefined });
    expect(parse(":2.3-1")).toEqual({ epoch: "0", version: "2.3", release: "1" });
  });

  it("implements rpmvercmp's segment rules", () => {
    const rows: [string, "<" | "=" | ">", string][] = [
      ["1.0", "=", "1.0"],
      ["1.0", "<", "2.0"],
      ["2.0.1", "<", "2.0.1a"],
      ["5.5p1", "<", "5.5p10"],
      ["10xyz", "<", "10.1xyz"], // numeric segments beat alphabetic ones
      ["xyz10", "<", "xyz10.1"],
      ["xyz.4", "<", "8"],
      ["1b.fc17", "<", "1.fc17"],
      ["1.0010", ">", "1.9"], // leading zeros ignored
      ["1.05", "=", "1.5"],
      ["1.0", ">", "1"],
      ["2.50", ">", "2.5"],
      ["fc4", "=", "fc.4"],
      ["FC5", "<", "fc4"], // alphabetic segments compare as strcmp
      ["2a", "<", "2.0"],
      ["1.0", ">", "1.fc4"],
      ["3.0.0_fc", "=", "3.0.0.fc"],
      ["2_0", "=", "2.0"], // separators only delimit
      ["+a", "=", "_a"],
      ["+_", "=", "_+"],
      // tilde: before everything, even the end
      ["1.0~rc1", "<", "1.0"],
      ["1.0~rc1", "<", "1.0~rc2"],
      ["1.0~rc1~git123", "<", "1.0~rc1"],
      ["1.0~", "<", "1.0"],
      // caret: after the end, before anything else
      ["1.0^", ">", "1.0"],
      ["1.0^git1", ">", "1.0"],
      ["1.0^git1", "<", "1.01"],
      ["1.0^20160101", "<", "1.0.1"],
      ["1.0^20160101^git1", ">", "1.0^20160101"],
      ["1.0~rc1^git1", ">", "1.0~rc1"],
      ["1.0^git1~pre", "<", "1.0^git1"],
      ["1.0^git1", "<", "1.0^git2"],
    ];
    expectPairs(rpmvercmp, rows);
  });

  it("compares epoch, then version, then release only when both have one", () => {
    expectPairs(compare, [
      ["1:1.0", ">", "2.0"],
      ["0:1.0", "=", "1.0"],
      ["1.0-1", "<", "1.0-2"],
      ["1.0", "=", "1.0-5"],
      ["1.0-1.el9", "<", "1.0-1.el9_1"],
      ["2.36-9.cm2", "<", "2.36-10.cm2"],
      ["3.0.7-27.el9", "<", "1:3.0.7-24.el9"],
      ["2.9.13-6.el9_4", ">", "2.9.13-6.el9"],
      ["1.1.1k-12.el8_9", "<", "1.1.1l-1.el8"],
      ["7.76.1-29.el9_4.1", "<", "7.76.1-29.el9_4.2"],
    ]);
  });

  it("sorts a package history", () => {
    expectLadder(compare, [
      "0.9-1",
      "1.0~beta1-1",
      "1.0~rc1-1",
      "1.0-1",
      "1.0-1.el9",
      "1.0-1.el9_1",
      "1.0-2",
      "1.0^20240101git1-1",
      "1.0.1-1",
      "1.0.1a-1",
      "1.1-1",
      "1:0.1-1",
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare);
  });

  it("matches rpm's own comparison on generated versions", () => {
    const random = rng(4242);
    const piece = () => pick(random, ["0", "1", "2", "10", "010", "a", "b", "Z", "rc", ".", ".", "_", "~", "^", "+"]);
    const plain = () => pick(random, ["0", "1", "2"]) + Array.from({ length: Math.floor(random() * 5) }, piece).join("");
    const pairs = Array.from({ length: 200 }, () => {
      const withEvr = random() < 0.5;
      const a = plain();
      const b = random() < 0.5 ? a + piece() : plain();
      // Both sides carry a release or neither does, so the tools agree on what to compare.
      return withEvr ? [`${pick(random, ["", "1:"])}${a}-${plain()}`, `${pick(random, ["", "1:"])}${b}-${plain()}`] : [a, b];
    });
    const tool = referenceCompare(pairs);
    expect(tool.length).toBe(pairs.length);
    const mismatches = pairs.map(([a, b], i) => ({ a: a!, b: b!, tool: tool[i], ours: compare(a!, b!) })).filter((r) => r.tool !== r.ours);
    expect(mismatches).toEqual([]);
  });
});
