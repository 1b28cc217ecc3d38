import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { InputError } from "../../../shared/errors.js";
import {
  buildFeedIndex, ecosystemKeyForOs, gunzipFeedIndex, gzipFeedIndex, loadFeedDir, normalizePackageName, parseEpssCsv,
  parseFeedIndex, parseKevCatalog, parseOsvEcosystem, readZip, serializeFeedIndex,
} from "../../../shared/scanner/feed/index.js";
import { osv, range } from "../match/helpers.js";
import { makeZip } from "./zip-writer.js";

const tmp = mkdtempSync(join(tmpdir(), "vantage-feed-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("ecosystems", () => {
  it.each([
    ["Debian:12", "debian:12", "deb"],
    ["Ubuntu:22.04:LTS", "ubuntu:22.04", "deb"],
    ["Alpine:v3.19", "alpine:3.19", "apk"],
    ["Red Hat:enterprise_linux:9::appstream", "rhel:9", "rpm"],
    ["AlmaLinux:9", "almalinux:9", "rpm"],
    ["Rocky Linux:8", "rocky:8", "rpm"],
    ["Azure Linux:3", "azurelinux:3", "rpm"],
    ["Mariner:2.0", "azurelinux:2", "rpm"],
    ["SUSE:Linux Enterprise Server 15 SP5", "sles:15.5", "rpm"],
    ["openSUSE:Leap 15.5", "opensuse-leap:15.5", "rpm"],
    ["PyPI", "pypi", "pep440"],
    ["RubyGems", "gem", "gem"],
  ])("%s → %s (%s)", (eco, key, scheme) => {
    expect(parseOsvEcosystem(eco)).toEqual({ key, scheme, os: true && !["pypi", "gem"].includes(key) });
  });

  it("ignores ecosystems we cannot match", () => {
    expect(parseOsvEcosystem("crates.io")).toBeUndefined();
    expect(parseOsvEcosystem("Ubuntu:Pro:FIPS:18.04:LTS")).toBeUndefined();
    expect(parseOsvEcosystem("Debian")).toBeUndefined();
  });

  it("derives the same keys from an SBOM's OS release", () => {
    expect(ecosystemKeyForOs({ family: "debian", version: "12", versionId: "12.5" })).toBe("debian:12");
    expect(ecosystemKeyForOs({ family: "alpine", version: "3.19.1" })).toBe("alpine:3.19");
    expect(ecosystemKeyForOs({ family: "mariner", version: "2.0" })).toBe("azurelinux:2");
    expect(ecosystemKeyForOs({ family: "sles", version: "15-SP5" })).toBe("sles:15.5");
    expect(ecosystemKeyForOs({ family: "ubuntu", version: "22.04" })).toBe("ubuntu:22.04");
  });

  it("normalizes names: PEP 503, NuGet case, Maven group:artifact", () => {
    expect(normalizePackageName("pypi", "Zope.Interface__x")).toBe("zope-interface-x");
    expect(normalizePackageName("nuget", "Newtonsoft.Json")).toBe("newtonsoft.json");
    expect(normalizePackageName("maven", "org.example/lib")).toBe("org.example:lib");
    expect(normalizePackageName("debian:12", "Foo")).toBe("Foo");
  });
});

describe("building the index", () => {
  const good = osv("GHSA-1", "npm", "lodash", [range("SEMVER", { introduced: "0" }, { fixed: "4.17.21" })], { aliases: ["CVE-2021-1"] });

  it("skips malformed, withdrawn and self-contradicting records with a counted reason", () => {
    const index = buildFeedIndex({
      records: [
        good,
        "not an object",
        { modified: "2024-01-01T00:00:00Z" }, // no id
        { id: "X-1" }, // no modified
        osv("X-2", "npm", "a", [range("SEMVER", { introduced: "0" })], { withdrawn: "2024-01-02T00:00:00Z" }),
        osv("X-3", "npm", "a", [range("SEMVER", { fixed: "1.0.0" })]), // no introduced
        osv("X-4", "npm", "a", [range("SEMVER", { introduced: "0" }, { fixed: "1.0.0" }, { last_affected: "0.9.0" })]),
        osv("X-5", "npm", "a", [range("SEMVER", { introduced: "2.0.0" }, { fixed: "1.0.0" })]), // fix before introduction
        osv("X-6", "Debian:12", "a", [range("ECOSYSTEM", { introduced: "1.0-1" }, { fixed: "1.0-1" })]),
        osv("X-7", "crates.io", "serde", [range("SEMVER", { introduced: "0" })]),
        { ...osv("X-8", "npm", "a", [range("SEMVER", { introduced: "0" })]), aliases: "CVE-1" },
        osv("X-9", "npm", "a", [{ type: "GIT", repo: "https://example.invalid/r", events: [{ introduced: "abc" }] }]),
      ],
    });
    expect(index.stats.records).toBe(12);
    expect(index.stats.indexed).toBe(1);
    expect(index.stats.skipped).toEqual({
      "malformed-record": 1,
      "malformed-id": 1,
      "malformed-modified": 1,
      withdrawn: 1,
      "malformed-range": 1,
      "contradictory-range": 3,
      "unknown-ecosystem": 1,
      "malformed-aliases": 1,
      "no-usable-affected": 1,
    });
    expect(index.stats.unknownEcosystems).toEqual({ "crates.io": 1 });
    expect(Object.keys(index.vulns)).toEqual(["GHSA-1"]);
    expect(index.vulns["GHSA-1"]!.group).toBe("CVE-2021-1");
  });

  it("keeps the newest of duplicate records, and its hash ignores input order and build time", () => {
    const older = { ...good, modified: "2023-01-01T00:00:00Z", summary: "old" };
    const other = osv("PYSEC-1", "PyPI", "Django", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "4.2.8" })]);
    const a = buildFeedIndex({ records: [good, older, other] }, { builtAt: new Date(0) });
    const b = buildFeedIndex({ records: [other, older, good] }, { builtAt: new Date(1e12) });
    expect(a.vulns["GHSA-1"]!.summary).toBeUndefined();
    expect(a.stats.skipped["duplicate-older"]).toBe(1);
    expect(a.version.hash).toBe(b.version.hash);
    expect(a.version).toMatchObject({ advisories: 2, packages: 2 });
    expect(Object.keys(a.packages.pypi!)).toEqual(["django"]);
    expect(buildFeedIndex({ records: [good] }).version.hash).not.toBe(a.version.hash);
  });

  it("round-trips through JSON and gzip, and rejects foreign blobs", () => {
    const index = buildFeedIndex({ records: [good] });
    expect(parseFeedIndex(serializeFeedIndex(index))).toEqual(index);
    expect(gunzipFeedIndex(gzipFeedIndex(index))).toEqual(index);
    expect(() => parseFeedIndex('{"schema":2}')).toThrow(InputError);
    expect(() => parseFeedIndex("{")).toThrow(InputError);
    expect(() => gunzipFeedIndex(Buffer.from("plain"))).toThrow(InputError);
  });
});

