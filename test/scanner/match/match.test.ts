import { describe, expect, it } from "vitest";
import { buildFeedIndex } from "../../../shared/scanner/feed/build.js";
import { parseEpssCsv } from "../../../shared/scanner/feed/epss.js";
import { parseKevCatalog } from "../../../shared/scanner/feed/kev.js";
import { matchSbom } from "../../../shared/scanner/match/index.js";
import { isRemoteCodeExecution } from "../../../shared/scanner/match/exploitability.js";
import { osv, pkg, range, sbom } from "./helpers.js";

const DEB12 = { family: "debian", version: "12" };
const idx = (records: unknown[], extra: Parameters<typeof buildFeedIndex>[0] extends infer T ? Partial<T> : never = {}) => buildFeedIndex({ records, ...extra });

describe("distro packages: source package, source version, epochs", () => {
  it("matches a binary package through its Source: package and version", () => {
    const index = idx([osv("DEBIAN-CVE-2023-1", "Debian:12", "openssl", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "3.0.13-1~deb12u1" })], { upstream: ["CVE-2023-1"] })]);
    const findings = matchSbom(sbom([pkg("deb", "libssl3", "3.0.11-1~deb12u2", { sourceName: "openssl", sourceVersion: "3.0.11-1~deb12u2" })], DEB12), index);
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ id: "CVE-2023-1", aliases: ["DEBIAN-CVE-2023-1"], fixStatus: "fixed", fixedVersion: "3.0.13-1~deb12u1", advisories: ["DEBIAN-CVE-2023-1"] });
    expect(findings[0]!.package).toMatchObject({ name: "libssl3", sourceName: "openssl" });
    // The binary name is not what Debian files advisories under.
    expect(matchSbom(sbom([pkg("deb", "openssl-other", "3.0.11-1", { sourceName: "libssl3" })], DEB12), index)).toEqual([]);
  });

  it("matches only the distro release the advisory is for", () => {
    const index = idx([osv("D-1", "Debian:11", "zlib", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1:1.2.13-1" })])]);
    expect(matchSbom(sbom([pkg("deb", "zlib1g", "1:1.2.11.dfsg-2", { sourceName: "zlib" })], DEB12), index)).toEqual([]);
    expect(matchSbom(sbom([pkg("deb", "zlib1g", "1:1.2.11.dfsg-2", { sourceName: "zlib" })], { family: "debian", version: "11" }), index)).toHaveLength(1);
  });

  it("binNMU: the +bN binary version is not compared, the source version is", () => {
    const index = idx([osv("D-2", "Debian:12", "libfoo", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1.2-3" })])]);
    // Binary 1.2-2+b1 from source 1.2-2: affected; binary 1.2-3+b1 from source 1.2-3: fixed.
    expect(matchSbom(sbom([pkg("deb", "libfoo1", "1.2-2+b1", { sourceName: "libfoo", sourceVersion: "1.2-2" })], DEB12), index)).toHaveLength(1);
    expect(matchSbom(sbom([pkg("deb", "libfoo1", "1.2-3+b1", { sourceName: "libfoo", sourceVersion: "1.2-3" })], DEB12), index)).toHaveLength(0);
    // Without a recorded source version the +bN suffix is stripped: 1.2-3+b2 is source 1.2-3.
    const fixedAtSource = idx([osv("D-3", "Debian:12", "libfoo", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1.2-3+b2" })])]);
    expect(matchSbom(sbom([pkg("deb", "libfoo", "1.2-3+b2")], DEB12), fixedAtSource)).toHaveLength(1);
  });

  it("epochs: a source version lacking the binary's epoch is compared with that epoch", () => {
    const index = idx([osv("D-4", "Debian:12", "openssh", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1:9.2p1-2+deb12u3" })])]);
    const vulnerable = pkg("deb", "openssh-client", "1:9.2p1-2+deb12u2", { sourceName: "openssh", sourceVersion: "9.2p1-2+deb12u2" });
    const patched = pkg("deb", "openssh-client", "1:9.2p1-2+deb12u3", { sourceName: "openssh", sourceVersion: "9.2p1-2+deb12u3" });
    expect(matchSbom(sbom([vulnerable], DEB12), index)).toHaveLength(1);
    // Without the epoch rule 9.2p1-… (epoch 0) < 1:9.2p1-… would always look vulnerable.
    expect(matchSbom(sbom([patched], DEB12), index)).toHaveLength(0);
  });

  it("rpm: a missing epoch is 0 and both source and binary names are looked up", () => {
    const index = idx([
      osv("RHSA-1", "Red Hat:enterprise_linux:9::baseos", "openssl-libs", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1:3.0.7-25.el9" })]),
      osv("AZL-1", "Azure Linux:2", "curl", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "8.4.0-1.cm2" })]),
    ]);
    const rhel = sbom([pkg("rpm", "openssl-libs", "1:3.0.7-24.el9", { sourceName: "openssl" }), pkg("rpm", "zlib", "1.2.11-40.el9", { sourceName: "zlib" })], { family: "rhel", version: "9.3" });
    expect(matchSbom(rhel, index).map((f) => f.package.name)).toEqual(["openssl-libs"]);
    // 3.0.7-26 without epoch is epoch 0 < 1:3.0.7-25: affected.
    expect(matchSbom(sbom([pkg("rpm", "openssl-libs", "3.0.7-26.el9")], { family: "rhel", version: "9" }), index)).toHaveLength(1);
    const mariner = sbom([pkg("rpm", "curl-libs", "8.3.0-1.cm2", { sourceName: "curl" })], { family: "mariner", version: "2.0" });
    expect(matchSbom(mariner, index)[0]).toMatchObject({ id: "AZL-1", fixedVersion: "8.4.0-1.cm2" });
  });

  it("+really and ~deb12u/~bpo backports produce no false positives", () => {
    const index = idx([
      osv("D-5", "Debian:12", "libxml2", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "2.9.14+dfsg-1.3~deb12u1" })]),
      // Debian reverted a vulnerable 2.2 to 1.9 as "2.2+really1.9-1" and names that as the fix.
      osv("D-6", "Debian:12", "foo", [range("ECOSYSTEM", { introduced: "2.2-1" }, { fixed: "2.2+really1.9-1" })]),
      osv("D-7", "Debian:12", "bar", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "1.5-1~bpo12+1" })]),
    ]);
    const pkgs = [
      pkg("deb", "libxml2", "2.9.14+dfsg-1.3~deb12u1", { sourceName: "libxml2" }), // exactly the fix
      pkg("deb", "foo", "2.2+really1.9-1", { sourceName: "foo" }), // "really 1.9" must not be read as 1.9 < 2.2
      pkg("deb", "bar", "1.5-1~bpo12+2", { sourceName: "bar" }), // newer backport than the fix
    ];
    expect(matchSbom(sbom(pkgs, DEB12), index)).toEqual([]);
    // and the ~ really sorts before: the pre-backport build is still flagged.
    expect(matchSbom(sbom([pkg("deb", "libxml2", "2.9.14+dfsg-1.2", { sourceName: "libxml2" })], DEB12), index)).toHaveLength(1);
    expect(matchSbom(sbom([pkg("deb", "foo", "2.2-1", { sourceName: "foo" })], DEB12), index)).toHaveLength(1);
    expect(matchSbom(sbom([pkg("deb", "bar", "1.4-2", { sourceName: "bar" })], DEB12), index)).toHaveLength(1);
  });

  it("Alpine packages match by origin", () => {
    const index = idx([osv("ALPINE-CVE-1", "Alpine:v3.19", "openssl", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "3.1.4-r5" })], { upstream: ["CVE-2024-1"] })]);
    const s = sbom([pkg("apk", "libcrypto3", "3.1.4-r2", { sourceName: "openssl" }), pkg("apk", "libssl3", "3.1.4-r5", { sourceName: "openssl" })], { family: "alpine", version: "3.19.1" });
    expect(matchSbom(s, index).map((f) => `${f.id} ${f.package.name}`)).toEqual(["CVE-2024-1 libcrypto3"]);
  });

  it("OS packages are not matched when the OS is unknown; the SBOM's warning says so, the matcher does not repeat it", () => {
    const index = idx([osv("D-8", "Debian:12", "zlib", [range("ECOSYSTEM", { introduced: "0" })])]);
    const warnings: string[] = [];
    expect(matchSbom(sbom([pkg("deb", "zlib1g", "1.0", { sourceName: "zlib" })]), index, { warnings })).toEqual([]);
    expect(warnings).toEqual([]);
  });
});

