// Every cataloger gets a few hundred seeded mutations (bit flips, truncations, inserted garbage,
// overwritten length fields) of realistic input: none may throw, hang, or emit unbounded output.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CATALOGERS } from "../../../shared/scanner/catalogers/index.js";
import type { Cataloger } from "../../../shared/scanner/catalogers/types.js";
import { goElf, makeZip, prng, rpmBdb, rpmBlob, rpmNdb, rpmSqlite } from "./helpers.js";

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url));
const rpms = () => [
  rpmBlob({ name: "bash", version: "5.1.8", release: "6.el9", epoch: 2, sourceRpm: "bash-5.1.8-6.el9.src.rpm" }),
  rpmBlob({ name: "zlib", version: "1.2.11", release: "40.el9", modularityLabel: "x:y:z:w" }),
];

function mutate(input: Buffer, rnd: () => number): Buffer {
  const b = Buffer.from(input);
  const kind = Math.floor(rnd() * 5);
  const at = () => Math.floor(rnd() * Math.max(1, b.length));
  if (kind === 0) {
    for (let i = 0, n = 1 + Math.floor(rnd() * 16); i < n; i++) b[at()] ^= 1 << Math.floor(rnd() * 8);
    return b;
  }
  if (kind === 1) return b.subarray(0, at());
  if (kind === 2) {
    const junk = Buffer.from(Array.from({ length: 1 + Math.floor(rnd() * 64) }, () => Math.floor(rnd() * 256)));
    const p = at();
    return Buffer.concat([b.subarray(0, p), junk, b.subarray(p)]);
  }
  if (kind === 3) {
    // Overwrite a 4-byte field with an extreme value (length/offset/count fields).
    const p = at();
    const v = [0, 0xffffffff, 0x7fffffff, 0x10000, 1][Math.floor(rnd() * 5)]!;
    if (p + 4 <= b.length) b.writeUInt32LE(v >>> 0, p);
    return b;
  }
  // Duplicate a chunk (repeated structures, loops in chains).
  const p = at();
  return Buffer.concat([b, b.subarray(p, Math.min(b.length, p + 4096))]);
}

describe("catalogers survive hostile input", async () => {
  const sqlite = await rpmSqlite(rpms());
  const nestedJar = makeZip([
    { name: "META-INF/maven/g/a/pom.properties", data: "groupId=g\nartifactId=a\nversion=1\n" },
    { name: "BOOT-INF/lib/x-1.jar", data: fixture("animal-sniffer-annotations-1.14.jar"), deflate: false },
  ]);
  const cases: [string, string, Buffer, number][] = [
    ["os-release", "etc/os-release", fixture("debian-os-release"), 0o644],
    ["os-release", "etc/redhat-release", Buffer.from("Red Hat Enterprise Linux release 9.3 (Plow)\n"), 0o644],
    ["dpkg", "var/lib/dpkg/status", fixture("dpkg-status"), 0o644],
    ["apk", "lib/apk/db/installed", Buffer.from("P:musl\nV:1.2.4-r4\nA:x86_64\no:musl\nL:MIT\n\nP:zlib\nV:1.3-r2\no:zlib\n"), 0o644],
    ["rpm", "var/lib/rpm/rpmdb.sqlite", sqlite, 0o644],
    ["rpm", "var/lib/rpm/Packages", rpmBdb(rpms(), { pageSize: 512 }), 0o644],
    ["rpm", "var/lib/rpm/Packages.db", rpmNdb(rpms()), 0o644],
    ["rpm", "var/lib/rpmmanifest/container-manifest-2", Buffer.from("glibc\t2.35-6.cm2\t1\t2\tMicrosoft Corporation\t(none)\t10\tx86_64\t0\tglibc-2.35-6.cm2.src.rpm\n"), 0o644],
    ["npm", "app/node_modules/@a/b/package.json", Buffer.from('{"name":"@a/b","version":"1.0.0","license":"MIT"}'), 0o644],
    ["npm", "app/package-lock.json", Buffer.from('{"lockfileVersion":3,"packages":{"":{},"node_modules/x":{"version":"1.0.0"}}}'), 0o644],
    ["python", "x/pip-24.2.dist-info/METADATA", fixture("pip-METADATA"), 0o644],
    ["java", "app/app.jar", nestedJar, 0o644],
    ["dpkg-files", "var/lib/dpkg/info/python3-urllib3.list", Buffer.from("/.\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info\n/usr/lib/python3/dist-packages/urllib3-1.26.12.egg-info/PKG-INFO\n/usr/bin/x\n"), 0o644],
    ["java", "lib/animal-sniffer-annotations-1.14.jar", fixture("animal-sniffer-annotations-1.14.jar"), 0o644],
    ["go", "usr/bin/tool", goElf("go1.21.5", "path\tx/y\nmod\tx/y\tv1.0.0\t\ndep\ta/b\tv1.2.3\th1:x\n", "inline"), 0o755],
    ["go", "usr/bin/old", goElf("go1.16.3", "path\tx/y\nmod\tx/y\tv1.0.0\t\ndep\ta/b\tv1.2.3\th1:x\n", "pointer"), 0o755],
    ["dotnet", "app/App.deps.json", Buffer.from('{"libraries":{"A/1.0.0":{"type":"package"},"B/2.0.0":{"type":"project"}}}'), 0o644],
    ["gem", "usr/lib/ruby/gems/3.2.0/specifications/rake-13.0.6.gemspec", Buffer.from('Gem::Specification.new do |s|\n  s.name = "rake".freeze\n  s.version = "13.0.6"\nend\n'), 0o644],
  ];

  it("covers every cataloger", () => {
    expect(new Set(cases.map((c) => c[0]))).toEqual(new Set(CATALOGERS.map((c) => c.name)));
  });

  it.each(cases)("%s: %s", async (name, path, input, mode) => {
    const cat = CATALOGERS.find((c) => c.name === name) as Cataloger;
    expect(cat.matches(path, input.length, mode)).toBe(true);
    const clean = await cat.parse(path, input);
    expect(clean.packages.length + (clean.os ? 1 : 0) + (clean.owned?.length ?? 0)).toBeGreaterThan(0);
    const rnd = prng(0x5eed ^ path.length);
    const iterations = name === "rpm" && path.endsWith("sqlite") ? 120 : 300;
    const started = Date.now();
    for (let i = 0; i < iterations; i++) {
      const input2 = mutate(input, rnd);
      const t0 = Date.now();
      const out = await cat.parse(path, input2);
      expect(Date.now() - t0).toBeLessThan(1000);
      expect(Array.isArray(out.packages)).toBe(true);
      expect(out.packages.length).toBeLessThanOrEqual(Math.max(50, clean.packages.length * 4));
      expect((out.warnings ?? []).length).toBeLessThanOrEqual(60);
      for (const p of out.packages) {
        expect(typeof p.purl).toBe("string");
        expect(p.purl.startsWith("pkg:")).toBe(true);
        expect(p.locations.length).toBeGreaterThan(0);
        expect(p.name.length).toBeLessThan(2048);
      }
    }
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
