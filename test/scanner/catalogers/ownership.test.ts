// Language packages installed by an OS package are the distro's to fix: found through the package
// managers' file ownership and matched only through the distro's advisories.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildFeedIndex } from "../../../shared/scanner/feed/build.js";
import { CATALOGERS } from "../../../shared/scanner/catalogers/index.js";
import { parseRpmHeader, TAG, encodeRpmHeader } from "../../../shared/scanner/catalogers/rpm/header.js";
import { parseApk } from "../../../shared/scanner/catalogers/apk.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { matchSbom } from "../../../shared/scanner/match/index.js";
import { cycloneDxBom } from "../../../shared/scanner/sbom/format.js";

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "vantage-owned-"));
  const put = async (path: string, body: string) => {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), body);
  };
  await put("etc/os-release", 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\nVERSION_ID="12"\nVERSION_CODENAME=bookworm\n');
  // Shapes as Debian 12 writes them (python3-urllib3 1.26.12-1+deb12u4, node-semver 7.3.5+~7.3.9-2).
  await put(
    "var/lib/dpkg/status",
    [
      "Package: python3-urllib3\nStatus: install ok installed\nArchitecture: all\nSource: python-urllib3\nVersion: 1.26.12-1+deb12u4\n",
      "Package: node-semver\nStatus: install ok installed\nArchitecture: all\nVersion: 7.3.5+~7.3.9-2\n",
    ].join("\n"),
  );
  await put(
    "var/lib/dpkg/info/python3-urllib3.list",
    "/.\n/usr\n/usr/lib\n/usr/lib/python3\n/usr/lib/python3/dist-packages\n/usr/lib/python3/dist-packages/urllib3\n/usr/lib/python3/dist-packages/urllib3/__init__.py\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/top_level.txt\n/usr/share/doc/python3-urllib3/changelog.Debian.gz\n",
  );
  await put("usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO", "Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\nLicense: MIT\n");
  await put("var/lib/dpkg/info/node-semver.list", "/.\n/usr/share/nodejs/semver\n/usr/share/nodejs/semver/package.json\n/usr/share/nodejs/semver/index.js\n");
  await put("usr/share/nodejs/semver/package.json", JSON.stringify({ name: "semver", version: "7.3.5" }));
  // pip-installed into /usr/local: no OS package owns it.
  await put("usr/local/lib/python3.11/dist-packages/urllib3-1.26.12.dist-info/METADATA", "Metadata-Version: 2.1\nName: urllib3\nVersion: 1.26.12\n");
});
afterAll(() => rm(root, { recursive: true, force: true }));

const FEED = [
  {
    id: "GHSA-v845-jxx5-vc9f",
    modified: "2024-01-01T00:00:00Z",
    aliases: ["CVE-2023-43804"],
    affected: [{ package: { ecosystem: "PyPI", name: "urllib3" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.26.17" }] }] }],
  },
  {
    id: "DEBIAN-CVE-2023-43804",
    modified: "2024-01-01T00:00:00Z",
    upstream: ["CVE-2023-43804"],
    affected: [{ package: { ecosystem: "Debian:12", name: "python-urllib3" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "1.26.12-1+deb12u1" }] }] }],
  },
];

describe("OS-owned language packages", () => {
  it("dpkg info/*.list: the egg-info and /usr/share/nodejs packages are managed by their Debian packages", async () => {
    const sbom = await catalogTarget(`dir:${root}`, { catalogers: CATALOGERS });
    const byLoc = Object.fromEntries(sbom.packages.map((p) => [p.locations[0], p]));
    expect(byLoc["usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO"]).toMatchObject({ type: "pypi", managedBy: "pkg:deb/debian/python3-urllib3@1.26.12-1%2Bdeb12u4?arch=all&distro=debian-12&upstream=python-urllib3" });
    expect(byLoc["usr/share/nodejs/semver/package.json"]).toMatchObject({ type: "npm", name: "semver", managedBy: expect.stringMatching(/^pkg:deb\/debian\/node-semver@/) });
    expect(byLoc["usr/local/lib/python3.11/dist-packages/urllib3-1.26.12.dist-info/METADATA"]!.managedBy).toBeUndefined();
    const cdx = cycloneDxBom(sbom) as { components: { name: string; properties?: { name: string; value: string }[] }[] };
    const props = cdx.components.filter((c) => c.name === "urllib3").map((c) => c.properties?.find((p) => p.name === "vantage:package:managedBy")?.value);
    expect(props.filter(Boolean)).toHaveLength(1);
  });

  it("the Debian-owned urllib3 no longer raises the upstream advisory; the pip-installed one still does", async () => {
    const sbom = await catalogTarget(`dir:${root}`, { catalogers: CATALOGERS });
    const index = buildFeedIndex({ records: FEED });
    const owned = { ...sbom, packages: sbom.packages.filter((p) => !p.locations[0]!.startsWith("usr/local/")) };
    // Debian's package is at its fixed version and the egg-info it ships is not matched upstream.
    expect(matchSbom(owned, index)).toEqual([]);
    const findings = matchSbom(sbom, index);
    expect(findings.map((f) => [f.id, f.package.type, f.advisories.join()])).toEqual([["CVE-2023-43804", "pypi", "GHSA-v845-jxx5-vc9f"]]);
  });

  it("apk R: lines and rpm file lists name the files their packages own", () => {
    const apk = parseApk(
      "lib/apk/db/installed",
      Buffer.from("C:Q1x=\nP:py3-urllib3\nV:1.26.18-r0\nA:noarch\no:py3-urllib3\nF:usr/lib/python3.11/site-packages/urllib3-1.26.18.dist-info\nR:METADATA\nR:RECORD\nF:usr/lib/python3.11/site-packages/urllib3\nR:__init__.py\n"),
    );
    expect(apk.owned).toEqual([{ manager: "apk", owner: "py3-urllib3", paths: ["usr/lib/python3.11/site-packages/urllib3-1.26.18.dist-info/METADATA"] }]);
    const header = parseRpmHeader(
      encodeRpmHeader([
        { tag: TAG.NAME, value: "python3-urllib3" },
        { tag: TAG.VERSION, value: "1.26.5" },
        { tag: TAG.DIRINDEXES, value: [0, 1, 1] },
        { tag: TAG.BASENAMES, value: ["urllib3-1.26.5-py3.9.egg-info", "__init__.py", "connection.py"] },
        { tag: TAG.DIRNAMES, value: ["/usr/lib/python3.9/site-packages/", "/usr/lib/python3.9/site-packages/urllib3/"] },
      ]),
    );
    expect(typeof header === "string" ? header : header.files).toEqual([
      "/usr/lib/python3.9/site-packages/urllib3-1.26.5-py3.9.egg-info",
      "/usr/lib/python3.9/site-packages/urllib3/__init__.py",
      "/usr/lib/python3.9/site-packages/urllib3/connection.py",
    ]);
  });
});
