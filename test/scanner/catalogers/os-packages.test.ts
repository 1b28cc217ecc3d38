import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { apkCataloger } from "../../../shared/scanner/catalogers/apk.js";
import { dpkgCataloger } from "../../../shared/scanner/catalogers/dpkg.js";
import { assembleSbom } from "../../../shared/scanner/catalogers/index.js";
import { osReleaseCataloger } from "../../../shared/scanner/catalogers/os-release.js";

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url));

describe("dpkg cataloger", () => {
  it("matches status and status.d entries but not md5sums", () => {
    expect(dpkgCataloger.matches("var/lib/dpkg/status", 1000, 0o644)).toBe(true);
    expect(dpkgCataloger.matches("var/lib/dpkg/status.d/libc6", 1000, 0o644)).toBe(true);
    expect(dpkgCataloger.matches("var/lib/dpkg/status.d/libc6.md5sums", 1000, 0o644)).toBe(false);
    expect(dpkgCataloger.matches("var/lib/dpkg/status-old", 1000, 0o644)).toBe(false);
    expect(dpkgCataloger.matches("srv/var/lib/dpkg/status", 1000, 0o644)).toBe(false);
  });

  it("reads a real Debian 12 status file, skipping removed packages", async () => {
    const facts = await dpkgCataloger.parse("var/lib/dpkg/status", fixture("dpkg-status"));
    const names = facts.packages.map((p) => p.name);
    expect(names).toHaveLength(20);
    expect(names).not.toContain("oldpkg-removed");
    expect(names).not.toContain("half-removed");
    const by = (n: string) => facts.packages.find((p) => p.name === n)!;
    // binNMU: the +b8 is only on the binary; the Source field carries the source version.
    expect(by("bash")).toMatchObject({ version: "5.2.15-2+b8", sourceName: "bash", sourceVersion: "5.2.15-2", arch: "amd64", type: "deb", cataloger: "dpkg" });
    // Source with version but without the binary's epoch: kept as written.
    expect(by("bsdutils")).toMatchObject({ version: "1:2.38.1-5+deb12u3", sourceName: "util-linux", sourceVersion: "2.38.1-5+deb12u3" });
    // Source without a version: the binary version (with epoch).
    expect(by("zlib1g")).toMatchObject({ version: "1:1.2.13.dfsg-1", sourceName: "zlib", sourceVersion: "1:1.2.13.dfsg-1" });
    // No Source: the package is its own source.
    expect(by("coreutils")).toMatchObject({ sourceName: "coreutils", sourceVersion: "9.1-1" });
    expect(by("libc6").purl).toBe("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&upstream=glibc");
    expect(by("libc6").locations).toEqual(["var/lib/dpkg/status"]);
  });

  it("strips a binNMU suffix when the Source field has no version", async () => {
    const f = await dpkgCataloger.parse("var/lib/dpkg/status", Buffer.from("Package: libfoo1\nStatus: install ok installed\nSource: foo\nVersion: 1.2-3+b2\nArchitecture: arm64\n"));
    expect(f.packages[0]).toMatchObject({ sourceName: "foo", sourceVersion: "1.2-3", version: "1.2-3+b2" });
  });

  it("keeps held packages and drops half-installed ones", async () => {
    const f = await dpkgCataloger.parse(
      "var/lib/dpkg/status",
      Buffer.from("Package: a\nStatus: hold ok installed\nVersion: 1\n\nPackage: b\nStatus: install reinstreq half-installed\nVersion: 1\n\nPackage: c\nStatus: deinstall ok config-files\nVersion: 1\n"),
    );
    expect(f.packages.map((p) => p.name)).toEqual(["a"]);
  });

  it("a package selected for removal but not yet removed (deinstall ok installed) is installed, as are unpacked ones", async () => {
    // The states dpkg writes: `apt-mark`/`dpkg --set-selections` flip only the first word.
    const stanza = (name: string, status: string) => `Package: ${name}\nStatus: ${status}\nPriority: optional\nSection: libs\nArchitecture: amd64\nVersion: 1.0-1\nDescription: x\n`;
    const f = await dpkgCataloger.parse(
      "var/lib/dpkg/status",
      Buffer.from(
        [
          stanza("removal-pending", "deinstall ok installed"),
          stanza("purge-pending", "purge ok installed"),
          stanza("unpacked-only", "install ok unpacked"),
          stanza("configuring", "install ok half-configured"),
          stanza("triggers", "install ok triggers-pending"),
          stanza("conffiles-left", "deinstall ok config-files"),
          stanza("gone", "purge ok not-installed"),
          stanza("interrupted", "install reinstreq half-installed"),
        ].join("\n"),
      ),
    );
    expect(f.packages.map((p) => p.name)).toEqual(["removal-pending", "purge-pending", "unpacked-only", "configuring", "triggers"]);
  });

  it("reads distroless status.d files (no Status field)", async () => {
    const text = "Package: libssl3\nSource: openssl\nVersion: 3.0.11-1~deb12u2\nArchitecture: amd64\nMaintainer: Debian OpenSSL Team\nDescription: Secure Sockets Layer toolkit - shared libraries\n";
    const f = await dpkgCataloger.parse("var/lib/dpkg/status.d/libssl3", Buffer.from(text));
    expect(f.packages).toHaveLength(1);
    expect(f.packages[0]).toMatchObject({ name: "libssl3", sourceName: "openssl", sourceVersion: "3.0.11-1~deb12u2", locations: ["var/lib/dpkg/status.d/libssl3"] });
  });

  it("gets the distro qualifier at assembly, when the OS is known", async () => {
    const status = await dpkgCataloger.parse("var/lib/dpkg/status", fixture("dpkg-status"));
    const os = await osReleaseCataloger.parse("etc/os-release", fixture("debian-os-release"));
    const sbom = assembleSbom({ target: "dir:/", artifact: {}, files: [{ path: "var/lib/dpkg/status", facts: status, layerDigest: "sha256:aa" }, { path: "etc/os-release", facts: os }] });
    const libc = sbom.packages.find((p) => p.name === "libc6")!;
    expect(libc.purl).toBe("pkg:deb/debian/libc6@2.36-9%2Bdeb12u14?arch=amd64&distro=debian-12&upstream=glibc");
    expect(libc.layerDigest).toBe("sha256:aa");
    expect(sbom.artifact.os?.family).toBe("debian");
  });
});

