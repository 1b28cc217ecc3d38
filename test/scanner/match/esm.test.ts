// Ubuntu Pro / ESM: packages built for ESM ("+esm") are judged by the Ubuntu:Pro advisories, where
// their fixes are listed; ordinary builds by the release's own stream.
import { describe, expect, it } from "vitest";
import { buildFeedIndex } from "../../../shared/scanner/feed/build.js";
import { parseOsvEcosystem } from "../../../shared/scanner/feed/ecosystems.js";
import { matchSbom } from "../../../shared/scanner/match/index.js";
import { pkg, range, sbom } from "./helpers.js";

const BIONIC = { family: "ubuntu", version: "18.04" };

/** One Ubuntu record as OSV publishes it: the same CVE for the public stream and for Pro. */
const RECORD = {
  id: "UBUNTU-CVE-2023-4863",
  modified: "2024-01-01T00:00:00Z",
  upstream: ["CVE-2023-4863"],
  affected: [
    // bionic left standard support before the fix: the public stream has none.
    { package: { ecosystem: "Ubuntu:18.04:LTS", name: "libwebp" }, ranges: [range("ECOSYSTEM", { introduced: "0" })] },
    { package: { ecosystem: "Ubuntu:Pro:18.04:LTS", name: "libwebp" }, ranges: [range("ECOSYSTEM", { introduced: "0" }, { fixed: "0.6.1-2ubuntu0.18.04.2+esm1" })] },
    { package: { ecosystem: "Ubuntu:Pro:FIPS-updates:18.04:LTS", name: "libwebp" }, ranges: [range("ECOSYSTEM", { introduced: "0" }, { fixed: "9.9" })] },
  ],
};

function index() {
  return buildFeedIndex({ records: [RECORD] });
}

const libwebp = (version: string) => pkg("deb", "libwebp6", version, { sourceName: "libwebp", sourceVersion: version });

describe("Ubuntu Pro ecosystems", () => {
  it("parses Ubuntu:Pro:<release>:LTS, not the FIPS lineages", () => {
    expect(parseOsvEcosystem("Ubuntu:Pro:18.04:LTS")).toEqual({ key: "ubuntu-pro:18.04", scheme: "deb", os: true });
    expect(parseOsvEcosystem("Ubuntu:Pro:FIPS-updates:18.04:LTS")).toBeUndefined();
    expect(parseOsvEcosystem("Ubuntu:18.04:LTS")).toMatchObject({ key: "ubuntu:18.04" });
  });

  it("an ESM build at the Pro fix is not vulnerable; an older ESM build is, with the Pro fix", () => {
    expect(matchSbom(sbom([libwebp("0.6.1-2ubuntu0.18.04.2+esm1")], BIONIC), index())).toEqual([]);
    const older = matchSbom(sbom([libwebp("0.6.1-2ubuntu0.18.04.1+esm1")], BIONIC), index());
    expect(older.map((f) => [f.id, f.fixStatus, f.fixedVersion, f.advisories])).toEqual([["CVE-2023-4863", "fixed", "0.6.1-2ubuntu0.18.04.2+esm1", ["UBUNTU-CVE-2023-4863"]]]);
  });

  it("an ordinary build is judged by the public stream (no fix there)", () => {
    const found = matchSbom(sbom([libwebp("0.6.1-2ubuntu0.18.04.2")], BIONIC), index());
    expect(found.map((f) => [f.id, f.fixStatus])).toEqual([["CVE-2023-4863", "not-fixed"]]);
  });
});
