// One problem, one warning: a target with a single unreadable package database yields that warning
// once in the SBOM (whichever way the file was reached: a directory, a layer, a link in a layer) and
// once on stderr, for `vantage sbom` and `vantage scan` in table and JSON output alike.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildImage, writeOciLayout } from "../../demo/runtime/images/index.js";
import { main } from "../../shared/cli/main.js";
import { MAX_PRINTED_WARNINGS, printWarnings } from "../../shared/cli/io.js";
import { catalogTarget, MemoryLayerCache } from "../../shared/scanner/image/index.js";

function capture(cwd: string) {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd }, out: () => out.join(""), err: () => err.join("") };
}

const OS_RELEASE = "ID=debian\nVERSION_ID=12\n";
// Neither SQLite, ndb nor Berkeley DB: the rpm cataloger reports it cannot read it.
const NOT_A_DB = "this is not an rpm database\n".repeat(4);

let tmp: string;
const targets: Record<string, string> = {};

beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-warnings-"));
  const root = join(tmp, "rootfs");
  await mkdir(join(root, "var/lib/rpm"), { recursive: true });
  await mkdir(join(root, "etc"), { recursive: true });
  await writeFile(join(root, "etc/os-release"), OS_RELEASE);
  await writeFile(join(root, "var/lib/rpm/rpmdb.sqlite"), NOT_A_DB);
  targets.dir = `dir:${root}`;

  const layered = await buildImage([
    { files: [{ path: "etc/os-release", content: OS_RELEASE }] },
    { files: [{ path: "var/lib/rpm/rpmdb.sqlite", content: NOT_A_DB }] },
  ]);
  await writeOciLayout(join(tmp, "layered"), [{ image: layered }]);
  targets.layer = `oci:${join(tmp, "layered")}`;

  // The database reached through a symbolic link whose target no cataloger reads by itself.
  const linked = await buildImage([
    { files: [{ path: "etc/os-release", content: OS_RELEASE }, { path: "opt/store/packages.db", content: NOT_A_DB }] },
    { files: [{ path: "var/lib/rpm/rpmdb.sqlite", type: "symlink", linkname: "/opt/store/packages.db" }] },
  ]);
  await writeOciLayout(join(tmp, "linked"), [{ image: linked }]);
  targets.link = `oci:${join(tmp, "linked")}`;
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

const aboutDb = (lines: string[]) => lines.filter((l) => l.includes("var/lib/rpm/rpmdb.sqlite"));
const stderrWarnings = (err: string) => err.split("\n").filter((l) => l.includes(": warning: "));

describe("each problem is warned about once", () => {
  for (const kind of ["dir", "layer", "link"] as const) {
    it(`${kind}: the SBOM lists the unreadable database once, naming it once`, async () => {
      const sbom = await catalogTarget(targets[kind]!, { layerCache: new MemoryLayerCache() });
      const db = aboutDb(sbom.warnings);
      expect(db, sbom.warnings.join("\n")).toHaveLength(1);
      expect(db[0]).toMatch(/unrecognized rpm database format/);
      // The path is named once: no "path: path: …" from a second collector.
      expect(db[0]!.split("var/lib/rpm/rpmdb.sqlite:").length - 1).toBe(1);
    });
  }

  it("a cached layer gives the same single warning as a fresh walk", async () => {
    const cache = new MemoryLayerCache();
    const fresh = await catalogTarget(targets.layer!, { layerCache: cache });
    const cached = await catalogTarget(targets.layer!, { layerCache: cache });
    expect(aboutDb(cached.warnings)).toEqual(aboutDb(fresh.warnings));
    expect(aboutDb(cached.warnings)).toHaveLength(1);
  });

  for (const kind of ["dir", "layer"] as const) {
    for (const format of ["table", "json"]) {
      it(`vantage sbom --format ${format} (${kind}): one stderr line, stdout untouched by warnings`, async () => {
        const c = capture(tmp);
        expect(await main(["sbom", targets[kind]!, "--format", format], c.io)).toBe(0);
        const lines = stderrWarnings(c.err());
        expect(aboutDb(lines), c.err()).toHaveLength(1);
        expect(lines[0]).toMatch(/^vantage sbom: warning: var\/lib\/rpm\/rpmdb\.sqlite: unrecognized rpm database format/);
        if (format === "json") expect(aboutDb(JSON.parse(c.out()).warnings)).toHaveLength(1);
        else expect(c.out()).not.toContain("rpmdb.sqlite");
      });

      it(`vantage scan --format ${format} (${kind}): one stderr line`, async () => {
        const c = capture(tmp);
        expect(await main(["scan", targets[kind]!, "--format", format], c.io)).toBe(0);
        const lines = stderrWarnings(c.err());
        expect(aboutDb(lines), c.err()).toHaveLength(1);
        expect(lines[0]).toMatch(/^vantage scan: warning: var\/lib\/rpm\/rpmdb\.sqlite: /);
        if (format === "json") JSON.parse(c.out()); // stdout stays one JSON document
      });
    }
  }

  // OS packages but no os-release: the SBOM says it (naming the cause and that distro advisories
  // cannot be applied); matching those packages adds nothing to say.
  for (const format of ["table", "json"]) {
    it(`OS packages without os-release: one line from vantage scan --format ${format}, as from vantage sbom`, async () => {
      const root = join(tmp, "no-os-release");
      await mkdir(join(root, "var/lib/dpkg"), { recursive: true });
      await writeFile(join(root, "var/lib/dpkg/status"), "Package: bash\nStatus: install ok installed\nVersion: 5.2-1\nArchitecture: amd64\n\n");
      const aboutOs = (lines: string[]) => lines.filter((l) => /\bOS\b/.test(l));
      const scan = capture(tmp);
      expect(await main(["scan", `dir:${root}`, "--format", format], scan.io)).toBe(0);
      const lines = stderrWarnings(scan.err());
      expect(aboutOs(lines), scan.err()).toEqual(["vantage scan: warning: OS packages found but the OS could not be identified (no os-release); distro advisories cannot be applied"]);
      const sbom = capture(tmp);
      expect(await main(["sbom", `dir:${root}`, "--format", format === "table" ? "table" : "json"], sbom.io)).toBe(0);
      expect(aboutOs(stderrWarnings(sbom.err()))).toEqual(["vantage sbom: warning: OS packages found but the OS could not be identified (no os-release); distro advisories cannot be applied"]);
      if (format === "json") expect(JSON.parse(scan.out())).toMatchObject({ packages: 1, findings: [] });
    });
  }

  it("prints at most MAX_PRINTED_WARNINGS lines and counts the rest", () => {
    const err: string[] = [];
    const warnings = Array.from({ length: MAX_PRINTED_WARNINGS + 5 }, (_, i) => `problem ${i}`);
    printWarnings({ stdout: () => undefined, stderr: (t) => err.push(t), isTTY: false, cwd: tmp }, "sbom", warnings);
    expect(err).toHaveLength(MAX_PRINTED_WARNINGS + 1);
    expect(err.at(-1)).toBe("vantage sbom: warning: … and 5 more\n");
  });
});
