import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOG } from "../../shared/posture/catalog.js";
import { withControlSummary, withControlTable } from "../../shared/posture/docs.js";

describe("docs/posture.md", () => {
  it("holds the control table generated from the catalog (run npm run docs:posture when this fails)", () => {
    const doc = readFileSync(new URL("../../docs/posture.md", import.meta.url), "utf8");
    expect(doc).toBe(withControlTable(doc));
    for (const c of CATALOG) expect(doc).toContain(`\`${c.id}\``);
  });

  it("README.md holds the coverage summary generated from the catalog and links the full table", () => {
    const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");
    expect(readme).toBe(withControlSummary(readme));
    expect(readme).toContain("(docs/posture.md#controls)");
  });

  it("control ids are unique and well-formed, and every control explains itself", () => {
    const ids = CATALOG.map((c) => c.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of CATALOG) {
      expect(c.id).toMatch(/^VANTAGE-(K8S|AKS)-[A-Z0-9-]+$/);
      expect(c.rationale.length).toBeGreaterThan(20);
      expect(c.remediation.length).toBeGreaterThan(10);
      if (c.references.cisAks) expect(c.references.cisAks).toMatch(/^[2-5]\.\d+(\.\d+)?$/);
      if (c.references.kubescape) expect(c.references.kubescape).toMatch(/^C-\d{4}$/);
    }
  });
});
