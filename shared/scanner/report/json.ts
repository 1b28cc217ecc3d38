// `vantage scan --format json` — docs/cli.md, key order and all. Absent facts are null (the
// keys are always there), and a one-line `summary` is appended when the feed had one.
import type { Finding, ScanReport } from "../model.js";
import { secretJson } from "./secrets.js";

export function findingJson(f: Finding): Record<string, unknown> {
  const pkg: Record<string, unknown> = { name: f.package.name, version: f.package.version, type: f.package.type, purl: f.package.purl };
  if (f.package.sourceName !== undefined) pkg.sourceName = f.package.sourceName;
  if (f.package.sourceVersion !== undefined) pkg.sourceVersion = f.package.sourceVersion;
  const out: Record<string, unknown> = {
    id: f.id,
    aliases: f.aliases,
    package: pkg,
    severity: f.severity,
    cvss: f.cvss ? { version: f.cvss.version, score: f.cvss.score, vector: f.cvss.vector } : null,
    fixStatus: f.fixStatus,
    fixedVersion: f.fixedVersion,
    exploitability: {
      knownExploited: f.exploitability.knownExploited,
      epss: f.exploitability.epss,
      epssPercentile: f.exploitability.epssPercentile,
      publicExploit: f.exploitability.publicExploit,
      remoteCodeExecution: f.exploitability.remoteCodeExecution,
    },
    advisories: f.advisories,
  };
  if (f.summary) out.summary = f.summary;
  return out;
}

export function scanReportJson(report: ScanReport): Record<string, unknown> {
  return {
    target: report.target,
    artifact: {
      digest: report.artifact.digest ?? null,
      os: report.artifact.os ? { family: report.artifact.os.family, version: report.artifact.os.version } : null,
    },
    packages: report.packages,
    findings: report.findings.map(findingJson),
    // Beside the findings, for image targets only (dir: targets are not scanned for secrets).
    ...(report.secrets ? { secrets: report.secrets.map(secretJson) } : {}),
  };
}

export function formatJson(report: ScanReport): string {
  return `${JSON.stringify(scanReportJson(report), null, 2)}\n`;
}