describe("language packages", () => {
  it("normalizes PyPI names (PEP 503), npm scopes and Maven group:artifact", () => {
    const index = idx([
      osv("GHSA-py", "PyPI", "Zope.Interface", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "5.0" })]),
      osv("GHSA-npm", "npm", "@scope/pkg", [range("SEMVER", { introduced: "0" }, { fixed: "1.2.0" })]),
      osv("GHSA-mvn", "Maven", "org.apache.logging.log4j:log4j-core", [range("ECOSYSTEM", { introduced: "2.0-beta9" }, { fixed: "2.15.0" })]),
    ]);
    const s = sbom([
      pkg("pypi", "zope_interface", "4.7.1", { purl: "pkg:pypi/zope-interface@4.7.1" }),
      pkg("npm", "@scope/pkg", "1.1.9", { purl: "pkg:npm/%40scope/pkg@1.1.9" }),
      pkg("maven", "log4j-core", "2.14.1", { purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }),
      pkg("maven", "log4j-core", "2.17.1", { purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.17.1" }),
    ]);
    expect(matchSbom(s, index).map((f) => `${f.id} ${f.package.version}`).sort()).toEqual(["GHSA-mvn 2.14.1", "GHSA-npm 1.1.9", "GHSA-py 4.7.1"]);
  });

  it("uses the ecosystem's ordering: PEP 440 pre-releases and Maven qualifiers", () => {
    const index = idx([osv("GHSA-a", "PyPI", "django", [range("ECOSYSTEM", { introduced: "4.2" }, { fixed: "4.2.8" })])]);
    const check = (v: string) => matchSbom(sbom([pkg("pypi", "Django", v, { purl: `pkg:pypi/django@${v}` })]), index).length;
    expect([check("4.2rc1"), check("4.2"), check("4.2.7"), check("4.2.8"), check("4.2.10")]).toEqual([0, 1, 1, 0, 0]);
  });

  it("Go modules with a v prefix match SEMVER ranges", () => {
    const index = idx([osv("GO-2023-1", "Go", "golang.org/x/net", [range("SEMVER", { introduced: "0" }, { fixed: "0.17.0" })])]);
    const s = sbom([pkg("golang", "golang.org/x/net", "v0.15.0", { purl: "pkg:golang/golang.org/x/net@v0.15.0" })]);
    expect(matchSbom(s, index)[0]).toMatchObject({ id: "GO-2023-1", fixedVersion: "0.17.0" });
  });
});

