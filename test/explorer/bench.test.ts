import { describe, expect, it } from "vitest";
import { generateEstate, handIndex, podsWithHighVulnerabilities, privilegedContainers, run, sameRows, templateRows } from "../../bench/explorer.js";
import { GraphView, TEMPLATES } from "../../shared/explorer/index.js";
import { buildSecurityGraph } from "../../shared/graph/index.js";

describe("explorer benchmark", () => {
  const { snapshot, images } = generateEstate(300);
  const report = buildSecurityGraph(snapshot, images);
  const view = new GraphView(report);

  it("generates the same cluster and findings for the same seed, with realistic findings", () => {
    const again = generateEstate(300);
    expect(again.snapshot).toEqual(snapshot);
    expect(again.images).toEqual(images);
    expect(snapshot.pods).toHaveLength(300);
    const findings = images.flatMap((i) => i.findings);
    for (const s of ["critical", "high", "medium", "low"]) expect(findings.some((f) => f.severity === s)).toBe(true);
    for (const s of ["fixed", "not-fixed", "wont-fix"]) expect(findings.some((f) => f.fixStatus === s)).toBe(true);
    expect(findings.some((f) => f.exploitability.knownExploited)).toBe(true);
    expect(findings.some((f) => f.exploitability.remoteCodeExecution)).toBe(true);
  });

  it("builds a graph in the real vocabulary, with paths and choke points", () => {
    const kinds = new Set(report.graph.edges.map((e) => e.kind));
    for (const k of ["CONTAINS", "IS_RUNNING", "IMAGE_VULNERABLE", "EXPLOIT_CONTAINERD_SOCK", "PERMISSION_DISCOVER", "TOKEN_STEAL"]) expect(kinds).toContain(k);
    expect(report.insights.some((i) => i.kind === "exposed-to-internet")).toBe(true);
    expect(report.chokePoints.length).toBeGreaterThan(0);
  });

  it("compares against hand-written traversals that give the template's exact rows", () => {
    const index = handIndex(report);
    const high = podsWithHighVulnerabilities(index);
    const privileged = privilegedContainers(index);
    expect(high.length).toBeGreaterThan(0);
    expect(privileged.length).toBeGreaterThan(0);
    expect(sameRows(high, templateRows("pods-high-severity-vulnerabilities", view))).toBe(true);
    expect(sameRows(privileged, templateRows("privileged-containers", view))).toBe(true);
    expect(sameRows(privileged.slice(1), templateRows("privileged-containers", view))).toBe(false);
  });

  it("has at least 12 of the 18 templates return rows", () => {
    // The benchmark graph carries no image secrets and no posture results, so running-images-with-secrets
    // and the two posture templates are among the empty ones.
    expect(TEMPLATES).toHaveLength(18);
    const empty = TEMPLATES.filter((t) => templateRows(t.id, view).length === 0).map((t) => t.id);
    expect(empty.length, `templates with no rows: ${empty.join(", ")}`).toBeLessThanOrEqual(6);
  });

  it("reports p50/p95 and the row count per template, with baselines for two of them", async () => {
    process.env.VANTAGE_BENCH_SCALE = "0.005";
    try {
      const results = await run();
      const p50 = results.filter((r) => r.name.endsWith(".p50"));
      expect(p50).toHaveLength(TEMPLATES.length);
      for (const r of p50) expect(r.note).toMatch(/^\d+ rows?/);
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
