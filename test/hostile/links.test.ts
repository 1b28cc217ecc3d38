// Package databases behind links inside the image: a database reached through a symbolic or hard
// link gives its packages, resolved within the image root across layers; a dangling, looping or
// root-climbing link is a warning naming the path, never silence. Layers are generated tars.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { catalogLayers, emptyStats, type LayerRef } from "../../shared/scanner/image/catalog-layers.js";
import { resolveLimits } from "../../shared/scanner/image/limits.js";
import { CATALOGERS } from "../../shared/scanner/catalogers/index.js";
import { dpkgStatus } from "../scanner/image/helpers.js";
import { rpmBlob, rpmNdb } from "../scanner/catalogers/helpers.js";
import { DATABASE_DIRS, DATABASE_FILE_NAMES, isDatabaseCandidate } from "../../shared/scanner/image/links.js";
import { tar, type TarItem } from "./generators.js";

const status = dpkgStatus([["openssl", "3.0.0"]]);

async function catalog(...layers: TarItem[][]) {
  return catalogWith({}, ...layers);
}

async function catalogWith(options: { opened?: Map<string, number> }, ...layers: TarItem[][]) {
  const refs: LayerRef[] = layers.map((items, i) => {
    const data = tar(items);
    const digest = `sha256:${String(i).padStart(64, "0")}`;
    return {
      digest,
      open: async () => {
        options.opened?.set(digest, (options.opened.get(digest) ?? 0) + 1);
        return Readable.from([data]);
      },
    };
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

describe("package databases behind directory links", () => {
  const rpmdb = rpmNdb([rpmBlob({ name: "zlib", version: "1.2.11", release: "40.el9" })]);

  it("reads a dpkg database whose directory is a link (var/lib/dpkg -> /usr/lib/dpkg-db), its info lists too", async () => {
    const r = await catalog([
      { name: "usr/lib/dpkg-db/status", data: status },
      { name: "usr/lib/dpkg-db/info/openssl.list", data: "/usr/lib/python3/dist-packages/x/__init__.py\n" },
      { name: "var/lib/dpkg", type: "symlink", target: "/usr/lib/dpkg-db" },
    ]);
    expect(r.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect(r.warnings).toEqual([]);
  });

  it("reads an rpm database behind a linked parent (usr/lib/sysimage -> ../../opt/sysimage), across layers", async () => {
    const r = await catalog([{ name: "usr/lib/sysimage", type: "symlink", target: "../../opt/sysimage" }], [{ name: "opt/sysimage/rpm/Packages.db", data: rpmdb }]);
    expect(r.packages).toEqual(["rpm:zlib@1.2.11-40.el9 usr/lib/sysimage/rpm/Packages.db"]);
    expect(r.warnings).toEqual([]);
  });

  it("follows chains of directory links within the root (var -> /data/var, /data -> srv), ..-climbing kept at the root with a warning", async () => {
    const chain = await catalog([
      { name: "srv/var/lib/dpkg/status", data: status },
      { name: "data", type: "symlink", target: "srv" },
      { name: "var", type: "symlink", target: "/data/var" },
    ]);
    expect(chain.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    const climbing = await catalog([{ name: "db/status", data: status }, { name: "var/lib/dpkg", type: "symlink", target: "../../../../../db" }]);
    expect(climbing.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect(climbing.warnings.join("\n")).toMatch(/var\/lib\/dpkg is a symbolic link to "(\.\.\/){5}db", which climbs above the image root/);
  });

  it("does not read a database twice when its real path is cataloged too (var/lib/rpm -> ../../usr/lib/sysimage/rpm)", async () => {
    const r = await catalog([{ name: "usr/lib/sysimage/rpm/Packages.db", data: rpmdb }, { name: "var/lib/rpm", type: "symlink", target: "../../usr/lib/sysimage/rpm" }]);
    expect(r.packages).toEqual(["rpm:zlib@1.2.11-40.el9 usr/lib/sysimage/rpm/Packages.db"]);
    expect(r.warnings).toEqual([]);
  });

  it("warns, naming the path, when a directory link in front of a database loops", async () => {
    const r = await catalog([
      { name: "usr/lib/dpkg-db/status", data: status },
      { name: "var/lib/dpkg", type: "symlink", target: "/a" },
      { name: "a", type: "symlink", target: "b" },
      { name: "b", type: "symlink", target: "a" },
    ]);
    expect(r.packages).toEqual([]);
    expect(r.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status lies behind the directory link var\/lib\/dpkg \(to "\/a"\): more than 40 links to follow \(a loop\?\); dpkg did not read it/);
  });

  it("a directory that replaces the link in a later layer is what the container sees", async () => {
    const r = await catalog(
      [{ name: "usr/lib/dpkg-db/status", data: status }, { name: "var/lib/dpkg", type: "symlink", target: "/usr/lib/dpkg-db" }],
      [{ name: "var/lib/dpkg", type: "dir" }, { name: "var/lib/dpkg/status", data: dpkgStatus([["bash", "5.2"]]) }],
    );
    expect(r.packages).toEqual(["deb:bash@5.2 var/lib/dpkg/status"]);
  });

  it("costs nothing on ordinary images: a merged-/usr link (lib -> usr/lib) reads no layer twice", async () => {
    const opened = new Map<string, number>();
    const r = await catalogWith(
      { opened },
      [{ name: "lib", type: "symlink", target: "usr/lib" }, { name: "usr/share/doc/x/status", data: "not a database" }, { name: "var/lib/dpkg/status", data: status }],
    );
    expect(r.packages).toEqual(["deb:openssl@3.0.0 var/lib/dpkg/status"]);
    expect([...opened.values()]).toEqual([1]);
  });

  it("knows a database file name for every database directory (the walk's shortlist matches the catalogers)", () => {
    for (const dir of DATABASE_DIRS) {
      const read = [...DATABASE_FILE_NAMES].some((name) => CATALOGERS.some((c) => c.matches(`${dir}/${name}`, 1, 0o644)));
      expect(read, dir).toBe(true);
    }
  });

  it("remembers a file as a candidate by its name alone: a database file name, status.d/NAME or info/NAME.list", () => {
    const yes = ["usr/lib/dpkg-db/status", "status", "opt/db/installed", "x/Packages.db", "x/rpmdb.sqlite", "x/container-manifest-2", "x/status.d/base", "status.d/base", "db/info/openssl.list", "info/a.list"];
    const no = ["usr/share/doc/readme", "x/status.txt", "x/astatus.d/f", "x/info/a.txt", "x/myinfo/a.list", "x/info.list", "x/status.d"];
    expect(yes.filter((p) => !isDatabaseCandidate(p))).toEqual([]);
    expect(no.filter((p) => isDatabaseCandidate(p))).toEqual([]);
  });
});
