import { SEVERITIES, type Finding, type Severity } from "../model.js";

export function severityCounts(findings: Finding[]): Record<Severity, number> & { knownExploited: number } {
  const counts = Object.fromEntries(SEVERITIES.map((s) => [s, 0])) as Record<Severity, number>;
  let knownExploited = 0;
  for (const f of findings) {
    counts[f.severity]++;
    if (f.exploitability.knownExploited) knownExploited++;
  }
  return { ...counts, knownExploited };
}

/** Web page for an advisory id, for SARIF helpUri and CycloneDX sources. */
export function advisoryUrl(id: string): string {
  if (id.startsWith("CVE-")) return `https://nvd.nist.gov/vuln/detail/${id}`;
  if (id.startsWith("GHSA-")) return `https://github.com/advisories/${id}`;
  return `https://osv.dev/vulnerability/${encodeURIComponent(id)}`;
}

export function advisorySource(id: string): string {
  if (id.startsWith("CVE-")) return "NVD";
  if (id.startsWith("GHSA-")) return "GitHub";
  return "OSV";
}
