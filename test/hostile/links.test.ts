// Package databases behind links inside the image: a database reached through a symbolic or hard
// link gives its packages, resolved within the image root across layers; a dangling, looping or
// root-climbing link is a warning naming the path, never silence. Layers are generated tars.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { catalogLayers, emptyStats, type LayerRef } from "../../shared/scanner/image/catalog-layers.js";
import { resolveLimits } from "../../shared/scanner/image/limits.js";
import { CATALOGERS } from "../../shared/scanner/catalogers/index.js";
import { dpkgStatus } from "../scanner/image/helpers.js";
import { tar, type TarItem } from "./generators.js";

const status = dpkgStatus([["openssl", "3.0.0"]]);

async function catalog(...layers: TarItem[][]) {
  const refs: LayerRef[] = layers.map((items, i) => {
    const data = tar(items);
    return { digest: `sha256:${String(i).padStart(64, "0")}`, open: async () => Readable.from([data]) };
  });
  const r = await catalogLayers(refs, { catalogers: CATALOGERS, limits: resolveLimits(), stats: emptyStats() });
  return {
    packages: r.files.flatMap((f) => f.facts.packages.map((p) => `${p.type}:${p.name}@${p.version} ${f.path}`)).sort(),
    warnings: r.warnings,
  };
}

describe("package databases behind links", () => {
  it("reads a database through a symbolic link (relative or absolute) and a hard link", async () => {
    const rel = await catalog([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "symlink", target: "../../../opt/db/status" }]);
    expect(rel.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect(rel.warnings).toEqual([]);
    const abs = await catalog([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "symlink", target: "/opt/db/status" }]);
    expect(abs.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    const hard = await catalog([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "hardlink", target: "opt/db/status" }]);
    expect(hard.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
  });

  it("resolves across layers and through directory links in the target path", async () => {
    // The link in the base layer, its target written by a later layer.
    const later = await catalog([{ name: "var/lib/dpkg/status", type: "symlink", target: "/opt/db/status" }], [{ name: "opt/db/status", data: status }]);
    expect(later.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    // /data is itself a link to srv/real: the target is srv/real/status.
    const viaDir = await catalog(
      [{ name: "srv/real/status", data: status }, { name: "data", type: "symlink", target: "srv/real" }],
      [{ name: "var/lib/dpkg/status", type: "symlink", target: "/data/status" }],
    );
    expect(viaDir.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect(viaDir.warnings).toEqual([]);
  });

  it("covers other catalogers' inputs: npm package.json and Python METADATA behind links", async () => {
    const r = await catalog([
      { name: "srv/pkg.json", data: JSON.stringify({ name: "left-pad", version: "1.3.0" }) },
      { name: "app/node_modules/left-pad/package.json", type: "symlink", target: "/srv/pkg.json" },
      { name: "srv/META", data: "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\n" },
      { name: "usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", type: "hardlink", target: "srv/META" },
    ]);
    expect(r.packages).toEqual([
      "npm:left-pad@1.3.0 app/node_modules/left-pad/package.json",
      "pypi:requests@2.31.0 usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA",
    ]);
  });

  it("warns, naming the path, for a dangling, a looping, a whited-out and a root-climbing link", async () => {
    const dangling = await catalog([{ name: "var/lib/dpkg/status", type: "symlink", target: "/nowhere/status" }]);
    expect(dangling.packages).toEqual([]);
    expect(dangling.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status is a symbolic link to "\/nowhere\/status": its target nowhere\/status does not exist in the image \(dangling link\); dpkg did not read it/);

    const loop = await catalog([
      { name: "var/lib/dpkg/status", type: "symlink", target: "/a" },
      { name: "a", type: "symlink", target: "b" },
      { name: "b", type: "symlink", target: "a" },
    ]);
    expect(loop.packages).toEqual([]);
    expect(loop.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status is a symbolic link to "\/a": more than 40 links to follow \(a loop\?\); not followed, so dpkg did not read it/);

    const whitedOut = await catalog([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "symlink", target: "/opt/db/status" }], [{ name: "opt/db/.wh.status" }]);
    expect(whitedOut.packages).toEqual([]);
    expect(whitedOut.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status .*dangling link/);

    const climbing = await catalog([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "symlink", target: "../../../../../../opt/db/status" }]);
    expect(climbing.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect(climbing.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status is a symbolic link to "(\.\.\/){6}opt\/db\/status", which climbs above the image root/);
  });

  it("a link replaced by a regular file in a later layer is the file, and a directory target is a warning", async () => {
    const replaced = await catalog([{ name: "var/lib/dpkg/status", type: "symlink", target: "/nowhere" }], [{ name: "var/lib/dpkg/status", data: dpkgStatus([["bash", "5.2"]]) }]);
    expect(replaced.packages).toEqual(["deb:bash@5.2 var/lib/dpkg/status"]);
    expect(replaced.warnings).toEqual([]);
    const dir = await catalog([{ name: "opt/db", type: "dir" }, { name: "var/lib/dpkg/status", type: "symlink", target: "/opt/db" }]);
    expect(dir.warnings.join("\n")).toMatch(/its target opt\/db is a directory; dpkg did not read it/);
  });
});
