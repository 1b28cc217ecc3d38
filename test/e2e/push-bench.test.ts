// The push → findings benchmark at a tiny scale: it runs end to end on the demo stack and reports
// finite numbers (the full-scale run is `npm run bench`).
import { describe, expect, it } from "vitest";
import { percentile, randomBytes, run } from "../../bench/push.js";
import { registryAvailable } from "../../demo/runtime/registry/distribution.js";

describe("push benchmark", () => {
  it("takes nearest-rank percentiles and makes distinct, incompressible-looking content per seed", () => {
    expect(percentile([5, 1, 4, 2, 3], 50)).toBe(3);
    expect(percentile([5, 1, 4, 2, 3, 6, 7, 8, 9, 10], 95)).toBe(10);
    expect(randomBytes(4099, 1)).toEqual(randomBytes(4099, 1));
    expect(randomBytes(4099, 1).equals(randomBytes(4099, 2))).toBe(false);
  });

  it("measures push → findings through the webhook against a direct scan", async () => {
    if (!registryAvailable()) throw new Error("docker-registry is not installed: run `npm test` (its pretest installs it) or apt-get install -y docker-registry");
    const results = await run({ images: 3, layerBytes: 256 * 1024 });
    const byName = (prefix: string) => results.find((r) => r.name.startsWith(prefix));
    for (const prefix of ["push → findings latency p50", "push → findings latency p95"]) {
      const r = byName(prefix)!;
      expect(r.unit).toBe("ms");
      expect(r.value).toBeGreaterThan(0);
      expect(r.baseline).toBeGreaterThan(0);
      expect(Number.isFinite(r.ratio)).toBe(true);
    }
    expect(byName("push duration p50")!.value).toBeGreaterThan(0);
    expect(byName("pushed image size")!.value).toBeGreaterThan(0.2);
  }, 180_000);
});
