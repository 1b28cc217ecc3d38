// SARIF 2.1.0: one rule per control (its rationale, remediation and references), one result per
// failing resource located logically (namespace/Kind/name/container), the fix as a property, and a
// partial fingerprint so code-scanning tools track a finding across runs.
import { createHash } from "node:crypto";
import { CATALOG } from "../catalog.js";
import type { ControlSeverity, PostureReport } from "../model.js";
import { describeResource, resourcePath } from "./resource.js";

const LEVEL: Record<ControlSeverity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note" };
const SCORE: Record<ControlSeverity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "3.0" };

/** `version` is the tool version recorded in the log (the caller passes shared/version.ts; this module stays pure). */
export function formatSarif(report: PostureReport, version: string): string {
  const defs = new Map(CATALOG.map((c) => [c.id, c]));
  const rules = report.controls.map((c) => {
    const d = defs.get(c.id);
    const refs = Object.entries(c.references).map(([k, v]) => `${k}: ${v}`);
    return {
      id: c.id,
      name: c.id.replace(/^VANTAGE-/, "").toLowerCase().replace(/(^|-)([a-z0-9])/g, (_m, _d, ch: string) => ch.toUpperCase()),
      shortDescription: { text: c.title },
      fullDescription: { text: d?.rationale ?? c.title },
      help: { text: `${d?.remediation ?? ""}${refs.length ? `\nReferences: ${refs.join("; ")}` : ""}` },
      defaultConfiguration: { level: LEVEL[c.severity] },
      properties: { tags: ["security", "kubernetes", c.category], "security-severity": SCORE[c.severity], severity: c.severity, ...c.references },
    };
  });
  const index = new Map(rules.map((r, i) => [r.id, i]));
  const results = report.controls.flatMap((c) =>
    c.failed.map((f) => ({
      ruleId: c.id,
      ruleIndex: index.get(c.id)!,
      level: LEVEL[c.severity],
      message: { text: `${describeResource(f.resource)}: ${f.detail}` },
      locations: [{ logicalLocations: [{ fullyQualifiedName: `${report.cluster ?? "cluster"}/${resourcePath(f.resource)}`, kind: "resource" }] }],
      partialFingerprints: { "vantageResource/v1": createHash("sha256").update(`${c.id}|${report.cluster ?? ""}|${resourcePath(f.resource)}`).digest("hex") },
      properties: { fix: f.fix },
    })),
  );
  const log = {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "Vantage", semanticVersion: version, rules } },
        automationDetails: { id: `vantage-posture/${report.cluster ?? "cluster"}/${report.standard}` },
        results,
        properties: { score: report.score, standard: report.standard },
      },
    ],
  };
  return `${JSON.stringify(log)}\n`;
}
