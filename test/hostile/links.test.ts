// A package database reached through a link inside the image is never silently empty: the walk
// reports it with the link's target.
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { walkLayer } from "../../shared/scanner/image/layer-walk.js";
import { resolveLimits } from "../../shared/scanner/image/limits.js";
import { TEST_CATALOGERS, dpkgStatus } from "../scanner/image/helpers.js";
import { tar } from "./generators.js";

const walk = (data: Buffer) => walkLayer(Readable.from([data]), { layer: "sha256:links", catalogers: TEST_CATALOGERS, limits: resolveLimits() });

describe("package databases behind links", () => {
  it("warns for a symlinked and a hardlinked database instead of answering 0 packages silently", async () => {
    const status = dpkgStatus([["openssl", "3.0.0"]]);
    const sym = await walk(tar([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "symlink", target: "../../../opt/db/status" }]));
    expect(sym.files.flatMap((f) => f.facts.packages)).toEqual([]);
    expect(sym.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status is a symbolic link to "..\/..\/..\/opt\/db\/status"; not followed, so dpkg did not read it/);
    const hard = await walk(tar([{ name: "opt/db/status", data: status }, { name: "var/lib/dpkg/status", type: "hardlink", target: "opt/db/status" }]));
    expect(hard.warnings.join("\n")).toMatch(/var\/lib\/dpkg\/status is a hard link to "opt\/db\/status"/);
  });
});
