import { describe, expect, it } from "vitest";
import { generateEstate, handIndex, podsWithHighVulnerabilities, privilegedContainers, run } from "../../bench/explorer.js";
import { GraphView, runTemplate } from "../../shared/explorer/index.js";

describe("explorer benchmark", () => {
  const report = generateEstate(400);
  const view = new GraphView(report);

  it("generates the same estate for the same seed", () => {
    const again = generateEstate(400);
    expect(again.graph.nodes.length).toBe(report.graph.nodes.length);
    expect(again.graph.edges).toEqual(report.graph.edges);
    expect(report.graph.nodes.filter((n) => n.kind === "pod")).toHaveLength(400);
  });

  it("compares against hand-written traversals that give the template's exact rows", () => {
    const index = handIndex(report);
    expect(podsWithHighVulnerabilities(index)).toEqual(runTemplate("pods-high-severity-vulnerabilities", {}, view).rows);
    expect(privilegedContainers(index)).toEqual(runTemplate("privileged-containers", {}, view).rows);
    expect(privilegedContainers(index).length).toBeGreaterThan(0);
  });

  it("reports p50/p95 per template with baselines for two of them", async () => {
    process.env.VANTAGE_BENCH_SCALE = "0.005";
    try {
      const results = await run();
      const p50 = results.filter((r) => r.name.endsWith(".p50"));
      expect(p50.length).toBeGreaterThanOrEqual(12);
      const withBaseline = results.filter((r) => r.baseline !== undefined);
      expect(withBaseline.map((r) => r.name)).toEqual([
        "explorer.template.pods-high-severity-vulnerabilities.p50",
        "explorer.template.pods-high-severity-vulnerabilities.p95",
        "explorer.template.privileged-containers.p50",
        "explorer.template.privileged-containers.p95",
      ]);
      for (const r of results) expect(r.value).toBeGreaterThanOrEqual(0);
    } finally {
      delete process.env.VANTAGE_BENCH_SCALE;
    }
  });
});
