import { describe, expect, it } from "vitest";
import { compare, parse } from "../../../shared/scanner/versions/nuget.js";
import { expectLadder, expectPairs, expectTotalOnGarbage } from "./helpers.js";

describe("nuget (NuGet.Versioning)", () => {
  it("orders releases, 4-part versions and prerelease labels", () => {
    expectLadder(compare, [
      "1.0.0.0.0", // invalid: placed first, among themselves by code unit
      "not a version",
      "0.9",
      "1.0.0-1",
      "1.0.0-alpha",
      ["1.0.0-alpha.1", "1.0.0-ALPHA.1", "1.0.0-Alpha.1+build"],
      "1.0.0-alpha.2",
      "1.0.0-alpha.10",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-rc.1",
      ["1.0", "1.0.0", "1.0.0.0", "1", "1.0.0+meta", "01.0"],
      "1.0.0.1",
      "1.0.1",
      "1.10",
    ]);
  });

  it("parses up to four numeric parts", () => {
    expect(parse("1.2.3.4-rc.1+sha")).toEqual({ parts: ["1", "2", "3", "4"], labels: ["rc", "1"] });
    expect(parse("1.2")).toEqual({ parts: ["1", "2", "0", "0"], labels: [] });
    expect(parse("1.0.0-01")).toBeUndefined(); // SemVer 2 forbids leading zeros in numeric labels
    expect(parse("1.0.0-")).toBeUndefined();
    expect(parse("v1.0.0")).toBeUndefined();
  });

  it("agrees with NuGet on field cases", () => {
    expectPairs(compare, [
      ["13.0.1", "<", "13.0.3"],
      ["6.0.0-preview.7.21377.19", "<", "6.0.0-rc.1.21451.13"],
      ["6.0.0-rc.1.21451.13", "<", "6.0.0"],
      ["4.7.2", ">", "4.7.1.0"],
      ["1.0.0-beta.2", "=", "1.0.0-BETA.2"],
      ["1.0.0-a-b", "<", "1.0.0-a-c"],
      ["1.0.0-2147483648", ">", "1.0.0-999"], // beyond Int32 a label is text, and text sorts after numbers
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["1.0.0-a..b", "99999999999.0"]);
  });
});
