import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { osReleaseCataloger } from "../../../shared/scanner/catalogers/os-release.js";
import { detectOs } from "../../../shared/scanner/catalogers/index.js";
import type { LocatedFacts } from "../../../shared/scanner/catalogers/types.js";

async function os(path: string, text: string) {
  return (await osReleaseCataloger.parse(path, Buffer.from(text))).os;
}

describe("os-release cataloger", () => {
  it("matches only release files at the root", () => {
    expect(osReleaseCataloger.matches("etc/os-release", 300, 0o644)).toBe(true);
    expect(osReleaseCataloger.matches("usr/lib/os-release", 300, 0o644)).toBe(true);
    expect(osReleaseCataloger.matches("etc/mariner-release", 40, 0o644)).toBe(true);
    expect(osReleaseCataloger.matches("opt/app/etc/os-release", 300, 0o644)).toBe(false);
    expect(osReleaseCataloger.matches("etc/os-release", 10_000_000, 0o644)).toBe(false);
  });

  it("reads this machine's Debian os-release", async () => {
    const facts = await osReleaseCataloger.parse("etc/os-release", readFileSync(new URL("fixtures/debian-os-release", import.meta.url)));
    expect(facts.os).toEqual({ family: "debian", version: "12", versionId: "12", codename: "bookworm", prettyName: "Debian GNU/Linux 12 (bookworm)" });
    expect(facts.packages).toEqual([]);
  });

  it.each([
    ["ubuntu", 'NAME="Ubuntu"\nVERSION_ID="22.04"\nVERSION="22.04.4 LTS (Jammy Jellyfish)"\nID=ubuntu\nID_LIKE=debian\nVERSION_CODENAME=jammy\n', "22.04", "jammy"],
    ["alpine", 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n', "3.19.1", undefined],
    ["rhel", 'NAME="Red Hat Enterprise Linux"\nVERSION="9.3 (Plow)"\nID="rhel"\nID_LIKE="fedora"\nVERSION_ID="9.3"\n', "9.3", "plow"],
    ["centos", 'NAME="CentOS Linux"\nVERSION="7 (Core)"\nID="centos"\nVERSION_ID="7"\n', "7", "core"],
    ["almalinux", 'NAME="AlmaLinux"\nID="almalinux"\nVERSION_ID="9.3"\n', "9.3", undefined],
    ["rocky", 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\n', "9.3", undefined],
    ["fedora", "NAME=\"Fedora Linux\"\nID=fedora\nVERSION_ID=39\n", "39", undefined],
    ["amzn", 'NAME="Amazon Linux"\nVERSION="2023"\nID="amzn"\nVERSION_ID="2023"\n', "2023", undefined],
    ["ol", 'NAME="Oracle Linux Server"\nID="ol"\nVERSION_ID="8.9"\n', "8.9", undefined],
    ["sles", 'NAME="SLES"\nID="sles"\nVERSION_ID="15.5"\n', "15.5", undefined],
    ["opensuse-leap", 'NAME="openSUSE Leap"\nID="opensuse-leap"\nVERSION_ID="15.5"\n', "15.5", undefined],
    ["mariner", 'NAME="Common Base Linux Mariner"\nVERSION="2.0.20240123"\nID=mariner\nVERSION_ID="2.0"\n', "2.0", undefined],
    ["azurelinux", 'NAME="Microsoft Azure Linux"\nVERSION="3.0.20240727"\nID=azurelinux\nVERSION_ID="3.0"\n', "3.0", undefined],
  ])("os-release ID=%s", async (family, text, version, codename) => {
    const r = await os("etc/os-release", text);
    expect(r?.family).toBe(family);
    expect(r?.version).toBe(version);
    expect(r?.codename).toBe(codename);
  });

  it("keeps distroless Debian's identity and pretty name", async () => {
    const r = await os("etc/os-release", 'PRETTY_NAME="Distroless"\nNAME="Debian GNU/Linux"\nID="debian"\nVERSION_ID="12"\nVERSION="Debian GNU/Linux 12 (bookworm)"\nHOME_URL="https://github.com/GoogleContainerTools/distroless"\n');
    expect(r).toMatchObject({ family: "debian", version: "12", codename: "bookworm", prettyName: "Distroless" });
  });

  it.each([
    ["etc/alpine-release", "3.19.1\n", "alpine", "3.19.1"],
    ["etc/debian_version", "12.5\n", "debian", "12"],
    ["etc/redhat-release", "Red Hat Enterprise Linux release 8.9 (Ootpa)\n", "rhel", "8.9"],
    ["etc/redhat-release", "CentOS Linux release 7.9.2009 (Core)\n", "centos", "7.9.2009"],
    ["etc/redhat-release", "Rocky Linux release 9.3 (Blue Onyx)\n", "rocky", "9.3"],
    ["etc/redhat-release", "AlmaLinux release 9.3 (Shamrock Pippi)\n", "almalinux", "9.3"],
    ["etc/system-release", "Amazon Linux release 2 (Karoo)\n", "amzn", "2"],
    ["etc/fedora-release", "Fedora release 39 (Thirty Nine)\n", "fedora", "39"],
    ["etc/mariner-release", "CBL-Mariner 2.0.20240123\nMARINER_BUILD_NUMBER=b3a0a35\n", "mariner", "2.0"],
    ["etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=20.04\nDISTRIB_CODENAME=focal\nDISTRIB_DESCRIPTION=\"Ubuntu 20.04.6 LTS\"\n", "ubuntu", "20.04"],
  ])("%s %j", async (path, text, family, version) => {
    const r = await os(path, text);
    expect(r?.family).toBe(family);
    expect(r?.version).toBe(version);
  });

  it("warns on unrecognized content instead of guessing", async () => {
    const f = await osReleaseCataloger.parse("etc/redhat-release", Buffer.from("\u0000\u0001garbage"));
    expect(f.os).toBeUndefined();
    expect(f.warnings?.[0]).toMatch(/unrecognized/);
  });

  it("prefers etc/os-release, then usr/lib/os-release, then release files; fills gaps from the same family", async () => {
    const lf = async (path: string, text: string): Promise<LocatedFacts> => ({ path, facts: await osReleaseCataloger.parse(path, Buffer.from(text)) });
    const files = [
      await lf("etc/debian_version", "trixie/sid\n"),
      await lf("usr/lib/os-release", "ID=ubuntu\nVERSION_ID=24.04\n"),
      await lf("etc/os-release", "ID=debian\nPRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\n"),
    ];
    expect(detectOs(files)).toMatchObject({ family: "debian", version: "", codename: "trixie" });
    expect(detectOs(files.slice(0, 2))?.family).toBe("ubuntu");
    expect(detectOs([await lf("etc/lsb-release", "DISTRIB_ID=Ubuntu\nDISTRIB_RELEASE=22.04\n"), await lf("etc/debian_version", "bookworm/sid\n")])?.family).toBe("ubuntu");
    expect(detectOs([await lf("etc/mariner-release", "CBL-Mariner 2.0.20240123\n")])).toMatchObject({ family: "mariner", version: "2.0" });
  });
});
