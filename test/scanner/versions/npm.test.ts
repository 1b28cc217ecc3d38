import semver from "semver";
import { describe, expect, it } from "vitest";
import { compare } from "../../../shared/scanner/versions/npm.js";
import { expectLadder, expectPairs, expectTotalOnGarbage, pick, rng } from "./helpers.js";

describe("semver (npm)", () => {
  it("orders the SemVer 2.0.0 precedence example", () => {
    expectLadder(compare, [
      "1.0.0-alpha",
      "1.0.0-alpha.1",
      "1.0.0-alpha.beta",
      "1.0.0-beta",
      "1.0.0-beta.2",
      "1.0.0-beta.11",
      "1.0.0-rc.1",
      ["1.0.0", "v1.0.0", "=1.0.0", "1.0.0+build.5", "1.0.0+001", " 1.0.0 "],
      "1.0.1",
      "1.1.0",
      "2.0.0",
      "10.0.0",
    ]);
  });

  it("places strings node-semver rejects sensibly", () => {
    expectLadder(compare, [
      "latest", // no leading number: before every version, among themselves by code unit
      "not-a-version",
      "0.0.0-0",
      "1.2.0-beta",
      ["1.2", "1.2.0", "1.2.0.0", "v1.2"],
      "1.2.3-rc.1",
      "1.2.3",
      "1.2.3.1",
      "1.2.3.4-beta",
      "1.2.3.4",
      "1.2.4",
    ]);
  });

  it("agrees with field cases", () => {
    expectPairs(compare, [
      ["latest", "<", "not-a-version"],
      ["1.2.3beta", "=", "1.2.3-beta"], // loose parsing
      ["4.17.20", "<", "4.17.21"],
      ["0.0.0-20200101", "<", "0.0.1"],
      ["2.0.0-rc.1", "<", "2.0.0"],
      ["1.0.0-alpha.10", ">", "1.0.0-alpha.9"],
      ["1.0.0-alpha.a", ">", "1.0.0-alpha.10"],
      ["1.2.3.4", "<", "1.2.4-0"],
    ]);
  });

  it("matches node-semver on every generated valid pair", () => {
    const random = rng(7);
    const part = () => pick(random, ["0", "1", "2", "10"]);
    const pre = () => pick(random, ["", "-alpha", "-alpha.1", "-beta", "-0", "-1", "-rc.1", "-rc.10", "-a.b.c", "-x-y"]);
    const v = () => `${part()}.${part()}.${part()}${pre()}${random() < 0.2 ? "+build" : ""}`;
    for (let i = 0; i < 500; i++) {
      const a = v();
      const b = v();
      expect(compare(a, b), `${a} vs ${b}`).toBe(semver.compare(a, b));
    }
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["1.2.3-", "1.2.3-..", "v", "x".repeat(300), `1.${"0".repeat(300)}`]);
  });
});
