import { describe, expect, it } from "vitest";
import { compare, parse } from "../../../shared/scanner/versions/go.js";
import { expectLadder, expectPairs, expectTotalOnGarbage } from "./helpers.js";

describe("go (module versions)", () => {
  it("orders releases, prereleases and pseudo-versions", () => {
    expectLadder(compare, [
      ["(devel)", "latest", "v1.0.0-01", "v01.0.0", "v1.2-pre", "v1.2.3.4", ""], // invalid: all equal, lowest
      "v0.0.0-20190101000000-abcdefabcdef",
      "v0.0.0-20210101000000-abcdefabcdef",
      ["v0.1.0", "0.1.0"],
      "v1.0.0-alpha",
      "v1.0.0-alpha.1",
      "v1.0.0-beta",
      "v1.0.0-rc.1",
      ["v1.0.0", "v1", "v1.0", "1.0.0", "v1.0.0+meta"],
      "v1.2.3",
      "v1.2.4-0.20191109021931-daa7c04131f5", // pseudo-version after v1.2.3, before v1.2.4
      "v1.2.4-pre",
      "v1.2.4-pre.0.20200101000000-abcdefabcdef",
      "v1.2.4",
      ["v2.0.0+incompatible", "v2.0.0"],
      "v2.1.0+incompatible",
      "v10.0.0",
    ]);
  });

  it("accepts shorthands only without prerelease/build", () => {
    expect(parse("v1")).toEqual({ major: "1", minor: "0", patch: "0", prerelease: [] });
    expect(parse("v1.2-rc1")).toBeUndefined();
    expect(parse("v1.2+meta")).toBeUndefined();
    expect(parse("v1.2.3-0pre")).toBeDefined();
  });

  it("compares huge numbers exactly", () => {
    expectPairs(compare, [["v1.99999999999999999999.0", "<", "v1.100000000000000000000.0"]]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare);
  });
});