describe("alias de-duplication and record handling", () => {
  it("GHSA + CVE + distro records of one vulnerability give one finding per package", () => {
    const index = idx([
      osv("GHSA-xxxx-yyyy-zzzz", "npm", "lodash", [range("SEMVER", { introduced: "0" }, { fixed: "4.17.21" })], {
        aliases: ["CVE-2021-23337"],
        severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H" }],
        database_specific: { cwe_ids: ["CWE-94"], severity: "HIGH" },
      }),
      osv("CVE-2021-23337", "npm", "lodash", [range("SEMVER", { introduced: "4.0.0" }, { fixed: "4.17.21" })], { aliases: ["GHSA-xxxx-yyyy-zzzz"] }),
      // A third record naming only the GHSA joins the same group transitively.
      osv("OSV-2021-9", "npm", "lodash", [range("SEMVER", { introduced: "0" }, { fixed: "4.17.20" })], { aliases: ["GHSA-xxxx-yyyy-zzzz"] }),
    ]);
    const findings = matchSbom(sbom([pkg("npm", "lodash", "4.17.15"), pkg("npm", "lodash", "4.17.20", { purl: "pkg:npm/lodash@4.17.20-b" })]), index);
    expect(findings).toHaveLength(2);
    const [first] = findings.filter((f) => f.package.version === "4.17.15");
    expect(first).toMatchObject({
      id: "CVE-2021-23337",
      aliases: ["GHSA-xxxx-yyyy-zzzz", "OSV-2021-9"],
      advisories: ["CVE-2021-23337", "GHSA-xxxx-yyyy-zzzz", "OSV-2021-9"],
      severity: "high",
      cvss: { version: "3.1", score: 7.2 },
      fixedVersion: "4.17.21", // the highest fix satisfies every advisory
    });
    expect(first!.exploitability.remoteCodeExecution).toBe(true);
    const second = findings.find((f) => f.package.version === "4.17.20")!;
    expect(second.advisories).toEqual(["CVE-2021-23337", "GHSA-xxxx-yyyy-zzzz"]);
  });

  it("withdrawn records never produce findings", () => {
    const index = idx([osv("GHSA-w", "npm", "left-pad", [range("SEMVER", { introduced: "0" })], { withdrawn: "2024-02-01T00:00:00Z" })]);
    expect(index.stats.skipped.withdrawn).toBe(1);
    expect(matchSbom(sbom([pkg("npm", "left-pad", "1.0.0")]), index)).toEqual([]);
  });

  it("severity falls back to the database rating when only a CVSS v4 vector exists", () => {
    const index = idx([
      osv("GHSA-v4", "PyPI", "torch", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "2.6.0" })], {
        severity: [{ type: "CVSS_V4", score: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N" }],
        database_specific: { severity: "CRITICAL", cwe_ids: ["CWE-502"] },
      }),
      osv("DEBIAN-CVE-2", "Debian:12", "tiff", [range("ECOSYSTEM", { introduced: "0" })], { ecosystem_specific: { urgency: "low" } }),
    ]);
    const [torch] = matchSbom(sbom([pkg("pypi", "torch", "2.5.1")]), index);
    expect(torch).toMatchObject({ severity: "critical", exploitability: { remoteCodeExecution: true } });
    expect(torch!.cvss).toBeUndefined();
    const [tiff] = matchSbom(sbom([pkg("deb", "libtiff6", "4.5.0-6", { sourceName: "tiff" })], DEB12), index);
    expect(tiff).toMatchObject({ severity: "low", fixStatus: "not-fixed", fixedVersion: null });
  });
});

