// SARIF 2.1.0: one rule per vulnerability id, one result per finding; level from severity and
// `security-severity` (the CVSS score) so code-scanning UIs rank them.
import { createHash } from "node:crypto";
import type { Finding, Package, Sbom, ScanReport, Severity } from "../model.js";
import { advisoryUrl } from "./counts.js";
import { secretsSarif } from "./secrets.js";
import { VERSION } from "../../version.js";

const LEVEL: Record<Severity, "error" | "warning" | "note"> = { critical: "error", high: "error", medium: "warning", low: "note", unknown: "note" };
// Used when no CVSS score is known, mid-band per severity.
const NOMINAL: Record<Severity, string> = { critical: "9.5", high: "8.0", medium: "5.5", low: "2.0", unknown: "0.0" };

function locationUri(f: Finding, byPurl: Map<string, Package>): string {
  const loc = byPurl.get(f.package.purl)?.locations[0];
  return loc ? loc.replace(/^\/+/, "") : f.package.purl;
}

export function sarifLog(report: ScanReport, sbom?: Sbom, toolVersion = VERSION): Record<string, unknown> {
  const byPurl = new Map((sbom?.packages ?? []).map((p) => [p.purl, p]));
  const ruleIndex = new Map<string, number>();
  const rules: Record<string, unknown>[] = [];
  for (const f of report.findings) {
    if (ruleIndex.has(f.id)) continue;
    ruleIndex.set(f.id, rules.length);
    rules.push({
      id: f.id,
      name: f.id.replace(/[^A-Za-z0-9]/g, ""),
      shortDescription: { text: f.summary ?? f.id },
      fullDescription: { text: f.summary ?? `${f.id} (${[f.id, ...f.aliases].join(", ")})` },
      helpUri: advisoryUrl(f.id),
      help: { text: `${f.id}${f.aliases.length ? ` (also ${f.aliases.join(", ")})` : ""}: see ${advisoryUrl(f.id)}` },
      defaultConfiguration: { level: LEVEL[f.severity] },
      properties: {
        "security-severity": f.cvss ? f.cvss.score.toFixed(1) : NOMINAL[f.severity],
        tags: ["security", "vulnerability", f.severity],
      },
    });
  }
  const vulnResults = report.findings.map((f) => ({
    ruleId: f.id,
    ruleIndex: ruleIndex.get(f.id)!,
    level: LEVEL[f.severity],
    message: {
      text: `${f.package.name} ${f.package.version} is affected by ${f.id} (${f.severity})${f.fixedVersion ? `; fixed in ${f.fixedVersion}` : `; fix status: ${f.fixStatus}`}`,
    },
    locations: [
      {
        physicalLocation: { artifactLocation: { uri: locationUri(f, byPurl) } },
        logicalLocations: [{ name: f.package.name, fullyQualifiedName: f.package.purl, kind: "package" }],
      },
    ],
    partialFingerprints: { "vantageFinding/v1": createHash("sha256").update(`${f.id}\u0000${f.package.purl}`).digest("hex").slice(0, 32) },
    properties: { ...f.exploitability, fixStatus: f.fixStatus, fixedVersion: f.fixedVersion, aliases: f.aliases },
  }));
  const secrets = secretsSarif(report.secrets ?? [], rules.length);
  rules.push(...secrets.rules);
  const results = [...vulnResults, ...secrets.results];
  return {
    $schema: "https://json.schemastore.org/sarif-2.1.0.json",
    version: "2.1.0",
    runs: [
      {
        tool: { driver: { name: "vantage", version: toolVersion, informationUri: "https://github.com/vantage-security/vantage", rules } },
        automationDetails: { id: `vantage/scan/${report.target}` },
        results,
      },
    ],
  };
}

export function formatSarif(report: ScanReport, sbom?: Sbom): string {
  return `${JSON.stringify(sarifLog(report, sbom), null, 2)}\n`;
}
