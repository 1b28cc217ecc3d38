// CycloneDX 1.5 JSON with `vulnerabilities[]`: one entry per vulnerability id, `affects` pointing
// at component bom-refs (the package purls). Hand-rolled to keep the output small and stable; the
// serial number is derived from the content so the same scan gives the same document.
import { createHash } from "node:crypto";
import type { Finding, Sbom, ScanReport } from "../model.js";
import { advisorySource, advisoryUrl } from "./counts.js";
import { VERSION } from "../../version.js";

interface Component {
  type: "library" | "operating-system";
  "bom-ref": string;
  name: string;
  version: string;
  purl: string;
}

function uuidFrom(text: string): string {
  const h = createHash("sha256").update(text).digest("hex");
  // RFC 4122 shape, version 5-style bits.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

function ratingMethod(version: string): string {
  return version === "3.1" ? "CVSSv31" : version === "3.0" ? "CVSSv3" : version === "4.0" ? "CVSSv4" : "other";
}

export function cyclonedxBom(report: ScanReport, sbom?: Sbom, now = new Date(), toolVersion = VERSION): Record<string, unknown> {
  const components = new Map<string, Component>();
  const add = (p: { name: string; version: string; purl: string }) => {
    if (!components.has(p.purl)) components.set(p.purl, { type: "library", "bom-ref": p.purl, name: p.name, version: p.version, purl: p.purl });
  };
  for (const p of sbom?.packages ?? []) add(p);
  for (const f of report.findings) add(f.package);

  const byId = new Map<string, Finding[]>();
  for (const f of report.findings) byId.set(f.id, [...(byId.get(f.id) ?? []), f]);
  const vulnerabilities = [...byId].map(([id, findings]) => {
    const first = findings[0]!;
    const aliases = [...new Set(findings.flatMap((f) => f.aliases))].sort();
    const fixes = findings.filter((f) => f.fixedVersion).map((f) => `${f.package.name} ${f.fixedVersion}`);
    const vuln: Record<string, unknown> = {
      "bom-ref": `vuln:${id}`,
      id,
      source: { name: advisorySource(id), url: advisoryUrl(id) },
      ratings: [
        first.cvss
          ? { source: { name: advisorySource(id) }, score: first.cvss.score, severity: first.severity, method: ratingMethod(first.cvss.version), vector: first.cvss.vector }
          : { severity: first.severity, method: "other" },
      ],
      advisories: [...new Set(findings.flatMap((f) => f.advisories))].sort().map((a) => ({ title: a, url: advisoryUrl(a) })),
      affects: findings.map((f) => ({ ref: f.package.purl, versions: [{ version: f.package.version, status: "affected" }] })),
      properties: [
        { name: "vantage:knownExploited", value: String(first.exploitability.knownExploited) },
        { name: "vantage:remoteCodeExecution", value: String(first.exploitability.remoteCodeExecution) },
        { name: "vantage:publicExploit", value: String(first.exploitability.publicExploit) },
        ...(first.exploitability.epss !== null ? [{ name: "vantage:epss", value: String(first.exploitability.epss) }] : []),
        ...(first.exploitability.epssPercentile !== null ? [{ name: "vantage:epssPercentile", value: String(first.exploitability.epssPercentile) }] : []),
        { name: "vantage:fixStatus", value: first.fixStatus },
      ],
    };
    if (aliases.length) vuln.references = aliases.map((a) => ({ id: a, source: { name: advisorySource(a), url: advisoryUrl(a) } }));
    if (first.summary) vuln.description = first.summary;
    if (fixes.length) vuln.recommendation = `Upgrade ${fixes.join(", ")}`;
    return vuln;
  });

  const body = {
    components: [...components.values()].sort((a, b) => (a["bom-ref"] < b["bom-ref"] ? -1 : 1)),
    vulnerabilities,
  };
  return {
    $schema: "http://cyclonedx.org/schema/bom-1.5.schema.json",
    bomFormat: "CycloneDX",
    specVersion: "1.5",
    serialNumber: `urn:uuid:${uuidFrom(JSON.stringify([report.target, report.artifact, body]))}`,
    version: 1,
    metadata: {
      timestamp: now.toISOString(),
      tools: { components: [{ type: "application", name: "vantage", version: toolVersion }] },
      component: {
        type: "container",
        "bom-ref": `target:${report.target}`,
        name: report.target,
        ...(report.artifact.digest ? { hashes: digestHashes(report.artifact.digest) } : {}),
      },
    },
    ...body,
  };
}

function digestHashes(digest: string): { alg: string; content: string }[] {
  const m = /^sha256:([0-9a-f]{64})$/.exec(digest);
  return m ? [{ alg: "SHA-256", content: m[1]! }] : [];
}

export function formatCycloneDx(report: ScanReport, sbom?: Sbom): string {
  return `${JSON.stringify(cyclonedxBom(report, sbom), null, 2)}\n`;
}
