// Real rpm databases, written by Debian's own `rpm` (not by this project's encoder): minimal
// packages built with rpmbuild, installed with --justdb into a private --dbpath, then read by the
// cataloger and compared field by field with what `rpm -qa` reports from the same database.
// Debian's rpm writes the sqlite backend (it cannot write Berkeley DB or ndb; those formats are
// covered by rpm.test.ts with the project's writer).
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { rpmCataloger } from "../../../shared/scanner/catalogers/rpm.js";
import { requireTool } from "../../support/oracles.js";

// One spec with a subpackage (its source rpm is named after the main package), an epoch, a
// license expression, a vendor and a modularity label; one noarch spec without an epoch whose
// version uses rpm's ~ and ^ operators.
const SPECS: Record<string, string> = {
  "openssl.spec": `
Name: openssl
Epoch: 1
Version: 3.0.7
Release: 25.el9_3
Summary: fixture
License: ASL 2.0
Vendor: Red Hat, Inc.
ModularityLabel: openssl:3:9030020231120082734:rhel9
%description
fixture
%package libs
Summary: fixture libs
License: ASL 2.0 AND MIT
%description libs
fixture libs
%files
%files libs
`,
  "tzdata.spec": `
Name: tzdata
Version: 2024a~rc1^git20240101
Release: 1.fc40
Summary: fixture
License: LicenseRef-Fedora-Public-Domain
BuildArch: noarch
%description
fixture
%files
`,
};

interface QueriedPackage {
  name: string;
  epoch?: string;
  version: string;
  release: string;
  arch: string;
  sourceRpm: string;
  license: string;
  vendor?: string;
  modularityLabel?: string;
}

let dir: string;
let dbFile: Buffer;
let queried: QueriedPackage[];

beforeAll(() => {
  const rpmbuild = requireTool("rpm"); // Debian's rpm package ships rpmbuild and rpm
  dir = mkdtempSync(join(tmpdir(), "vantage-rpmdb-"));
  const top = join(dir, "build");
  const db = join(dir, "db");
  mkdirSync(join(top, "SPECS"), { recursive: true });
  mkdirSync(db);
  const defines = ["--define", `_topdir ${top}`, "--define", "debug_package %{nil}", "--define", "_build_id_links none", "--quiet"];
  for (const [file, spec] of Object.entries(SPECS)) {
    const path = join(top, "SPECS", file);
    writeFileSync(path, spec.trimStart());
    execFileSync(rpmbuild, [...defines, "-bb", path], { stdio: ["ignore", "ignore", "pipe"] });
  }
  const built = readdirSync(join(top, "RPMS"), { recursive: true, encoding: "utf8" })
    .filter((name) => name.endsWith(".rpm"))
    .map((name) => join(top, "RPMS", name));
  expect(built.length).toBe(3);
  execFileSync("rpm", ["-i", "--justdb", "--nodeps", "--noscripts", "--dbpath", db, ...built], { stdio: ["ignore", "ignore", "pipe"] });
  const fields = ["NAME", "EPOCH", "VERSION", "RELEASE", "ARCH", "SOURCERPM", "LICENSE", "VENDOR", "MODULARITYLABEL"];
  const out = execFileSync("rpm", ["-qa", "--dbpath", db, "--qf", `${fields.map((f) => `%{${f}}`).join("\\t")}\\n`], { encoding: "utf8" });
  const none = (v: string | undefined) => (v === "(none)" ? undefined : v);
  queried = out
    .trim()
    .split("\n")
    .map((line) => {
      const [name, epoch, version, release, arch, sourceRpm, license, vendor, modularityLabel] = line.split("\t");
      return { name: name!, epoch: none(epoch), version: version!, release: release!, arch: arch!, sourceRpm: sourceRpm!, license: license!, vendor: none(vendor), modularityLabel: none(modularityLabel) };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
  dbFile = readFileSync(join(db, "rpmdb.sqlite"));
}, 60_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("rpm cataloger on databases written by rpm itself", () => {
  it("rpm wrote a sqlite database with the three packages", () => {
    expect(dbFile.subarray(0, 16).toString("latin1")).toBe("SQLite format 3\0");
    expect(queried.map((p) => p.name)).toEqual(["openssl", "openssl-libs", "tzdata"]);
  });

  it("reads every package rpm -qa reports, with the same name, EVR, arch, source rpm, license, vendor and modularity label", async () => {
    const path = "var/lib/rpm/rpmdb.sqlite";
    const facts = await rpmCataloger.parse(path, dbFile);
    expect(facts.warnings).toBeUndefined();
    const ours = [...facts.packages].sort((a, b) => a.name.localeCompare(b.name));
    expect(ours.length).toBe(queried.length);
    for (const [i, q] of queried.entries()) {
      const p = ours[i]!;
      const vr = `${q.version}-${q.release}`;
      expect(p.name).toBe(q.name);
      expect(p.version).toBe(q.epoch ? `${q.epoch}:${vr}` : vr);
      expect(p.arch).toBe(q.arch);
      expect(p.licenses).toEqual([q.license]);
      expect(p.metadata?.sourceRpm).toBe(q.sourceRpm);
      expect(p.metadata?.epoch).toBe(q.epoch);
      expect(p.metadata?.vendor).toBe(q.vendor);
      expect(p.metadata?.modularityLabel).toBe(q.modularityLabel);
      // The source package is what distro advisories name: openssl for openssl-libs.
      expect(`${p.sourceName}-${(p.sourceVersion ?? "").replace(/^\d+:/, "")}.src.rpm`).toBe(q.sourceRpm);
    }
  });
});
