// The demo estate's images scanned against the demo feed, through the real catalogers: expected
// results are properties computed here, not stored answers.
import { beforeAll, describe, expect, it } from "vitest";
import { loadFeedDir } from "../../../shared/scanner/feed/load-dir.js";
import type { FeedIndex } from "../../../shared/scanner/feed/model.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { scanSbom } from "../../../shared/scanner/match/index.js";
import type { Sbom, ScanReport } from "../../../shared/scanner/model.js";
import { compareVersions } from "../../../shared/scanner/versions/index.js";
import { DEMO_FEED, demoImages, materialize } from "./demo-images.js";
import { purlProblem } from "../../support/purl-guard.js";

const REFS: Record<string, string> = {
  storefront: "vantagedemo.azurecr.io/shop/storefront:1.4.2",
  cart: "vantagedemo.azurecr.io/shop/cart:2.0.1",
  ledger: "vantagedemo.azurecr.io/payments/ledger:3.1.0",
  "log-agent": "vantagedemo.azurecr.io/tools/log-agent:0.9.0",
  inference: "vantagedemo.azurecr.io/ml/inference:1.2.0",
  frontend: "vantagedemo.azurecr.io/web/frontend:5.2.0",
  catalog: "vantagedemo.azurecr.io/shop/catalog:1.0.0",
  // In the registry only: no cluster runs them; the registry inventory finds them.
  "report-builder": "vantagedemo.azurecr.io/batch/report-builder:0.4.1",
  "billing-export": "vantagedemo.azurecr.io/finance/billing-export:2.3.0",
};

let index: FeedIndex;
const sboms: Record<string, Sbom> = {};
const reports: Record<string, ScanReport> = {};

beforeAll(async () => {
  index = await loadFeedDir(DEMO_FEED);
  for (const [name, image] of Object.entries(demoImages())) {
    const { dir, cleanup } = materialize(image);
    try {
      sboms[name] = await catalogTarget(`dir:${dir}`);
      reports[name] = scanSbom(sboms[name]!, index);
    } finally {
      cleanup();
    }
  }
});

describe("demo feed", () => {
  it("is well-formed: nothing skipped, KEV and EPSS joined", () => {
    expect(index.stats.skipped).toEqual({});
    expect(index.stats.unknownEcosystems).toEqual({});
    expect(index.version.kev).toBeGreaterThanOrEqual(3);
    for (const cve of Object.keys(index.kev)) expect(index.epss[cve], cve).toBeDefined();
  });
});

describe("demo images", () => {
  it("has exactly the estate's image references", () => {
    expect(Object.fromEntries(Object.entries(demoImages()).map(([k, v]) => [k, v.ref]))).toEqual(REFS);
  });

  it("every image catalogs its OS and packages", () => {
    for (const [name, sbom] of Object.entries(sboms)) {
      expect(sbom.artifact.os, name).toBeDefined();
      expect(sbom.packages.length, name).toBeGreaterThan(3);
    }
  });

  it("storefront (internet-exposed) has a critical, known-exploited remote-code-execution vulnerability", () => {
    const f = reports.storefront!.findings;
    const worst = f.filter((x) => x.severity === "critical" && x.exploitability.knownExploited && x.exploitability.remoteCodeExecution);
    expect(worst.length).toBeGreaterThan(0);
    expect(worst[0]!.id).toMatch(/^CVE-/);
    expect(worst[0]!.fixStatus).toBe("fixed");
    // epoch-carrying fix (openssh 1:…) matched against the binary's epoch, found and fixed-in kept intact
    const ssh = f.find((x) => x.package.name === "openssh-client");
    expect(ssh?.fixedVersion).toMatch(/^1:/);
    expect(compareVersions("deb", ssh!.package.version, ssh!.fixedVersion!)).toBe(-1);
  });

  it("catalog (patched distroless) has zero findings although the feed covers its packages", () => {
    expect(reports.catalog!.findings).toEqual([]);
    const libssl = sboms.catalog!.packages.find((p) => p.name === "libssl3")!;
    const entries = index.packages["debian:12"]![libssl.sourceName!]!;
    expect(entries.length).toBeGreaterThan(0);
    // The ~deb12u backport carries the fix; a naive upstream comparison (3.0.11 < 3.0.12, the
    // upstream release with the fix) would have flagged it.
    const upstream = libssl.version.split("-")[0]!;
    expect(compareVersions("semver", upstream, "3.0.12")).toBe(-1);
    expect(libssl.version).toMatch(/~deb12u/);
  });

  it("cart (Alpine) has high or critical findings matched by origin package", () => {
    const f = reports.cart!.findings;
    expect(f.some((x) => x.severity === "high")).toBe(true);
    expect(f.every((x) => x.package.type === "apk")).toBe(true);
    expect(f.some((x) => x.package.name !== x.package.sourceName)).toBe(true);
  });

  it("ledger (Azure Linux distroless rpm manifest) is matched by source rpm", () => {
    const f = reports.ledger!.findings;
    expect(reports.ledger!.artifact.os?.family).toMatch(/mariner|azurelinux/);
    expect(new Set(f.map((x) => x.package.name))).toContain("curl-libs");
  });

  it("log-agent and inference carry language-package RCE advisories; frontend npm findings", () => {
    expect(reports["log-agent"]!.findings.some((x) => x.package.type === "npm" && x.exploitability.remoteCodeExecution)).toBe(true);
    const inf = reports.inference!.findings;
    expect(inf.some((x) => x.package.type === "pypi" && x.exploitability.remoteCodeExecution)).toBe(true);
    expect(inf.some((x) => x.package.type === "deb")).toBe(true);
    expect(reports.frontend!.findings.some((x) => x.package.type === "npm")).toBe(true);
  });

  it("every finding is deduplicated and deterministic", () => {
    for (const [name, report] of Object.entries(reports)) {
      const keys = report.findings.map((f) => `${f.id} ${f.package.purl}`);
      expect(new Set(keys).size, name).toBe(keys.length);
      expect(scanSbom(sboms[name]!, index)).toEqual(report);
    }
  });
});

describe("purls", () => {
  it("every purl in the demo images' SBOMs (OS purls with distro qualifiers included) and findings is valid per packageurl-js", () => {
    const purls = new Set<string>();
    for (const s of Object.values(sboms)) for (const p of s.packages) purls.add(p.purl);
    for (const r of Object.values(reports)) for (const f of r.findings) purls.add(f.package.purl);
    expect(purls.size).toBeGreaterThan(50);
    const bad = [...purls].map((p) => [p, purlProblem(p)]).filter(([, problem]) => problem);
    expect(bad).toEqual([]);
  });
});
