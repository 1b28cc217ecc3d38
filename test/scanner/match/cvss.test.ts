import { describe, expect, it } from "vitest";
import { cvss3Score, parseCvss3Vector, roundUp1, severityFromScore } from "../../../shared/scanner/cvss/index.js";

describe("CVSS 3.x base score", () => {
  it.each([
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 9.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 10.0],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H", 9.0],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H", 8.8],
    ["CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H", 8.1],
    ["CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 7.8],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 7.5],
    ["CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H", 7.2],
    ["CVSS:3.1/AV:L/AC:L/PR:N/UI:R/S:U/C:N/I:N/A:H", 5.5],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L", 5.3],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 6.1],
    ["CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 9.9],
    ["CVSS:3.0/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 1.6],
    ["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", 0],
  ])("%s = %s", (vector, score) => {
    expect(cvss3Score(vector)).toBe(score);
  });

  it("ignores temporal metrics and rejects invalid vectors", () => {
    expect(cvss3Score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O")).toBe(9.8);
    expect(parseCvss3Vector("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H")).toBeUndefined(); // no A
    expect(parseCvss3Vector("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeUndefined();
    expect(parseCvss3Vector("CVSS:2.0/AV:N/AC:L/Au:N/C:P/I:P/A:P")).toBeUndefined();
    expect(parseCvss3Vector("CVSS:3.1/AV:N/AV:L/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBeUndefined(); // duplicate
  });

  it("rounds up to one decimal without float noise, and maps ratings", () => {
    expect(roundUp1(4.0)).toBe(4.0);
    expect(roundUp1(4.02)).toBe(4.1);
    expect(roundUp1(4.000001)).toBe(4.0);
    expect([9.0, 8.9, 7.0, 6.9, 4.0, 3.9, 0].map(severityFromScore)).toEqual(["critical", "high", "high", "medium", "medium", "low", "low"]);
  });
});
