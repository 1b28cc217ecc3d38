// Order laws on random strings built from each scheme's own alphabet: reflexive, antisymmetric,
// and (where the native tool is) transitive, so sorting with compareVersions is well defined.
import { describe, expect, it } from "vitest";
import type { VersionScheme } from "../../../shared/scanner/model.js";
import { compareVersions } from "../../../shared/scanner/versions/index.js";
import { pick, rng } from "./helpers.js";

const ALPHABETS: Record<VersionScheme, string[]> = {
  deb: ["0", "1", "10", "a", "Z", ".", "+", "~", "-", ":", "1:"],
  rpm: ["0", "1", "10", "a", "Z", ".", "_", "~", "^", "+"],
  apk: ["0", "1", "10", "a", "b", ".", "_rc", "_p", "_alpha", "-r", "~ab", "-"],
  semver: ["0", "1", "10", ".", "-", "alpha", "+b", "v", "x"],
  pep440: ["0", "1", ".", "a", "b", "rc", "post", "dev", "+", "!", "-", "_", "x"],
  maven: ["0", "1", "10", ".", "-", "a", "alpha", "rc", "sp", "ga", "snapshot", "x"],
  go: ["v", "0", "1", "10", ".", "-", "pre", "+inc"],
  nuget: ["0", "1", "10", ".", "-", "beta", "Beta", "+m"],
  gem: ["0", "1", "10", ".", "-", "a", "B", "pre"],
};

// Native orders that are not transitive across all inputs:
// rpm compares a release only when both sides have one (1.0-1 = 1.0 = 1.0-2, yet 1.0-1 < 1.0-2);
// Maven's ComparableVersion has known cycles (MNG-5568, MNG-6568) that Maven itself shows:
// "0" < "a" < "0alpha-" < "0" (checked against maven-artifact 3.8.7).
const INTRANSITIVE = new Set<VersionScheme>(["rpm", "maven"]);

describe.each(Object.keys(ALPHABETS) as VersionScheme[])("%s order laws", (scheme) => {
  const random = rng(scheme.length * 7919);
  const sample = () => {
    let s = "";
    const n = 1 + Math.floor(random() * 6);
    for (let i = 0; i < n; i++) s += pick(random, ALPHABETS[scheme]);
    return s;
  };
  const values = Array.from({ length: 60 }, sample);
  // The whole comparison matrix once; the laws are then checked on it.
  const m = values.map((a) => values.map((b) => compareVersions(scheme, a, b)));

  it("is reflexive and antisymmetric", () => {
    const bad: string[] = [];
    values.forEach((a, i) => {
      if (m[i]![i] !== 0) bad.push(`${a} != itself`);
      values.forEach((b, j) => {
        if (m[i]![j]! !== -m[j]![i]!) bad.push(`${a} vs ${b}: ${m[i]![j]} / ${m[j]![i]}`);
      });
    });
    expect(bad).toEqual([]);
  });

  it.skipIf(INTRANSITIVE.has(scheme))("is transitive", () => {
    const bad: string[] = [];
    const n = values.length;
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++)
        for (let k = 0; k < n; k++) {
          if (m[i]![j]! <= 0 && m[j]![k]! <= 0 && m[i]![k]! > 0) bad.push(`${values[i]} <= ${values[j]} <= ${values[k]} but ${values[i]} > ${values[k]}`);
        }
    expect(bad.slice(0, 5)).toEqual([]);
  });
});
