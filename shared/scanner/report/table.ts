// Human-readable report: header, severity counts, then one row per finding.
import { SEVERITIES, type Finding, type ScanReport } from "../model.js";
import { severityCounts } from "./counts.js";
import { secretsTable } from "./secrets.js";

function exploitNote(f: Finding): string {
  const notes: string[] = [];
  if (f.exploitability.knownExploited) notes.push("KEV");
  if (f.exploitability.remoteCodeExecution) notes.push("RCE");
  if (f.exploitability.publicExploit && !f.exploitability.knownExploited) notes.push("exploit");
  if (f.exploitability.epss !== null) notes.push(`EPSS ${f.exploitability.epss.toFixed(3)}`);
  return notes.join(" ");
}

export function formatTable(report: ScanReport): string {
  const counts = severityCounts(report.findings);
  const os = report.artifact.os ? `${report.artifact.os.family} ${report.artifact.os.version}` : "unknown";
  const lines = [
    `Target:   ${report.target}`,
    `OS:       ${os}`,
    `Packages: ${report.packages}`,
    `Findings: ${report.findings.length} (${SEVERITIES.map((s) => `${s} ${counts[s]}`).join(", ")}; known exploited ${counts.knownExploited})`,
  ];
  if (report.findings.length === 0) return `${lines.join("\n")}\n\nNo vulnerabilities found.\n${secretsTable(report.secrets)}`;
  const header = ["SEVERITY", "ID", "PACKAGE", "VERSION", "FIXED IN", "STATUS", "EXPLOITABILITY"];
  const rows = report.findings.map((f) => [
    f.severity.toUpperCase(),
    f.id,
    f.package.name,
    f.package.version,
    f.fixedVersion ?? "-",
    f.fixStatus,
    exploitNote(f),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (r: string[]) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]!))).join("  ").trimEnd();
  return `${lines.join("\n")}\n\n${[fmt(header), ...rows.map(fmt)].join("\n")}\n${secretsTable(report.secrets)}`;
}