describe("fix status", () => {
  const cases: [string, unknown, string][] = [
    ["fixed", osv("A", "Debian:12", "p", [range("ECOSYSTEM", { introduced: "0" }, { fixed: "2.0" })]), "fixed"],
    ["open-ended", osv("A", "Debian:12", "p", [range("ECOSYSTEM", { introduced: "0" })]), "not-fixed"],
    ["no-dsa", osv("A", "Debian:12", "p", [range("ECOSYSTEM", { introduced: "0" })], { affectedDb: { status: "no-dsa" } }), "wont-fix"],
    ["explicit wont-fix", osv("A", "Ubuntu:22.04:LTS", "p", [range("ECOSYSTEM", { introduced: "0" })], { ecosystem_specific: { fix_status: "wont-fix" } }), "wont-fix"],
    ["last_affected", osv("A", "Debian:12", "p", [range("ECOSYSTEM", { introduced: "0" }, { last_affected: "1.5" })]), "unknown"],
  ];
  it.each(cases)("%s", (_name, record, status) => {
    const os = (record as { affected: { package: { ecosystem: string } }[] }).affected[0]!.package.ecosystem.startsWith("Ubuntu") ? { family: "ubuntu", version: "22.04" } : DEB12;
    const [f] = matchSbom(sbom([pkg("deb", "p", "1.0")], os), idx([record]));
    expect(f?.fixStatus).toBe(status);
  });
});

