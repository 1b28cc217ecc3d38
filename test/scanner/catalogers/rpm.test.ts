import { describe, expect, it } from "vitest";
import { assembleSbom } from "../../../shared/scanner/catalogers/index.js";
import { osReleaseCataloger } from "../../../shared/scanner/catalogers/os-release.js";
import { parseSourceRpm, rpmCataloger } from "../../../shared/scanner/catalogers/rpm.js";
import { parseRpmHeader } from "../../../shared/scanner/catalogers/rpm/header.js";
import { rpmBdb, rpmBlob, rpmNdb, rpmSqlite, type RpmSpec } from "./helpers.js";

const PKGS: RpmSpec[] = [
  { name: "openssl-libs", version: "3.0.7", release: "25.el9_3", epoch: 1, sourceRpm: "openssl-3.0.7-25.el9_3.src.rpm", license: "ASL 2.0", vendor: "Red Hat, Inc." },
  { name: "bash", version: "5.1.8", release: "6.el9_1", sourceRpm: "bash-5.1.8-6.el9_1.src.rpm", license: "GPLv3+", vendor: "Red Hat, Inc." },
  { name: "nodejs", version: "18.19.0", release: "1.module+el9.3.0+21078+2d4a3c6e", epoch: 1, sourceRpm: "nodejs-18.19.0-1.module+el9.3.0+21078+2d4a3c6e.src.rpm", modularityLabel: "nodejs:18:9030020231120082734:rhel9", vendor: "Red Hat, Inc." },
  { name: "gpg-pubkey", version: "fd431d51", release: "4ae0493b", arch: "(none)" },
];
const blobs = () => PKGS.map(rpmBlob);

function checkPackages(pkgs: Awaited<ReturnType<typeof rpmCataloger.parse>>["packages"], path: string) {
  expect(pkgs.map((p) => p.name)).toEqual(["openssl-libs", "bash", "nodejs"]);
  const [ssl, bash, node] = pkgs;
  expect(ssl).toMatchObject({
    version: "1:3.0.7-25.el9_3",
    sourceName: "openssl",
    sourceVersion: "1:3.0.7-25.el9_3",
    arch: "x86_64",
    licenses: ["ASL 2.0"],
    locations: [path],
    cataloger: "rpm",
    type: "rpm",
  });
  expect(ssl!.metadata).toMatchObject({ epoch: "1", release: "25.el9_3", version: "3.0.7" });
  expect(ssl!.purl).toBe("pkg:rpm/redhat/openssl-libs@3.0.7-25.el9_3?arch=x86_64&epoch=1&upstream=openssl-3.0.7-25.el9_3.src.rpm");
  // Missing epoch: no epoch anywhere (rpm compares it as 0).
  expect(bash!.version).toBe("5.1.8-6.el9_1");
  expect(bash!.purl).not.toContain("epoch=");
  expect(bash!.metadata?.epoch).toBeUndefined();
  expect(node!.metadata?.modularityLabel).toBe("nodejs:18:9030020231120082734:rhel9");
}

