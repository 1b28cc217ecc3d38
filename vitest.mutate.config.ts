// The tests `npm run mutate` runs against mutants of the pure cores: in-memory tests only (no
// Azurite, registry or browser), so one mutant costs milliseconds, not a pipeline run.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // The dpkg oracle spawns ~1,000 processes: too slow to repeat per mutant (npm test runs it).
    testNamePattern: /^(?!.*dpkg --compare-versions)/,
    include: [
      "test/scanner/versions/**/*.test.ts",
      "test/scanner/match/{match,ranges,cvss}.test.ts",
      "test/graph/{rbac,techniques,exposure,insights,paths}.test.ts",
      "test/explorer/{evaluator,parser,templates,format}.test.ts",
    ],
    testTimeout: 30_000,
    reporters: ["dot"],
  },
});