describe("exploitability", () => {
  const kev = parseKevCatalog(JSON.stringify({ vulnerabilities: [{ cveID: "CVE-2021-44228", dateAdded: "2021-12-10", knownRansomwareCampaignUse: "Known" }] }));
  const epss = parseEpssCsv("#model_version:v2023.03.01,score_date:2024-07-01T00:00:00+0000\ncve,epss,percentile\nCVE-2021-44228,0.97565,0.99996\nCVE-2020-1,0.1,0.5\n");

  it("joins KEV and EPSS through aliases; KEV implies a public exploit", () => {
    const index = idx(
      [
        osv("GHSA-jfh8-c2jp-5v3q", "Maven", "org.apache.logging.log4j:log4j-core", [range("ECOSYSTEM", { introduced: "2.13.0" }, { fixed: "2.15.0" })], {
          aliases: ["CVE-2021-44228"],
          severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H" }],
          database_specific: { cwe_ids: ["CWE-502", "CWE-917"] },
        }),
        osv("GHSA-other", "npm", "x", [range("SEMVER", { introduced: "0" })], { references: [{ type: "EXPLOIT", url: "https://example.invalid/poc" }] }),
      ],
      { kev, epss },
    );
    const findings = matchSbom(sbom([pkg("maven", "log4j-core", "2.14.1", { purl: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1" }), pkg("npm", "x", "1.0.0")]), index);
    expect(findings[0]).toMatchObject({
      id: "CVE-2021-44228",
      severity: "critical",
      cvss: { score: 10 },
      exploitability: { knownExploited: true, epss: 0.97565, epssPercentile: 0.99996, publicExploit: true, remoteCodeExecution: true },
    });
    expect(findings[1]!.exploitability).toEqual({ knownExploited: false, epss: null, epssPercentile: null, publicExploit: true, remoteCodeExecution: false });
  });

  it("RCE rule: injection CWEs unless local; memory corruption only over the network; else AV:N/PR:N/C:H/I:H", () => {
    expect(isRemoteCodeExecution(["CWE-78"], undefined)).toBe(true);
    expect(isRemoteCodeExecution(["CWE-78"], "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H")).toBe(false);
    expect(isRemoteCodeExecution(["CWE-787"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H")).toBe(true);
    expect(isRemoteCodeExecution(["CWE-787"], "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H")).toBe(false);
    expect(isRemoteCodeExecution(["CWE-416"], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H")).toBe(false);
    expect(isRemoteCodeExecution([], "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H")).toBe(true);
    expect(isRemoteCodeExecution([], "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N")).toBe(false);
    expect(isRemoteCodeExecution(["CWE-502"], "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N")).toBe(true);
  });
});

describe("ordering", () => {
  it("sorts by severity, then id, then package; duplicates of one package are one package", () => {
    const cv = (s: string) => ({ severity: [{ type: "CVSS_V3", score: s }] });
    const index = idx([
      osv("CVE-2020-0002", "npm", "a", [range("SEMVER", { introduced: "0" })], cv("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:L")),
      osv("CVE-2020-0001", "npm", "b", [range("SEMVER", { introduced: "0" })], cv("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
      osv("CVE-2020-0003", "npm", "a", [range("SEMVER", { introduced: "0" })], cv("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H")),
    ]);
    const a = pkg("npm", "a", "1.0.0");
    const findings = matchSbom(sbom([pkg("npm", "b", "1.0.0"), a, { ...a, locations: ["other"] }]), index);
    expect(findings.map((f) => `${f.severity} ${f.id} ${f.package.name}`)).toEqual([
      "critical CVE-2020-0001 b",
      "critical CVE-2020-0003 a",
      "medium CVE-2020-0002 a",
    ]);
  });
});
