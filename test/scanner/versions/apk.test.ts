import { describe, expect, it } from "vitest";
import { compare, isValid } from "../../../shared/scanner/versions/apk.js";
import { expectLadder, expectPairs, expectTotalOnGarbage } from "./helpers.js";

describe("apk (apk-tools ordering)", () => {
  it("orders suffixes: pre-releases < release < post-release suffixes", () => {
    expectLadder(compare, [
      "1.0_alpha",
      "1.0_alpha1",
      "1.0_alpha2",
      "1.0_beta",
      "1.0_beta1",
      "1.0_pre1",
      "1.0_rc",
      "1.0_rc1",
      "1.0_rc1-r1",
      "1.0",
      "1.0-r0",
      "1.0-r1",
      "1.0-r10",
      "1.0_cvs",
      "1.0_svn",
      "1.0_git20240101",
      "1.0_hg",
      "1.0_p1",
      "1.0_p2",
      "1.0a",
      "1.0b",
      "1.0.1_rc1",
      "1.0.1",
      "1.1",
      "1.2",
      "1.10",
      "2",
    ]);
  });

  it("agrees with apk on field cases", () => {
    expectPairs(compare, [
      ["1.2.3_rc1-r0", "<", "1.2.3-r0"],
      ["1.2.3-r0", "<", "1.2.3_p1-r0"],
      ["1.2.3_p1-r0", "<", "1.2.3a-r0"],
      ["1.2.3_p1-r0", ">", "1.2.3-r5"],
      ["3.1.4-r5", "<", "3.1.4-r6"],
      ["3.1.4-r6", "<", "3.1.5-r0"],
      ["1.36.1-r15", "<", "1.36.1-r29"],
      ["2.38-r3", ">", "2.38"],
      ["1.0", "<", "1.0.0"],
      ["1.01", "<", "1.1"], // a leading zero reads like a decimal fraction
      ["1.001", "<", "1.01"],
      ["1.0.2k-r0", "<", "1.0.2l-r0"],
      ["1.0.2u", "<", "1.1.0"],
      ["20240101", ">", "20231231"],
      ["99999999999999999999", "<", "100000000000000000000"],
      ["1.0_alpha", "<", "1.0.1_alpha"],
      ["1.0", "=", "1.0"],
      ["1.0", "<", "1.00"],
    ]);
  });

  it("validates like apk_version_validate", () => {
    for (const v of ["1", "1.2.3", "1.2.3a", "1.2.3_rc1", "1.0_alpha_pre2", "1.0~cafe-r3", "1.0-r0"]) expect(isValid(v), v).toBe(true);
    for (const v of ["", "a1", "1.", "1.2a.3", "1a2", "1_foo", "1-r", "1-2", "1.0-r1_p1", "1 "]) expect(isValid(v), v).toBe(false);
  });

  it("agrees with apk-tools' published comparison cases", () => {
    expectPairs(compare, [
      ["2.34", ">", "0.1.0_alpha"],
      ["23_foo", ">", "4_beta"],
      ["1.0", "<", "1.0bc"],
      ["0.1.0_alpha2", ">", "0.1.0_alpha"],
      ["1.1", ">", "1.1_alpha1"],
      ["1.2.1", ">", "1.2"],
      ["3.10.18-r1", ">", "2.3.0b-r1"],
      ["1.06-r6", "<", "006"],
      ["006", ">", "1.0.0"],
      ["2.01.01_alpha10", ">", "0.94"],
      ["1.0", ">", "0.99.3.20040818"],
      ["1.00_beta2", ">", "0.9.2"],
      ["20060720", ">", "3.0.20060720"],
      ["2.5.1-r8", "<", "2.5.1a-r1"],
      ["021109-r3", "<", "20060512"],
      ["0.20070118", "<", "0.20070207_rc1"],
      ["4.5_p1-r1", ">", "4.5_p1"],
      ["0.9.8c-r1", "<", "0.9.8d"],
      ["1.7", "<", "1.7b"],
      ["1.8.5", "<", "1.8.5_p2"],
      ["2.12r-r4", "<", "2.12r-r5"],
      ["7.0.17", "<", "7.0.174"],
      ["1.3-r0", "<", "1.3.1-r0"],
      ["1.3_pre1-r1", "<", "1.3.2"],
      ["1.0_p10-r0", ">", "1.0_p9-r0"],
      ["0.1.0_alpha_pre2", "<", "0.1.0_alpha"],
      ["1.0.0_pre20191002222144-r0", "<", "1.0.0_pre20210530193627-r0"],
      ["1.2.07.8", "<", "1.2.12.04"],
      ["02.08.01b", "<", "4.77"],
      ["1.6d", ">", "1.2.07.8"],
    ]);
  });

  it("orders commit hashes (~hex) as apk does", () => {
    expectPairs(compare, [
      ["1.0~abc1", ">", "1.0"],
      ["1.0~abc1", "<", "1.0~abc2"],
      ["1.0~abc1", ">", "1.0-r1"], // kinds differ: the earlier kind (hash) is the longer version,
      ["1.0_rc1~abc", "<", "1.0"],
      ["1.0~abc-r1", ">", "1.0~abc"],
      ["1.0", ">", "1.0~xyz"], // "~" without hex digits is malformed
    ]);
  });

  it("gives garbage a total order without throwing", () => {
    expectTotalOnGarbage(compare, ["1.0_foo", "1.0-x", "1.0A", "1.0-r", "_p1"]);
  });
});