describe("rpm cataloger", () => {
  it("matches the rpmdb backends and the Mariner manifest", () => {
    for (const p of ["var/lib/rpm/rpmdb.sqlite", "var/lib/rpm/Packages", "var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/rpmdb.sqlite", "var/lib/rpmmanifest/container-manifest-2"]) {
      expect(rpmCataloger.matches(p, 4096, 0o644)).toBe(true);
    }
    expect(rpmCataloger.matches("var/lib/rpm/Name", 4096, 0o644)).toBe(false);
    expect(rpmCataloger.matches("var/lib/rpmmanifest/container-manifest-1", 4096, 0o644)).toBe(false);
  });

  it("parses header blobs (round trip through the encoder)", () => {
    const h = parseRpmHeader(rpmBlob(PKGS[2]!));
    expect(h).toMatchObject({ name: "nodejs", epoch: 1, modularityLabel: "nodejs:18:9030020231120082734:rhel9", arch: "x86_64" });
    expect(parseRpmHeader(Buffer.from([0, 0, 0, 1, 0, 0, 0, 200]))).toBe("header blob truncated");
  });

  it("reads rpmdb.sqlite (generated with sql.js)", async () => {
    const path = "var/lib/rpm/rpmdb.sqlite";
    const f = await rpmCataloger.parse(path, await rpmSqlite(blobs()));
    expect(f.warnings).toBeUndefined();
    checkPackages(f.packages, path);
  });

  it("reads a Berkeley DB hash Packages file (little- and big-endian, multi-page overflow)", async () => {
    const path = "var/lib/rpm/Packages";
    checkPackages((await rpmCataloger.parse(path, rpmBdb(blobs()))).packages, path);
    checkPackages((await rpmCataloger.parse(path, rpmBdb(blobs(), { bigEndian: true, pageSize: 512 }))).packages, path);
  });

  it("reports broken overflow chains in Berkeley DB instead of failing", async () => {
    const db = rpmBdb(blobs(), { pageSize: 512 });
    db[3 * 512 + 25] = 0; // break the first record's chain
    const f = await rpmCataloger.parse("var/lib/rpm/Packages", db);
    expect(f.packages.length).toBe(2);
    expect(f.warnings?.join()).toMatch(/broken overflow/);
  });

  it("reads an ndb Packages.db", async () => {
    const path = "var/lib/rpm/Packages.db";
    checkPackages((await rpmCataloger.parse(path, rpmNdb(blobs()))).packages, path);
  });

  it("warns on an unknown database format", async () => {
    const f = await rpmCataloger.parse("var/lib/rpm/Packages", Buffer.alloc(4096, 7));
    expect(f.packages).toEqual([]);
    expect(f.warnings?.[0]).toMatch(/unrecognized rpm database format/);
  });

  it("reads the Mariner distroless manifest (NAME, VERSION-RELEASE, INSTALLTIME, BUILDTIME, VENDOR, EPOCH, SIZE, ARCH, EPOCHNUM, SOURCERPM)", async () => {
    const path = "var/lib/rpmmanifest/container-manifest-2";
    const text = [
      "filesystem\t1.1-19.cm2\t1705958283\t1699399632\tMicrosoft Corporation\t(none)\t7596\tx86_64\t0\tfilesystem-1.1-19.cm2.src.rpm",
      "glibc\t2.35-6.cm2\t1705958284\t1700082722\tMicrosoft Corporation\t(none)\t10253410\tx86_64\t0\tglibc-2.35-6.cm2.src.rpm",
      "openssl-libs\t1.1.1k-28.cm2\t1705958284\t1701218512\tMicrosoft Corporation\t(none)\t3987280\tx86_64\t0\topenssl-1.1.1k-28.cm2.src.rpm",
      "tzdata\t2023c-1.cm2\t1705958284\t1690326823\tMicrosoft Corporation\t3\t1767214\tnoarch\t3\ttzdata-2023c-1.cm2.src.rpm",
      "gpg-pubkey\t3135ce90-5e6fda74\t1705958284\t1584388724\t(none)\t(none)\t0\t(none)\t0\t(none)",
      "garbage-line-without-tabs",
    ].join("\n");
    const f = await rpmCataloger.parse(path, Buffer.from(text));
    expect(f.packages.map((p) => p.name)).toEqual(["filesystem", "glibc", "openssl-libs", "tzdata"]);
    expect(f.packages[2]).toMatchObject({ version: "1.1.1k-28.cm2", sourceName: "openssl", sourceVersion: "1.1.1k-28.cm2", arch: "x86_64" });
    expect(f.packages[3]).toMatchObject({ version: "3:2023c-1.cm2", arch: "noarch" });
    expect(f.warnings?.[0]).toMatch(/1 malformed/);
    const os = await osReleaseCataloger.parse("etc/os-release", Buffer.from('ID=mariner\nVERSION_ID="2.0"\n'));
    const sbom = assembleSbom({ target: "t", artifact: {}, files: [{ path, facts: f }, { path: "etc/os-release", facts: os }] });
    expect(sbom.packages.find((p) => p.name === "tzdata")!.purl).toBe(
      "pkg:rpm/mariner/tzdata@2023c-1.cm2?arch=noarch&distro=mariner-2.0&epoch=3&upstream=tzdata-2023c-1.cm2.src.rpm",
    );
  });

  it("parses source rpm names", () => {
    expect(parseSourceRpm("python3.11-3.11.5-1.el9.src.rpm")).toEqual({ name: "python3.11", version: "3.11.5", release: "1.el9" });
    expect(parseSourceRpm("junk")).toBeUndefined();
  });
});
