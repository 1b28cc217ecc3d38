import { describe, expect, it } from "vitest";
import { buildFeedIndex } from "../../../shared/scanner/feed/build.js";
import { scanSbom } from "../../../shared/scanner/match/index.js";
import type { ScanReport } from "../../../shared/scanner/model.js";
import { formatScanReport } from "../../../shared/scanner/report/index.js";
import { osv, pkg, range, sbom } from "../match/helpers.js";

const index = buildFeedIndex({
  records: [
    osv("GHSA-jfh8-c2jp-5v3q", "Maven", "org.apache.logging.log4j:log4j-core", [range("ECOSYSTEM", { introduced: "2.13.0" }, { fixed: "2.15.0" })], {
      aliases: ["CVE-2021-44228"],
      summary: "Remote code injection in Log4j",
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" }],
      database_specific: { cwe_ids: ["CWE-502"] },
    }),
    osv("DEBIAN-CVE-2024-9", "Debian:12", "tiff", [range("ECOSYSTEM", { introduced: "0" })], { upstream: ["CVE-2024-9"], ecosystem_specific: { urgency: "low" } }),
  ],
  kev: { "CVE-2021-44228": { dateAdded: "2021-12-10", ransomware: true } },
  epss: { scores: { "CVE-2021-44228": [0.97, 0.999] } },
});
const input = sbom(
  [
    pkg("maven", "log4j-core", "2.14.1", { purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", locations: ["/app/lib/log4j-core-2.14.1.jar"] }),
    pkg("deb", "libtiff6", "4.5.0-6", { sourceName: "tiff", sourceVersion: "4.5.0-6", purl: "pkg:deb/debian/libtiff6@4.5.0-6?arch=amd64" }),
    pkg("npm", "left-pad", "1.3.0"),
  ],
  { family: "debian", version: "12" },
);
const report: ScanReport = scanSbom(input, index);

describe("json (docs/cli.md)", () => {
  it("has exactly the contract's keys in order, with nulls for unknowns", () => {
    const doc = JSON.parse(formatScanReport(report, "json"));
    expect(Object.keys(doc)).toEqual(["target", "artifact", "packages", "findings"]);
    expect(doc.artifact).toEqual({ digest: input.artifact.digest, os: { family: "debian", version: "12" } });
    expect(doc.packages).toBe(3);
    const [log4j, tiff] = doc.findings;
    expect(Object.keys(log4j)).toEqual(["id", "aliases", "package", "severity", "cvss", "fixStatus", "fixedVersion", "exploitability", "advisories", "summary"]);
    expect(log4j).toMatchObject({
      id: "CVE-2021-44228",
      aliases: ["GHSA-jfh8-c2jp-5v3q"],
      package: { name: "log4j-core", version: "2.14.1", type: "maven", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" },
      severity: "critical",
      cvss: { version: "3.1", score: 10, vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" },
      fixStatus: "fixed",
      fixedVersion: "2.15.0",
      exploitability: { knownExploited: true, epss: 0.97, epssPercentile: 0.999, publicExploit: true, remoteCodeExecution: true },
      advisories: ["GHSA-jfh8-c2jp-5v3q"],
    });
    expect(Object.keys(log4j.exploitability)).toEqual(["knownExploited", "epss", "epssPercentile", "publicExploit", "remoteCodeExecution"]);
    expect(tiff).toMatchObject({ id: "CVE-2024-9", cvss: null, fixedVersion: null, fixStatus: "not-fixed", severity: "low" });
    expect(Object.keys(tiff.package)).toEqual(["name", "version", "type", "purl", "sourceName", "sourceVersion"]);
  });

  it("writes null digest and os for a bare directory", () => {
    const doc = JSON.parse(formatScanReport({ target: "dir:/x", artifact: {}, packages: 0, findings: [] }, "json"));
    expect(doc).toEqual({ target: "dir:/x", artifact: { digest: null, os: null }, packages: 0, findings: [] });
  });
});

describe("sarif 2.1.0", () => {
  it("has one rule per vulnerability and one result per finding, located at the package", () => {
    const log = JSON.parse(formatScanReport(report, "sarif", input));
    expect(log.version).toBe("2.1.0");
    expect(log.$schema).toMatch(/sarif-2\.1\.0/);
    const run = log.runs[0];
    expect(run.tool.driver.name).toBe("vantage");
    expect(run.tool.driver.rules.map((r: { id: string }) => r.id)).toEqual(["CVE-2021-44228", "CVE-2024-9"]);
    expect(run.tool.driver.rules[0].properties["security-severity"]).toBe("10.0");
    expect(run.results).toHaveLength(2);
    expect(run.results[0]).toMatchObject({ ruleId: "CVE-2021-44228", ruleIndex: 0, level: "error" });
    expect(run.results[0].locations[0].physicalLocation.artifactLocation.uri).toBe("app/lib/log4j-core-2.14.1.jar");
    expect(run.results[0].locations[0].logicalLocations[0].fullyQualifiedName).toBe("pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
    expect(run.results[1].level).toBe("note");
    // Without the SBOM the purl is the location.
    const bare = JSON.parse(formatScanReport(report, "sarif"));
    expect(bare.runs[0].results[1].locations[0].physicalLocation.artifactLocation.uri).toBe("pkg:deb/debian/libtiff6@4.5.0-6?arch=amd64");
  });
});

describe("cyclonedx-json 1.5", () => {
  it("lists components and vulnerabilities whose affects reference component bom-refs", () => {
    const bom = JSON.parse(formatScanReport(report, "cyclonedx-json", input));
    expect(bom).toMatchObject({ bomFormat: "CycloneDX", specVersion: "1.5", version: 1 });
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const refs = new Set(bom.components.map((c: { "bom-ref": string }) => c["bom-ref"]));
    expect(refs.size).toBe(3);
    expect(bom.vulnerabilities.map((v: { id: string }) => v.id)).toEqual(["CVE-2021-44228", "CVE-2024-9"]);
    for (const v of bom.vulnerabilities) for (const a of v.affects) expect(refs.has(a.ref)).toBe(true);
    expect(bom.vulnerabilities[0].ratings[0]).toEqual({ source: { name: "NVD" }, score: 10, severity: "critical", method: "CVSSv31", vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" });
    expect(bom.vulnerabilities[0].references).toEqual([{ id: "GHSA-jfh8-c2jp-5v3q", source: { name: "GitHub", url: "https://github.com/advisories/GHSA-jfh8-c2jp-5v3q" } }]);
    // Same scan → same serial number.
    expect(JSON.parse(formatScanReport(report, "cyclonedx-json", input)).serialNumber).toBe(bom.serialNumber);
  });
});

describe("table", () => {
  it("shows severity counts and one row per finding", () => {
    const text = formatScanReport(report, "table");
    expect(text).toContain("critical 1, high 0, medium 0, low 1, unknown 0; known exploited 1");
    expect(text).toMatch(/CRITICAL\s+CVE-2021-44228\s+log4j-core\s+2\.14\.1\s+2\.15\.0\s+fixed\s+KEV RCE EPSS 0\.970/);
    expect(formatScanReport({ target: "t", artifact: {}, packages: 0, findings: [] }, "table")).toContain("No vulnerabilities found.");
  });
});
