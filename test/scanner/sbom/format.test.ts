import { describe, expect, it } from "vitest";
import { assembleSbom } from "../../../shared/scanner/catalogers/index.js";
import type { Package, Sbom } from "../../../shared/scanner/model.js";
import { cycloneDxBom, formatSbom } from "../../../shared/scanner/sbom/format.js";

const pkg = (p: Partial<Package> & Pick<Package, "name" | "version" | "type" | "purl">): Package => ({ locations: ["x"], cataloger: "test", ...p });

const SBOM: Sbom = {
  schemaVersion: 1,
  target: "myacr.azurecr.io/shop/api:1.4",
  artifact: {
    digest: "sha256:" + "ab".repeat(32),
    repository: "myacr.azurecr.io/shop/api",
    tag: "1.4",
    architecture: "amd64",
    os: { family: "debian", version: "12", versionId: "12", codename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" },
    layers: ["sha256:" + "01".repeat(32)],
  },
  packages: [
    pkg({ name: "libc6", version: "2.36-9+deb12u4", type: "deb", purl: "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc", sourceName: "glibc", sourceVersion: "2.36-9+deb12u4", arch: "amd64", locations: ["var/lib/dpkg/status"], layerDigest: "sha256:" + "01".repeat(32), cataloger: "dpkg" }),
    pkg({ name: "bash", version: "5.2.15-2+b8", type: "deb", purl: "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&distro=debian-12", sourceName: "bash", sourceVersion: "5.2.15-2", cataloger: "dpkg" }),
    pkg({ name: "org.apache.logging.log4j:log4j-core", version: "2.14.1", type: "maven", purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1", licenses: ["Apache-2.0"], locations: ["app/app.jar!/BOOT-INF/lib/log4j-core-2.14.1.jar"], cataloger: "java", metadata: { groupId: "org.apache.logging.log4j" } }),
    pkg({ name: "express", version: "4.19.2", type: "npm", purl: "pkg:npm/express@4.19.2", licenses: ["Some Custom License"], locations: ["a/node_modules/express/package.json"] }),
    pkg({ name: "express", version: "4.19.2", type: "npm", purl: "pkg:npm/express@4.19.2", locations: ["b/node_modules/express/package.json"] }),
  ],
  warnings: [],
};

describe("CycloneDX", () => {
  it("builds a CycloneDX 1.6 document with purls, properties, the OS and the image", () => {
    const bom = cycloneDxBom(SBOM, { timestamp: new Date("2024-01-01T00:00:00Z") }) as Record<string, any>;
    expect(bom.bomFormat).toBe("CycloneDX");
    expect(Number(bom.specVersion)).toBeGreaterThanOrEqual(1.5);
    expect(bom.serialNumber).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bom.version).toBe(1);
    expect(bom.metadata.timestamp).toBe("2024-01-01T00:00:00.000Z");
    expect(bom.metadata.component).toMatchObject({ type: "container", name: "myacr.azurecr.io/shop/api", version: "1.4", "bom-ref": "subject" });
    const comps = bom.components as any[];
    const os = comps.find((c) => c.type === "operating-system");
    expect(os).toMatchObject({ name: "debian", version: "12" });
    const libs = comps.filter((c) => c.type === "library");
    expect(libs.map((c) => c.purl).sort()).toEqual(SBOM.packages.map((p) => p.purl).sort());
    const refs = comps.map((c) => c["bom-ref"]);
    expect(new Set(refs).size).toBe(refs.length);
    const libc = libs.find((c) => c.name === "libc6");
    const props = Object.fromEntries((libc.properties as { name: string; value: string }[]).map((p) => [p.name, p.value]));
    expect(props).toMatchObject({ "vantage:package:sourceName": "glibc", "vantage:package:sourceVersion": "2.36-9+deb12u4", "vantage:location": "var/lib/dpkg/status", "vantage:package:foundBy": "dpkg" });
    const log4j = libs.find((c) => c.name === "log4j-core");
    expect(log4j).toMatchObject({ group: "org.apache.logging.log4j", licenses: [{ license: { id: "Apache-2.0" } }] });
    const named = libs.filter((c) => c.name === "express").flatMap((c) => c.licenses ?? []);
    expect(named).toEqual([{ license: { name: "Some Custom License" } }]);
    const deps = bom.dependencies as { ref: string; dependsOn?: string[] }[];
    expect(deps.find((d) => d.ref === "subject")?.dependsOn?.length).toBe(SBOM.packages.length);
  });

  it("serializes via formatSbom as parseable JSON", () => {
    const out = JSON.parse(formatSbom(SBOM, "cyclonedx-json"));
    expect(out.bomFormat).toBe("CycloneDX");
    expect(out.components).toHaveLength(SBOM.packages.length + 1);
  });

  it("handles a dir: target with no OS and no packages", () => {
    const empty = assembleSbom({ target: "dir:/tmp/x", artifact: {}, files: [] });
    const bom = cycloneDxBom(empty) as Record<string, any>;
    expect(bom.metadata.component).toMatchObject({ type: "file", name: "dir:/tmp/x" });
    expect(bom.components ?? []).toEqual([]);
  });
});

describe("json and table", () => {
  it("json is the Sbom model", () => {
    expect(JSON.parse(formatSbom(SBOM, "json"))).toEqual(SBOM);
  });

  it("table has aligned NAME VERSION TYPE SOURCE columns", () => {
    const lines = formatSbom(SBOM, "table").trimEnd().split("\n");
    expect(lines[0]).toMatch(/^NAME\s+VERSION\s+TYPE\s+SOURCE$/);
    expect(lines).toHaveLength(SBOM.packages.length + 1);
    const col = lines[0]!.indexOf("VERSION");
    for (const l of lines.slice(1)) expect(l.slice(col).split(/\s+/)[0]).toMatch(/^\d/);
    expect(lines.find((l) => l.startsWith("libc6"))).toMatch(/\bglibc$/);
    expect(lines.find((l) => l.startsWith("bash"))).toMatch(/bash 5\.2\.15-2$/);
  });

  it("rejects unknown formats with an input error", () => {
    expect(() => formatSbom(SBOM, "spdx" as never)).toThrow(/unknown SBOM format/);
  });
});

describe("unidentified software", () => {
  it("is a file component with its SHA-1 and no purl in CycloneDX, and a row in the table", () => {
    const sbom: Sbom = { ...SBOM, unidentified: [{ path: "app/app.jar!/BOOT-INF/lib/h2-2.3.232.jar", kind: "java-archive", sha1: "ab".repeat(20), layerDigest: "sha256:" + "01".repeat(32) }] };
    const bom = cycloneDxBom(sbom) as Record<string, any>;
    const file = (bom.components as any[]).find((c) => c.type === "file");
    expect(file).toMatchObject({ name: "h2-2.3.232.jar", hashes: [{ alg: "SHA-1", content: "ab".repeat(20) }] });
    expect(file.purl).toBeUndefined();
    expect(file.properties).toContainEqual({ name: "vantage:unidentified", value: "java-archive" });
    expect(formatSbom(sbom, "table")).toMatch(/app\/app\.jar!\/BOOT-INF\/lib\/h2-2\.3\.232\.jar\s+\(unidentified\)\s+java-archive\s+sha1:abab/);
  });
});
