import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";
import { compare } from "../../../shared/scanner/versions/maven.js";
import { requireTool } from "../../support/oracles.js";
import { expectLadder, expectPairs, expectTotalOnGarbage, pick, rng } from "./helpers.js";


describe("maven (ComparableVersion)", () => {
  it("orders the qualifier ladder", () => {
    expectLadder(compare, [
      "NotAVersionString",
      "1.0a1-SNAPSHOT",
      ["1.0-alpha1", "1.0-a1", "1.0a1", "1.0ALPHA1", "1.0-Alpha-1", "1.0.0-alpha-1"],
      "1.0beta1-SNAPSHOT",
      ["1.0-b2", "1.0-beta2", "1.0BETA2"],
      "1.0-beta3.SNAPSHOT",
      "1.0-beta3",
      "1.0-milestone1-SNAPSHOT",
      ["1.0-m2", "1.0-milestone2", "1.0M2"],
      "1.0-rc1-SNAPSHOT",
      ["1.0-cr1", "1.0-rc1", "1.0-RC1", "1.0.0-rc-1"],
      "1.0-SNAPSHOT",
      ["1.0", "1", "1.0.0", "1-ga", "1-final", "1.0-RELEASE", "1-", "1.", "1.0.0-0.0.0", "1.ga"],
      "1.0-sp",
      "1.0-a", // "a" not followed by a digit is an unknown qualifier
      "1.0-whatever",
      "1.0.z",
      "1.0.1",
      "1.0.1.0.0.0.0.0.0.0.0.0.0.0.1",
      "1.1",
      "2",
    ]);
  });

  it("applies the dash/dot/transition rules", () => {
    expectPairs(compare, [
      ["1.0.0.RC1", "<", "1.0.0-RC2"], // .X is read as -X
      ["2-abc", "=", "2.0.abc"],
      ["2-abc", "=", "2.0.0.abc"],
      ["1-1", "<", "1.1"], // -number < .number
      ["1-sp", "<", "1-1"],
      ["1-foo2", "<", "1-foo10"], // numbers after a qualifier compare numerically
      ["1.0.0-foo.0.0", "=", "1-foo"],
      // The pom.html spec claims 1-sp-1 > 1-ga-1 = 1-1; Maven itself (checked against
      // maven-artifact 3.8.7/3.9) nests "ga-1" one list deeper and orders them this way:
      ["1-sp-1", "<", "1-ga-1"],
      ["1-ga-1", "<", "1-1"],
      ["1-a1", "=", "1-alpha-1"],
      ["2.17.1", ">", "2.17.0"],
      ["2.15.0-rc2", "<", "2.15.0"],
      ["5.3.18", ">", "5.3.9"],
      ["9.4.1.jre16-preview", ">", "9.4.1.jre16"], // unknown qualifier after a hyphen: newer
      ["1.0-alpha-10", ">", "1.0-alpha-9"],
      ["1.0.99999999999999999999", "<", "1.0.100000000000000000000"],
      ["20030203.000129", ">", "20030203"],
      ["1-constructor", "<", "1-d"], // qualifier names are data, not object keys
      ["1-constructor1", "=", "1-constructor-1"],
      // Maven's own cycle (it is not transitive); reproduced, not repaired:
      ["0", "<", "a"],
      ["a", "<", "0alpha-"],
      ["0alpha-", "<", "0"],
    ]);
  });

  it("never throws", () => {
    expectTotalOnGarbage(compare, ["--", "..", "-.-", ".-."]);
  });

  it("matches Maven's own ComparableVersion on generated versions", () => {
    // Debian's libmaven3-core-java ships maven-artifact, whose ComparableVersion has a comparing main().
    const artifact = requireTool("maven-artifact");
    const java = requireTool("java");
    const random = rng(3);
    const token = () => pick(random, ["0", "1", "2", "10", "00", "a", "b", "m", "alpha", "beta", "rc", "cr", "snapshot", "ga", "final", "release", "sp", "foo", "x", "redhat", ""]);
    const sep = () => pick(random, [".", "-", "", "."]);
    const version = () => {
      let s = pick(random, ["1", "0", "2", "1.0"]);
      const n = Math.floor(random() * 5);
      for (let i = 0; i < n; i++) s += sep() + token();
      return s;
    };
    const versions = Array.from({ length: 500 }, version).filter((v) => v.length > 0);
    const out = execFileSync(java, ["-cp", artifact, "org.apache.maven.artifact.versioning.ComparableVersion", ...versions], {
      encoding: "utf8",
    });
    // Lines "   A op B" compare consecutive arguments, in order.
    const ops = out
      .split("\n")
      .filter((l) => l.startsWith("   "))
      .map((l, i) => l.slice(3 + versions[i]!.length + 1).split(" ")[0]);
    expect(ops.length).toBe(versions.length - 1);
    const mismatches = ops
      .map((op, i) => ({ a: versions[i]!, b: versions[i + 1]!, maven: op === "<" ? -1 : op === ">" ? 1 : 0, ours: compare(versions[i]!, versions[i + 1]!) }))
      .filter((r) => r.maven !== r.ours);
    expect(mismatches).toEqual([]);
  });
});
