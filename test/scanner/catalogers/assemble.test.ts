import { describe, expect, it } from "vitest";
import { assembleSbom, CATALOGERS } from "../../../shared/scanner/catalogers/index.js";
import type { Package } from "../../../shared/scanner/model.js";
import type { LocatedFacts } from "../../../shared/scanner/catalogers/types.js";

const deb = (name: string, location = "var/lib/dpkg/status"): Package => ({
  name,
  version: "1.0-1",
  type: "deb",
  purl: `pkg:deb/debian/${name}@1.0-1`,
  arch: "amd64",
  sourceName: name,
  sourceVersion: "1.0-1",
  locations: [location],
  cataloger: "dpkg",
});

describe("assembleSbom", () => {
  it("exports one cataloger per ecosystem with unique names", () => {
    const names = CATALOGERS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(expect.arrayContaining(["os-release", "dpkg", "apk", "rpm", "npm", "python", "java", "go", "dotnet"]));
  });

  it("picks the OS, finalizes purls with the distro, dedupes and sorts deterministically", () => {
    const files: LocatedFacts[] = [
      { path: "var/lib/dpkg/status", layerDigest: "sha256:l2", facts: { packages: [deb("zlib1g"), deb("apt"), deb("apt")], warnings: ["w1"] } },
      { path: "etc/debian_version", facts: { packages: [], os: { family: "debian", version: "12", versionId: "12.5" } } },
      { path: "usr/lib/os-release", facts: { packages: [], os: { family: "ubuntu", version: "22.04", versionId: "22.04", codename: "jammy" } } },
      { path: "app/node_modules/a/package.json", facts: { packages: [{ name: "a", version: "1.0.0", type: "npm", purl: "pkg:npm/a@1.0.0", locations: ["app/node_modules/a/package.json"], cataloger: "npm" }], warnings: ["w1", "w2"] } },
    ];
    const sbom = assembleSbom({ target: "oci:/x", artifact: { digest: "sha256:d" }, files, warnings: ["walker warning"] });
    expect(sbom.schemaVersion).toBe(1);
    expect(sbom.artifact).toMatchObject({ digest: "sha256:d", os: { family: "ubuntu", version: "22.04", codename: "jammy" } });
    expect(sbom.packages.map((p) => `${p.type}:${p.name}`)).toEqual(["deb:apt", "deb:zlib1g", "npm:a"]);
    expect(sbom.packages[0]!.purl).toBe("pkg:deb/ubuntu/apt@1.0-1?arch=amd64&distro=ubuntu-22.04");
    expect(sbom.packages[0]!.layerDigest).toBe("sha256:l2");
    expect(sbom.warnings).toEqual(["walker warning", "w1", "w2"]);
    // Input facts are not mutated (the walker may cache them per layer).
    expect(files[0]!.facts.packages[0]!.purl).toBe("pkg:deb/debian/zlib1g@1.0-1");
    // Order of the input files does not change the output.
    expect(assembleSbom({ target: "oci:/x", artifact: { digest: "sha256:d" }, files: [...files].reverse(), warnings: ["walker warning"] }).packages).toEqual(sbom.packages);
  });

  it("keeps the same package found at different locations", () => {
    const sbom = assembleSbom({
      target: "t",
      artifact: {},
      files: [
        { path: "var/lib/dpkg/status.d/a", facts: { packages: [deb("a", "var/lib/dpkg/status.d/a")] } },
        { path: "var/lib/dpkg/status", facts: { packages: [deb("a")] } },
      ],
    });
    expect(sbom.packages).toHaveLength(2);
    expect(sbom.warnings.join()).toMatch(/OS could not be identified/);
    expect(sbom.packages[0]!.purl).toBe("pkg:deb/debian/a@1.0-1?arch=amd64");
  });
});
