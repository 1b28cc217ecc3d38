import { describe, expect, it } from "vitest";
import { InputError } from "../../../shared/errors.js";
import { compareVersions as fromLibrary } from "../../../shared/index.js";
import type { VersionScheme } from "../../../shared/scanner/model.js";
import { compareVersions, parseSchemeForEcosystem, VERSION_SCHEMES } from "../../../shared/scanner/versions/index.js";

// One pair per scheme where a naive string or numeric comparison would get it wrong.
const SIGNATURE: Record<VersionScheme, [string, string]> = {
  deb: ["1.0~rc1", "1.0"],
  rpm: ["1.0~rc1", "1.0"],
  apk: ["1.0_rc1", "1.0"],
  semver: ["1.0.0-rc.1", "1.0.0"],
  pep440: ["1.0.dev0", "1.0a1"],
  maven: ["1.0-SNAPSHOT", "1.0"],
  go: ["v1.0.0-20200101000000-abcdefabcdef", "v1.0.0"],
  nuget: ["1.0.0-beta", "1.0.0"],
  gem: ["1.0.a", "1.0"],
};

describe("compareVersions", () => {
  it("covers every scheme of the model", () => {
    expect([...VERSION_SCHEMES].sort()).toEqual(Object.keys(SIGNATURE).sort());
  });

  it.each(Object.entries(SIGNATURE))("dispatches %s to its own rules", (scheme, [older, newer]) => {
    const s = scheme as VersionScheme;
    expect(compareVersions(s, older, newer)).toBe(-1);
    expect(compareVersions(s, newer, older)).toBe(1);
    expect(Object.is(compareVersions(s, newer, newer), 0)).toBe(true);
  });

  it("tells schemes apart on the same strings", () => {
    // "1.0.0" vs "1.0": equal for maven/nuget/gem/pep440, newer for dpkg and rpm.
    expect(compareVersions("maven", "1.0.0", "1.0")).toBe(0);
    expect(compareVersions("nuget", "1.0.0", "1.0")).toBe(0);
    expect(compareVersions("pep440", "1.0.0", "1.0")).toBe(0);
    expect(compareVersions("deb", "1.0.0", "1.0")).toBe(1);
    expect(compareVersions("rpm", "1.0.0", "1.0")).toBe(1);
    expect(compareVersions("apk", "1.0.0", "1.0")).toBe(1);
  });

  it("is what the library entry point exports", () => {
    expect(fromLibrary).toBe(compareVersions);
  });

  it("rejects an unknown scheme with an InputError naming it", () => {
    expect(() => compareVersions("cargo" as VersionScheme, "1", "2")).toThrow(InputError);
    expect(() => compareVersions("cargo" as VersionScheme, "1", "2")).toThrow(/cargo/);
    expect(() => compareVersions("toString" as VersionScheme, "1", "2")).toThrow(InputError);
  });

  it("never throws on garbage for known schemes", () => {
    for (const scheme of VERSION_SCHEMES) {
      for (const junk of ["", "\u0000", "💥", "-", "x".repeat(10_000), "1".repeat(5_000), "1-".repeat(20_000), "1.".repeat(20_000)]) {
        expect(() => compareVersions(scheme, junk, "1.0")).not.toThrow();
      }
    }
  });
});

describe("parseSchemeForEcosystem", () => {
  it.each([
    ["Debian", "deb"],
    ["Debian:12", "deb"],
    ["Ubuntu:22.04:LTS", "deb"],
    ["Ubuntu:Pro:18.04:LTS", "deb"],
    ["Alpine:v3.19", "apk"],
    ["Wolfi", "apk"],
    ["Chainguard", "apk"],
    ["Red Hat", "rpm"],
    ["Red Hat:enterprise_linux:9::appstream", "rpm"],
    ["AlmaLinux:9", "rpm"],
    ["Rocky Linux:9", "rpm"],
    ["SUSE:Linux Enterprise Server 15 SP5", "rpm"],
    ["openSUSE:Leap 15.5", "rpm"],
    ["Azure Linux", "rpm"],
    ["Azure Linux:3.0", "rpm"],
    ["Mariner", "rpm"],
    ["Mariner:2.0", "rpm"],
    ["CBL-Mariner", "rpm"],
    ["Photon OS:5.0", "rpm"],
    ["openEuler:22.03-LTS", "rpm"],
    ["npm", "semver"],
    ["PyPI", "pep440"],
    ["Maven", "maven"],
    ["Go", "go"],
    ["NuGet", "nuget"],
    ["RubyGems", "gem"],
    ["golang", "go"], // our own package types work too
    ["pypi", "pep440"],
  ])("%s → %s", (ecosystem, scheme) => {
    expect(parseSchemeForEcosystem(ecosystem)).toBe(scheme);
  });

  it("returns undefined for ecosystems without a scheme here", () => {
    for (const e of ["crates.io", "Packagist", "Hex", "Pub", "Linux", "OSS-Fuzz", "", "GitHub Actions", "constructor", "__proto__"]) {
      expect(parseSchemeForEcosystem(e), e).toBeUndefined();
    }
  });
});