describe("KEV and EPSS", () => {
  it("parses CISA KEV JSON", () => {
    const kev = parseKevCatalog(JSON.stringify({
      catalogVersion: "2024.07.01",
      vulnerabilities: [
        { cveID: "CVE-2021-44228", dateAdded: "2021-12-10", knownRansomwareCampaignUse: "Known" },
        { cveID: "CVE-2023-4863", dateAdded: "2023-09-13", knownRansomwareCampaignUse: "Unknown" },
        { cveID: "bogus" },
      ],
    }));
    expect(kev).toEqual({ "CVE-2021-44228": { dateAdded: "2021-12-10", ransomware: true }, "CVE-2023-4863": { dateAdded: "2023-09-13", ransomware: false } });
    expect(() => parseKevCatalog("[]")).toThrow(/vulnerabilities/);
  });

  it("parses FIRST EPSS CSV with its model comment line", () => {
    const e = parseEpssCsv("#model_version:v2023.03.01,score_date:2024-07-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\nCVE-2020-1,oops,0.1\n\n");
    expect(e).toEqual({ modelVersion: "v2023.03.01", scoreDate: "2024-07-01T00:00:00+0000", scores: { "CVE-2021-44228": [0.97565, 0.99996] } });
    expect(() => parseEpssCsv("a,b\n1,2\n")).toThrow(InputError);
  });
});

describe("loading a feed directory", () => {
  it("reads nested records, array files, kev.json and epss.csv; counts stray files", async () => {
    const dir = join(tmp, "feed1");
    mkdirSync(join(dir, "npm", "deep"), { recursive: true });
    writeFileSync(join(dir, "npm", "deep", "GHSA-1.json"), JSON.stringify(osv("GHSA-1", "npm", "a", [range("SEMVER", { introduced: "0" })])));
    writeFileSync(join(dir, "all.json"), JSON.stringify([osv("D-1", "Debian:12", "b", [range("ECOSYSTEM", { introduced: "0" })]), osv("D-2", "Debian:12", "c", [range("ECOSYSTEM", { introduced: "0" })])]));
    writeFileSync(join(dir, "broken.json"), "{ nope");
    writeFileSync(join(dir, "kev.json"), JSON.stringify({ vulnerabilities: [{ cveID: "CVE-2020-1", dateAdded: "2020-01-01" }] }));
    writeFileSync(join(dir, "epss.csv"), "cve,epss,percentile\nCVE-2020-1,0.5,0.9\n");
    writeFileSync(join(dir, "README.md"), "ignored");
    const index = await loadFeedDir(dir);
    expect(index.version).toMatchObject({ advisories: 3, kev: 1, epss: 1 });
    expect(index.stats.skipped["malformed-file"]).toBe(1);
    expect(Object.keys(index.packages).sort()).toEqual(["debian:12", "npm"]);
  });

  it("rejects a missing, non-directory or empty feed with InputError", async () => {
    await expect(loadFeedDir(join(tmp, "absent"))).rejects.toThrow(InputError);
    writeFileSync(join(tmp, "file"), "x");
    await expect(loadFeedDir(join(tmp, "file"))).rejects.toThrow(/not a directory/);
    mkdirSync(join(tmp, "empty"));
    await expect(loadFeedDir(join(tmp, "empty"))).rejects.toThrow(/no OSV records/);
  });
});

describe("zip reader", () => {
  it("reads deflated and stored entries, filtering by name", () => {
    for (const deflate of [true, false]) {
      const zip = makeZip({ "a.json": '{"id":"A"}', "dir/b.json": '{"id":"B"}', "c.txt": "x" }, deflate);
      const entries = [...readZip(zip, (n) => n.endsWith(".json"))].map((e) => [e.name, e.data.toString()]);
      expect(entries).toEqual([["a.json", '{"id":"A"}'], ["dir/b.json", '{"id":"B"}']]);
    }
  });

  it("enforces limits and rejects garbage", () => {
    const zip = makeZip({ "a.json": "x".repeat(1000), "b.json": "y" });
    expect(() => [...readZip(zip, () => true, { maxEntries: 1, maxEntryBytes: 1e6, maxTotalBytes: 1e6 })]).toThrow(/entries/);
    expect(() => [...readZip(zip, () => true, { maxEntries: 10, maxEntryBytes: 100, maxTotalBytes: 1e6 })]).toThrow(/limit/);
    expect(() => [...readZip(Buffer.from("PK\x03\x04 not really a zip"))]).toThrow(/central directory/);
  });
});
