import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { dotnetCataloger } from "../../../shared/scanner/catalogers/dotnet.js";
import { gemCataloger } from "../../../shared/scanner/catalogers/gem.js";
import { assembleSbom } from "../../../shared/scanner/catalogers/index.js";
import { npmCataloger } from "../../../shared/scanner/catalogers/npm.js";
import { pythonCataloger } from "../../../shared/scanner/catalogers/python.js";

const fixture = (n: string) => readFileSync(new URL(`fixtures/${n}`, import.meta.url));
const json = (o: unknown) => Buffer.from(JSON.stringify(o));

describe("npm cataloger", () => {
  it("matches package directories' package.json and root lockfiles only", () => {
    const m = (p: string) => npmCataloger.matches(p, 1000, 0o644);
    expect(m("app/node_modules/express/package.json")).toBe(true);
    expect(m("app/node_modules/@azure/identity/package.json")).toBe(true);
    expect(m("app/node_modules/a/node_modules/b/package.json")).toBe(true);
    expect(m("app/node_modules/express/lib/package.json")).toBe(false);
    expect(m("app/node_modules/.package-lock.json")).toBe(false);
    expect(m("app/package.json")).toBe(false);
    expect(m("app/package-lock.json")).toBe(true);
    expect(m("app/node_modules/x/package-lock.json")).toBe(false);
  });

  it("reads installed packages with scoped purls and licenses; skips versionless fixtures", async () => {
    const f = await npmCataloger.parse("app/node_modules/@azure/identity/package.json", json({ name: "@azure/identity", version: "4.13.1", license: "MIT" }));
    expect(f.packages[0]).toMatchObject({ name: "@azure/identity", version: "4.13.1", purl: "pkg:npm/%40azure/identity@4.13.1", licenses: ["MIT"], type: "npm" });
    expect((await npmCataloger.parse("app/node_modules/foo/package.json", json({ name: "foo" }))).packages).toEqual([]);
    expect((await npmCataloger.parse("app/node_modules/foo/package.json", Buffer.from("{not json"))).warnings?.[0]).toMatch(/not a JSON object/);
  });

  it("reads package-lock v3 without dev and link entries, and merges with installed packages", async () => {
    const lock = {
      name: "app",
      lockfileVersion: 3,
      packages: {
        "": { name: "app", version: "1.0.0" },
        "node_modules/express": { version: "4.19.2", license: "MIT" },
        "node_modules/@types/node": { version: "20.11.0", dev: true },
        "node_modules/ws": { version: "8.16.0" },
        "node_modules/express/node_modules/debug": { version: "2.6.9" },
        "node_modules/local-lib": { resolved: "packages/local-lib", link: true },
      },
    };
    const f = await npmCataloger.parse("app/package-lock.json", json(lock));
    expect(f.packages.map((p) => `${p.name}@${p.version}`).sort()).toEqual(["debug@2.6.9", "express@4.19.2", "ws@8.16.0"]);
    const installed = await npmCataloger.parse("app/node_modules/express/package.json", json({ name: "express", version: "4.19.2" }));
    const sbom = assembleSbom({
      target: "dir:app",
      artifact: {},
      files: [
        { path: "app/package-lock.json", facts: f },
        { path: "app/node_modules/express/package.json", facts: installed },
      ],
    });
    const express = sbom.packages.filter((p) => p.name === "express");
    expect(express).toHaveLength(1);
    expect(express[0]!.locations).toEqual(["app/node_modules/express/package.json", "app/package-lock.json"]);
    expect(sbom.packages).toHaveLength(3);
  });
});

describe("python cataloger", () => {
  it("matches dist-info and egg-info metadata", () => {
    const m = (p: string) => pythonCataloger.matches(p, 1000, 0o644);
    expect(m("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA")).toBe(true);
    expect(m("usr/lib/python3/site-packages/six-1.16.0.egg-info/PKG-INFO")).toBe(true);
    expect(m("usr/lib/python3/dist-packages/python_apt-2.6.0.egg-info")).toBe(true);
    expect(m("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/RECORD")).toBe(false);
  });

  it("reads a real pip METADATA", async () => {
    const f = await pythonCataloger.parse("usr/local/lib/python3.13/site-packages/pip-24.2.dist-info/METADATA", fixture("pip-METADATA"));
    expect(f.packages[0]).toMatchObject({ name: "pip", version: "24.2", purl: "pkg:pypi/pip@24.2", licenses: ["MIT"], cataloger: "python" });
  });

  it("normalizes names per PEP 503 in the purl", async () => {
    const f = await pythonCataloger.parse("x/Foo_Bar.Baz-1.0.egg-info", Buffer.from("Metadata-Version: 1.1\nName: Foo_Bar.Baz\nVersion: 1.0\nLicense: UNKNOWN\n\nLong description: with colons\n"));
    expect(f.packages[0]).toMatchObject({ name: "Foo_Bar.Baz", purl: "pkg:pypi/foo-bar-baz@1.0" });
    expect(f.packages[0]!.licenses).toBeUndefined();
  });
});

describe("dotnet cataloger", () => {
  it("reads package libraries from deps.json", async () => {
    const deps = {
      runtimeTarget: { name: ".NETCoreApp,Version=v8.0" },
      targets: {},
      libraries: {
        "MyApp/1.0.0": { type: "project", serviceable: false, sha512: "" },
        "Newtonsoft.Json/13.0.1": { type: "package", serviceable: true, sha512: "sha512-ppPF…", path: "newtonsoft.json/13.0.1" },
        "System.Text.Json/8.0.0": { type: "package", serviceable: true },
        "Microsoft.NETCore.App.Ref/8.0.0": { type: "reference" },
      },
    };
    expect(dotnetCataloger.matches("app/MyApp.deps.json", 1000, 0o644)).toBe(true);
    const f = await dotnetCataloger.parse("app/MyApp.deps.json", json(deps));
    expect(f.packages.map((p) => p.purl)).toEqual(["pkg:nuget/Newtonsoft.Json@13.0.1", "pkg:nuget/System.Text.Json@8.0.0"]);
    expect(f.packages[0]).toMatchObject({ type: "nuget", cataloger: "dotnet", version: "13.0.1" });
  });
});

describe("gem cataloger", () => {
  it("reads installed gemspecs", async () => {
    const spec = `# -*- encoding: utf-8 -*-
# stub: rake 13.0.6 ruby lib

Gem::Specification.new do |s|
  s.name = "rake".freeze
  s.version = "13.0.6"
  s.licenses = ["MIT".freeze]
end
`;
    expect(gemCataloger.matches("usr/local/bundle/specifications/rake-13.0.6.gemspec", 1000, 0o644)).toBe(true);
    expect(gemCataloger.matches("src/app/rake.gemspec", 1000, 0o644)).toBe(false);
    const f = await gemCataloger.parse("usr/local/bundle/specifications/rake-13.0.6.gemspec", Buffer.from(spec));
    expect(f.packages[0]).toMatchObject({ name: "rake", version: "13.0.6", purl: "pkg:gem/rake@13.0.6", licenses: ["MIT"] });
  });
});
