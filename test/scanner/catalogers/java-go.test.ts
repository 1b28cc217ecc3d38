import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { goCataloger, goStdlibVersion } from "../../../shared/scanner/catalogers/go.js";
import { javaCataloger } from "../../../shared/scanner/catalogers/java.js";
import { requireTool } from "../../support/oracles.js";
import { goElf, makeZip } from "./helpers.js";

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url));

describe("java cataloger", () => {
  it("matches archive extensions", () => {
    for (const p of ["app/app.jar", "opt/x.WAR", "a.ear", "var/jenkins/plugins/git.hpi", "p.jpi"]) expect(javaCataloger.matches(p, 1000, 0o644)).toBe(true);
    expect(javaCataloger.matches("app/app.zip", 1000, 0o644)).toBe(false);
  });

  it("reads pom.properties from a real jar", async () => {
    const f = await javaCataloger.parse("opt/lib/animal-sniffer-annotations-1.14.jar", fixture("animal-sniffer-annotations-1.14.jar"));
    expect(f.packages).toHaveLength(1);
    expect(f.packages[0]).toMatchObject({
      name: "org.codehaus.mojo:animal-sniffer-annotations",
      version: "1.14",
      purl: "pkg:maven/org.codehaus.mojo/animal-sniffer-annotations@1.14",
      type: "maven",
      cataloger: "java",
      locations: ["opt/lib/animal-sniffer-annotations-1.14.jar"],
    });
  });

  it("never guesses coordinates: jars without their own pom.properties are unidentified, with their SHA-1", async () => {
    // objenesis-3.3.jar (real, from Maven Central) carries only MANIFEST.MF with OSGi headers;
    // jcip-annotations-1.0.jar only a bare manifest. Neither names a Maven coordinate exactly.
    const sha1 = (b: Buffer) => createHash("sha1").update(b).digest("hex");
    for (const name of ["objenesis-3.3.jar", "jcip-annotations-1.0.jar"]) {
      const f = await javaCataloger.parse(`opt/lib/${name}`, fixture(name));
      expect(f.packages).toEqual([]);
      expect(f.unidentified).toEqual([{ path: `opt/lib/${name}`, kind: "java-archive", sha1: sha1(fixture(name)) }]);
    }
  });

  it("quotes, build suffixes and incomplete pom.properties never become coordinates", async () => {
    const jar = makeZip([
      { name: "META-INF/MANIFEST.MF", data: 'Manifest-Version: 1.0\r\nImplementation-Version: "1.6"\r\nBundle-Version: 2.13.12.v20231003\r\n' },
      { name: "META-INF/maven/commons-digester/commons-digester/pom.properties", data: 'groupId=commons-digester\nartifactId=commons-digester\nversion="1.6"\n' },
      { name: "META-INF/maven/org.h2/h2/pom.properties", data: "artifactId=h2\nversion=2.3.232\n" },
    ]);
    const f = await javaCataloger.parse("lib/commons-digester-1.6.jar", jar);
    expect(f.packages).toEqual([]);
    expect(f.unidentified?.map((u) => u.path)).toEqual(["lib/commons-digester-1.6.jar"]);
    expect(f.warnings?.length).toBe(2);
  });

  it("a shaded pom.properties does not replace the jar's identity", async () => {
    // A jar named for itself that shades Guava and carries no pom.properties of its own.
    const shaded = makeZip([
      { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\r\n" },
      { name: "META-INF/maven/com.google.guava/guava/pom.properties", data: "groupId=com.google.guava\nartifactId=guava\nversion=32.1.3-jre\n" },
    ]);
    const f = await javaCataloger.parse("opt/lib/hadoop-shaded-guava-1.2.0.jar", shaded);
    expect(f.packages.map((p) => [p.purl, p.metadata?.bundled])).toEqual([["pkg:maven/com.google.guava/guava@32.1.3-jre", "true"]]);
    expect(f.unidentified?.map((u) => u.path)).toEqual(["opt/lib/hadoop-shaded-guava-1.2.0.jar"]);
    // The same jar with its own pom.properties: that one is its identity, Guava is bundled.
    const own = makeZip([
      { name: "META-INF/maven/org.apache.hadoop.thirdparty/hadoop-shaded-guava/pom.properties", data: "groupId=org.apache.hadoop.thirdparty\nartifactId=hadoop-shaded-guava\nversion=1.2.0\n" },
      { name: "META-INF/maven/com.google.guava/guava/pom.properties", data: "groupId=com.google.guava\nartifactId=guava\nversion=32.1.3-jre\n" },
    ]);
    const g = await javaCataloger.parse("opt/lib/hadoop-shaded-guava-1.2.0.jar", own);
    expect(g.unidentified).toBeUndefined();
    expect(g.packages.map((p) => [p.purl, p.metadata?.bundled])).toEqual([
      ["pkg:maven/org.apache.hadoop.thirdparty/hadoop-shaded-guava@1.2.0", undefined],
      ["pkg:maven/com.google.guava/guava@32.1.3-jre", "true"],
    ]);
  });

  it("reads nested jars (Spring Boot layout) and shaded pom.properties", async () => {
    const inner = makeZip([
      { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\r\n" },
      { name: "META-INF/maven/org.springframework/spring-core/pom.properties", data: "#Generated\nversion=6.1.2\ngroupId=org.springframework\nartifactId=spring-core\n" },
    ]);
    const innerShaded = makeZip([
      { name: "META-INF/maven/com.fasterxml.jackson.core/jackson-databind/pom.properties", data: "groupId=com.fasterxml.jackson.core\nartifactId=jackson-databind\nversion=2.15.3\n" },
      { name: "META-INF/maven/org.yaml/snakeyaml/pom.properties", data: "groupId=org.yaml\nartifactId=snakeyaml\nversion=2.2\n" },
    ]);
    const realJar = fixture("animal-sniffer-annotations-1.14.jar");
    const boot = makeZip([
      { name: "META-INF/MANIFEST.MF", data: "Manifest-Version: 1.0\r\nStart-Class: com.example.App\r\nImplementation-Title: demo\r\nImplementation-Version: 0.0.1-SNAPSHOT\r\n" },
      { name: "META-INF/maven/com.example/demo/pom.properties", data: "groupId=com.example\nartifactId=demo\nversion=0.0.1-SNAPSHOT\n" },
      { name: "BOOT-INF/lib/spring-core-6.1.2.jar", data: inner, deflate: false },
      { name: "BOOT-INF/lib/shaded-1.0.jar", data: innerShaded },
      { name: "BOOT-INF/lib/animal-sniffer-annotations-1.14.jar", data: realJar, deflate: false },
    ]);
    const f = await javaCataloger.parse("app/app.jar", boot);
    expect(f.warnings).toBeUndefined();
    // shaded-1.0.jar names no artifact of its own: listed, not guessed.
    expect(f.unidentified?.map((u) => u.path)).toEqual(["app/app.jar!/BOOT-INF/lib/shaded-1.0.jar"]);
    const purls = f.packages.map((p) => p.purl);
    expect(purls).toEqual([
      "pkg:maven/com.example/demo@0.0.1-SNAPSHOT",
      "pkg:maven/org.springframework/spring-core@6.1.2",
      "pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.15.3",
      "pkg:maven/org.yaml/snakeyaml@2.2",
      "pkg:maven/org.codehaus.mojo/animal-sniffer-annotations@1.14",
    ]);
    expect(f.packages[1]!.locations).toEqual(["app/app.jar!/BOOT-INF/lib/spring-core-6.1.2.jar"]);
  });

  it("stops at nesting depth 3", async () => {
    let z = makeZip([{ name: "META-INF/maven/g/deep/pom.properties", data: "groupId=g\nartifactId=deep\nversion=1\n" }]);
    for (let i = 0; i < 5; i++) z = makeZip([{ name: `lib/level${i}.jar`, data: z }]);
    const f = await javaCataloger.parse("a.jar", z);
    expect(f.packages.find((p) => p.name === "g:deep")).toBeUndefined();
    expect(f.warnings?.join()).toMatch(/deeper than 3/);
  });

  it("refuses a zip bomb entry instead of inflating it", async () => {
    const bomb = makeZip([{ name: "META-INF/maven/g/a/pom.properties", data: Buffer.alloc(50 * 1024 * 1024, 0x41) }]);
    expect(bomb.length).toBeLessThan(200_000);
    const f = await javaCataloger.parse("bomb-1.0.jar", bomb);
    expect(f.packages).toEqual([]);
    expect(f.unidentified?.map((u) => u.path)).toEqual(["bomb-1.0.jar"]);
  });
});

const MODINFO = [
  "path\tgithub.com/example/tool/cmd/tool",
  "mod\tgithub.com/example/tool\t(devel)\t",
  "dep\tgithub.com/google/uuid\tv1.6.0\th1:NIvaJDMOsjHA8n1jAhLSgzrAzy1Hgr+hNrb57e+94F0=",
  "dep\tgolang.org/x/net\tv0.17.0\th1:pVaXccu2ozPjCF6NW/ZRCd9Dv2aXbHUfvoPfO3upcQE=",
  "=>\tgolang.org/x/net\tv0.23.0\th1:7EYJ93RZ9vYSZAIb2x3lnuvqO5zneoD6IvWjuhfxjTs=",
  "dep\tgithub.com/example/local\tv0.0.0-00010101000000-000000000000",
  "=>\t../local\t",
  "dep\tgithub.com/Azure/azure-sdk-for-go/sdk/azcore\tv1.9.0+incompatible\th1:x",
  "build\t-compiler=gc",
  "build\tGOARCH=amd64",
  "build\tGOOS=linux",
  "build\tvcs.revision=0123456789abcdef",
  "",
].join("\n");

describe("go cataloger", () => {
  it("matches executables by mode and size", () => {
    expect(goCataloger.matches("usr/bin/tool", 10_000, 0o100755)).toBe(true);
    expect(goCataloger.matches("usr/bin/tool", 10_000, 0o100644)).toBe(false);
    expect(goCataloger.matches("usr/bin/tiny", 100, 0o100755)).toBe(false);
  });

  for (const format of ["inline", "pointer"] as const) {
    it(`reads ${format} build info from a synthetic ELF`, async () => {
      const f = await goCataloger.parse("usr/bin/tool", goElf("go1.21.5", MODINFO, format));
      expect(f.warnings).toBeUndefined();
      const by = Object.fromEntries(f.packages.map((p) => [p.name, p]));
      expect(Object.keys(by).sort()).toEqual([
        "github.com/Azure/azure-sdk-for-go/sdk/azcore",
        "github.com/example/local",
        "github.com/example/tool",
        "github.com/google/uuid",
        "golang.org/x/net",
        "stdlib",
      ]);
      expect(by["github.com/example/tool"]!.metadata).toMatchObject({ kind: "main", mainPackage: "github.com/example/tool/cmd/tool", GOOS: "linux", "vcs.revision": "0123456789abcdef" });
      expect(by["golang.org/x/net"]).toMatchObject({ version: "v0.23.0", purl: "pkg:golang/golang.org/x/net@v0.23.0", metadata: { replaces: "golang.org/x/net@v0.17.0" } });
      expect(by["github.com/example/local"]!.metadata?.replacedBy).toBe("../local");
      expect(by["github.com/google/uuid"]!.purl).toBe("pkg:golang/github.com/google/uuid@v1.6.0");
      expect(by["github.com/Azure/azure-sdk-for-go/sdk/azcore"]!.purl).toBe("pkg:golang/github.com/Azure/azure-sdk-for-go/sdk/azcore@v1.9.0%2Bincompatible");
      expect(by.stdlib).toMatchObject({ version: "1.21.5", purl: "pkg:golang/stdlib@1.21.5", metadata: { kind: "stdlib", goToolchain: "go1.21.5" } });
    });
  }

  it("ignores non-Go executables and non-binaries", async () => {
    expect((await goCataloger.parse("bin/sh", Buffer.from("#!/bin/sh\necho \xff Go buildinf:\n".repeat(100)))).packages).toEqual([]);
    const elf = goElf("go1.21.5", MODINFO);
    elf.fill(0, 0x1000, 0x1100);
    expect(await goCataloger.parse("usr/bin/c", elf)).toEqual({ packages: [] });
  });

  it("normalizes toolchain versions for stdlib", () => {
    expect(goStdlibVersion("go1.22")).toBe("1.22.0");
    expect(goStdlibVersion("go1.22rc1")).toBe("1.22.0-rc1");
    expect(goStdlibVersion("devel go1.23-abc")).toBeUndefined();
  });

  // esbuild's npm binary is a real Go executable whose build-info header has been stripped; its
  // runtime.modinfo survives.
  const esbuild = (() => {
    try {
      return readFileSync(new URL("../../../node_modules/@esbuild/linux-x64/bin/esbuild", import.meta.url));
    } catch {
      return undefined;
    }
  })();
  it.skipIf(!esbuild)("reads modules from a real Go binary (esbuild) without a build-info header", async () => {
    const f = await goCataloger.parse("usr/bin/esbuild", esbuild!);
    const main = f.packages.find((p) => p.metadata?.kind === "main");
    expect(main).toMatchObject({ name: "github.com/evanw/esbuild", version: "(devel)" });
    expect(f.packages.some((p) => p.name === "golang.org/x/sys" && p.version.startsWith("v0."))).toBe(true);
    expect(f.warnings?.[0]).toMatch(/runtime\.modinfo/);
  });

  it("reads a real Go binary built here", async () => {
    const go = requireTool("go");
    const dir = mkdtempSync(join(tmpdir(), "vantage-go-"));
    try {
      writeFileSync(join(dir, "go.mod"), "module example.com/hello\n\ngo 1.18\n");
      writeFileSync(join(dir, "main.go"), 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n');
      execFileSync(go, ["build", "-o", "hello", "."], { cwd: dir, env: { ...process.env, GOFLAGS: "-mod=mod", CGO_ENABLED: "0" } });
      const f = await goCataloger.parse("usr/bin/hello", readFileSync(join(dir, "hello")));
      expect(f.packages.map((p) => p.name).sort()).toEqual(["example.com/hello", "stdlib"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
