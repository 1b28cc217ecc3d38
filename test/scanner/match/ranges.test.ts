import { describe, expect, it } from "vitest";
import { compareInRange } from "../../../shared/scanner/feed/compare.js";
import type { AffectedEntry, AffectedRange } from "../../../shared/scanner/feed/model.js";
import { evaluateEntry, evaluateRange } from "../../../shared/scanner/match/ranges.js";

const on = (key: string, installed: string) => ({
  installed: (e: string, t: AffectedRange["type"]) => compareInRange(key, t, installed, e),
  events: (a: string, b: string, t: AffectedRange["type"]) => compareInRange(key, t, a, b),
});
const check = (key: string, r: AffectedRange, installed: string) => {
  const c = on(key, installed);
  return evaluateRange(r, c.installed, c.events);
};
const eco = (...events: AffectedRange["events"]): AffectedRange => ({ type: "ECOSYSTEM", events });
const sem = (...events: AffectedRange["events"]): AffectedRange => ({ type: "SEMVER", events });

describe("OSV range evaluation", () => {
  it("introduced 0 covers everything up to the fix (exclusive)", () => {
    const r = sem({ introduced: "0" }, { fixed: "1.2.3" });
    expect(check("npm", r, "0.0.1")).toEqual({ affected: true, fixed: "1.2.3" });
    expect(check("npm", r, "1.2.3-beta.1").affected).toBe(true);
    expect(check("npm", r, "1.2.3").affected).toBe(false);
    expect(check("npm", r, "2.0.0").affected).toBe(false);
  });

  it("multiple introduced/fixed pairs in one range, given out of order", () => {
    const r = sem({ fixed: "2.3.0" }, { introduced: "2.0.0" }, { fixed: "1.5.0" }, { introduced: "1.0.0" });
    expect(["0.9.0", "1.0.0", "1.4.9", "1.5.0", "1.9.9", "2.0.0", "2.2.9", "2.3.0"].map((v) => check("npm", r, v).affected)).toEqual([
      false, true, true, false, false, true, true, false,
    ]);
    expect(check("npm", r, "2.1.0").fixed).toBe("2.3.0");
    expect(check("npm", r, "1.1.0").fixed).toBe("1.5.0");
  });

  it("last_affected is inclusive and yields no fixed version", () => {
    const r = eco({ introduced: "1.0" }, { last_affected: "1.4" });
    expect(check("pypi", r, "1.4")).toEqual({ affected: true, lastAffected: true });
    expect(check("pypi", r, "1.4.post1").affected).toBe(false);
    expect(check("pypi", r, "0.9").affected).toBe(false);
  });

  it("limit caps the range", () => {
    const r = eco({ introduced: "0" }, { limit: "3.0" });
    expect(check("pypi", r, "2.9").affected).toBe(true);
    expect(check("pypi", r, "3.0").affected).toBe(false);
    expect(check("pypi", eco({ introduced: "0" }, { limit: "*" }), "99").affected).toBe(true);
  });

  it("an introduced-only range is open-ended", () => {
    expect(check("debian:12", eco({ introduced: "0" }), "1:99.0-1")).toEqual({ affected: true });
    expect(check("debian:12", eco({ introduced: "2.0-1" }), "1.9-1").affected).toBe(false);
  });

  it("versions[] lists match exactly under the ecosystem ordering and pick up a known fix", () => {
    const entry: AffectedEntry = { id: "X", ranges: [eco({ introduced: "2.0" }, { fixed: "2.5" })], versions: ["1.0.0", "1.0.1"] };
    const verdict = (v: string) => {
      const c = on("pypi", v);
      return evaluateEntry(entry, c.installed, c.events);
    };
    expect(verdict("1.0.1")).toMatchObject({ affected: true, fixed: "2.5" });
    expect(verdict("1.0")).toMatchObject({ affected: true }); // PEP 440: 1.0 == 1.0.0
    expect(verdict("1.0.2")).toMatchObject({ affected: false });
    expect(verdict("2.1")).toMatchObject({ affected: true, fixed: "2.5" });
  });

  it("an unparseable SEMVER version skips that range and is counted", () => {
    const entry: AffectedEntry = { id: "Y", ranges: [sem({ introduced: "0" }, { fixed: "1.0.0" })] };
    const c = on("npm", "not-a-version");
    expect(evaluateEntry(entry, c.installed, c.events)).toEqual({ affected: false, errors: 1 });
  });
});