const APK = `C:Q1SF7hS0jQZ8Z+GqqX+oZG3vEMeTw=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Natanael Copa <ncopa@alpinelinux.org>
t:1705059563
c:f93af038c3be3c9c2a6d1bc2eadab0c25ecd4e01
D:so:libc.musl-x86_64.so.1
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1bsZRb5ps3BGzj29/0WMe+0ZEKqA=
R:libc.musl-x86_64.so.1

C:Q1BpNXL1oxjGGbIIlJK3gRrdSb9uI=
P:libcrypto3
V:3.1.4-r5
A:x86_64
S:1805133
I:4366336
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conner <ariadne@dereferenced.org>
t:1707229938
c:4be8c9b5e1f2b0e0f2ea7ac17e2c1eb5f7e1a35b
F:lib
R:libcrypto.so.3

C:Q1junk
T:record without name or version

P:busybox-binsh
V:1.36.1-r15
A:x86_64
o:busybox
L:GPL-2.0-only
`;

describe("apk cataloger", () => {
  it("reads records with origin as the source package", async () => {
    expect(apkCataloger.matches("lib/apk/db/installed", 1000, 0o644)).toBe(true);
    expect(apkCataloger.matches("lib/apk/db/triggers", 1000, 0o644)).toBe(false);
    const f = await apkCataloger.parse("lib/apk/db/installed", Buffer.from(APK));
    expect(f.packages.map((p) => p.name)).toEqual(["musl", "libcrypto3", "busybox-binsh"]);
    expect(f.packages[1]).toMatchObject({ version: "3.1.4-r5", sourceName: "openssl", sourceVersion: "3.1.4-r5", arch: "x86_64", licenses: ["Apache-2.0"] });
    expect(f.packages[1]!.purl).toBe("pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&upstream=openssl");
    expect(f.warnings?.[0]).toMatch(/1 apk record/);
  });

  it("adds distro=alpine-<VERSION_ID> at assembly", async () => {
    const f = await apkCataloger.parse("lib/apk/db/installed", Buffer.from(APK));
    const os = await osReleaseCataloger.parse("etc/alpine-release", Buffer.from("3.19.1\n"));
    const sbom = assembleSbom({ target: "x", artifact: {}, files: [{ path: "lib/apk/db/installed", facts: f }, { path: "etc/alpine-release", facts: os }] });
    expect(sbom.packages.find((p) => p.name === "musl")!.purl).toBe("pkg:apk/alpine/musl@1.2.4_git20230717-r4?arch=x86_64&distro=alpine-3.19.1");
  });
});
