// Every cataloger gets a few hundred seeded mutations (bit flips, truncations, inserted garbage,
// overwritten length fields) of realistic input: none may throw, hang, or emit unbounded output.
import { describe, expect, it } from "vitest";
import { CATALOGERS } from "../../../shared/scanner/catalogers/index.js";
import type { Cataloger } from "../../../shared/scanner/catalogers/types.js";
import { fuzzCases, mutate } from "./fuzz-cases.js";
import { prng } from "./helpers.js";

describe("catalogers survive hostile input", async () => {
  const cases = await fuzzCases();
  it("covers every cataloger", () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(CATALOGERS.map((c) => c.name)));
  });

  it.each(cases)("%s: %s", async (name, path, input, mode) => {
    const cat = CATALOGERS.find((c) => c.name === name) as Cataloger;
    expect(cat.matches(path, input.length, mode)).toBe(true);
    const clean = await cat.parse(path, input);
    expect(clean.packages.length + (clean.os ? 1 : 0) + (clean.owned?.length ?? 0)).toBeGreaterThan(0);
    const rnd = prng(0x5eed ^ path.length);
    const iterations = name === "rpm" && path.endsWith("sqlite") ? 120 : 300;
    const started = Date.now();
    for (let i = 0; i < iterations; i++) {
      const input2 = mutate(input, rnd);
      const t0 = Date.now();
      const out = await cat.parse(path, input2);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(Array.isArray(out.packages)).toBe(true);
      expect(out.packages.length).toBeLessThanOrEqual(Math.max(50, clean.packages.length * 4));
      expect((out.warnings ?? []).length).toBeLessThanOrEqual(60);
      for (const p of out.packages) {
        expect(typeof p.purl).toBe("string");
        expect(p.purl.startsWith("pkg:")).toBe(true);
        expect(p.locations.length).toBeGreaterThan(0);
        expect(p.name.length).toBeLessThan(2048);
      }
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
