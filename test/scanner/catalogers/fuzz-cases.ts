// Realistic seed inputs for every cataloger, and the mutations fuzzing applies to them (bit flips,
// truncations, inserted garbage, overwritten length fields, duplicated chunks).
import { readFileSync } from "node:fs";
import { goElf, makeZip, rpmBdb, rpmBlob, rpmNdb, rpmSqlite } from "./helpers.js";

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url));
const rpms = () => [
  rpmBlob({ name: "bash", version: "5.1.8", release: "6.el9", epoch: 2, sourceRpm: "bash-5.1.8-6.el9.src.rpm" }),
  rpmBlob({ name: "zlib", version: "1.2.11", release: "40.el9", modularityLabel: "x:y:z:w" }),
];

export function mutate(input: Buffer, rnd: () => number): Buffer {
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

export type FuzzCase = [cataloger: string, path: string, input: Buffer, mode: number];

/** For every cataloger, realistic inputs at the paths it reads. */
export async function fuzzCases(): Promise<FuzzCase[]> {
  const sqlite = await rpmSqlite(rpms());
  const nestedJar = makeZip([
    { name: "META-INF/maven/g/a/pom.properties", data: "groupId=g\nartifactId=a\nversion=1\n" },
    { name: "BOOT-INF/lib/x-1.jar", data: fixture("animal-sniffer-annotations-1.14.jar"), deflate: false },
  ]);
  return [
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
}
