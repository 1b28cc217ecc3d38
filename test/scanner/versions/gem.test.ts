import { describe, expect, it } from "vitest";
import { canonicalSegments, compare } from "../../../shared/scanner/versions/gem.js";
import { expectLadder, expectPairs, expectTotalOnGarbage } from "./helpers.js";

describe("gem (Gem::Version)", () => {
  it("splits segments on dots and letter/digit boundaries, dropping trailing zeros per part", () => {
    expect(canonicalSegments("1.0.0.rc1")).toEqual(["1", "rc", "1"]);
    expect(canonicalSegments("1.a.0")).toEqual(["1", "a"]);
    expect(canonicalSegments("2.0.0-beta")).toEqual(["2", "pre", "beta"]);
    expect(canonicalSegments("")).toEqual([]);
  });

  it("orders prereleases below releases", () => {
    expectLadder(compare, [
      "0.0.0.a",
      ["0", "", "0.0", " 0 "],
      "1.0.A",
      "1.0.a",
      ["1.0.a.2", "1.a.2"],
      "1.0.b1",
      "1.0.pre",
      "1.0.rc",
      ["1.0.rc1", "1.0.0.rc1", "1.rc.1"],
      ["1", "1.0", "1.0.0"],
      "1.0.1",
      "1.2.0.beta2",
      "1.2.0.rc1",
      "1.2.0",
      "1.9.3",
      "1.9.3.1",
      "1.10",
    ]);
  });

  it("agrees with RubyGems on field cases", () => {
    expectPairs(compare, [
      ["7.0.8", "<", "7.0.8.1"],
      ["7.1.0.rc1", "<", "7.1.0"],
      ["5.a", "<", "5.0.0.rc2"],
      ["1.0.0-beta", ">", "1.0.0.beta"], // "-" reads as ".pre."
      ["1.14.0", ">", "1.9.0"],
      ["2.0.0.pre.1", "<", "2.0.0"],
      ["1.0.0.a10", ">", "1.0.0.a9"],
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["1 0", "a b", "1..0"]);
  });
});
