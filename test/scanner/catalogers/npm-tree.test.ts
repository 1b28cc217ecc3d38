// npm inventories as found on disk: a dir: target rooted at node_modules, lockfiles shipped inside
// packages, and npm 6's lockfile v1.
import { existsSync, readFileSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CATALOGERS } from "../../../shared/scanner/catalogers/index.js";
import { npmCataloger } from "../../../shared/scanner/catalogers/npm.js";
import { catalogTarget } from "../../../shared/scanner/image/index.js";
import { insideNodeModules } from "../../../shared/scanner/image/sources/dir.js";

let tmp: string;
beforeAll(async () => {
  tmp = await mkdtemp(join(tmpdir(), "vantage-npm-"));
});
afterAll(() => rm(tmp, { recursive: true, force: true }));

async function put(root: string, files: Record<string, unknown>): Promise<void> {
  for (const [path, body] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), typeof body === "string" ? body : JSON.stringify(body));
  }
}

const ids = (pkgs: { name: string; version: string }[]) => [...new Set(pkgs.map((p) => `${p.name}@${p.version}`))].sort();

describe("dir: rooted at node_modules", () => {
  it("names files from node_modules on", () => {
    expect(insideNodeModules("/srv/app/node_modules")).toBe("node_modules/");
    expect(insideNodeModules("/srv/app/node_modules/@babel")).toBe("node_modules/@babel/");
    expect(insideNodeModules("/srv/app")).toBe("");
  });

  it("reports top-level and nested packages, never a lockfile shipped inside a package", async () => {
    const nm = join(tmp, "proj/node_modules");
    await put(nm, {
      "express/package.json": { name: "express", version: "4.19.2" },
      // express's published tarball does not ship one, but many packages do (e.g. tedious/benchmarks):
      "tedious/package.json": { name: "tedious", version: "16.7.1" },
      "tedious/benchmarks/package-lock.json": { lockfileVersion: 2, packages: { "node_modules/mssql": { version: "6.0.0" } } },
      "tedious/npm-shrinkwrap.json": { lockfileVersion: 1, dependencies: { bl: { version: "1.0.0" } } },
      "@azure/identity/package.json": { name: "@azure/identity", version: "4.13.1" },
      "@azure/identity/node_modules/jose/package.json": { name: "jose", version: "4.15.9" },
      ".package-lock.json": { lockfileVersion: 3, packages: { "node_modules/ghost": { version: "1.0.0" } } },
    });
    const sbom = await catalogTarget(`dir:${nm}`, { catalogers: CATALOGERS });
    expect(ids(sbom.packages)).toEqual(["@azure/identity@4.13.1", "express@4.19.2", "jose@4.15.9", "tedious@16.7.1"]);
    expect(sbom.packages.find((p) => p.name === "jose")!.locations).toEqual(["node_modules/@azure/identity/node_modules/jose/package.json"]);
  });

  // The oracle: npm's own record of what it installed (node_modules/.package-lock.json) for this repo.
  const hidden = new URL("../../../node_modules/.package-lock.json", import.meta.url);
  it.runIf(existsSync(hidden))("agrees with npm's hidden lockfile on this repository's node_modules/@azure", async () => {
    const root = new URL("../../../node_modules/@azure", import.meta.url).pathname;
    const lock = JSON.parse(readFileSync(hidden, "utf8")) as { packages: Record<string, { version?: string; name?: string; link?: boolean }> };
    const expected = Object.entries(lock.packages)
      .filter(([key, v]) => key.startsWith("node_modules/@azure/") && !v.link && v.version && existsSync(join(root, "..", "..", key, "package.json")))
      .map(([key, v]) => ({ name: v.name ?? key.slice(key.lastIndexOf("node_modules/") + 13), version: v.version! }));
    const sbom = await catalogTarget(`dir:${root}`, { catalogers: [npmCataloger] });
    expect(expected.length).toBeGreaterThan(20);
    expect(ids(sbom.packages)).toEqual(ids(expected));
  });
});

describe("package-lock.json v1", () => {
  it("reads nested dependencies, leaves dev, git and file dependencies out, resolves aliases", async () => {
    // npm 6 output shape: `dependencies` keyed by name, nested where npm could not hoist.
    const lock = {
      name: "shop-api",
      version: "1.0.0",
      lockfileVersion: 1,
      requires: true,
      dependencies: {
        express: {
          version: "4.17.1",
          resolved: "https://registry.npmjs.org/express/-/express-4.17.1.tgz",
          integrity: "sha512-x",
          requires: { "body-parser": "1.19.0", debug: "2.6.9" },
          dependencies: { debug: { version: "2.6.9", resolved: "https://registry.npmjs.org/debug/-/debug-2.6.9.tgz", requires: { ms: "2.0.0" } } },
        },
        "body-parser": { version: "1.19.0" },
        debug: { version: "4.3.1" },
        ms: { version: "2.0.0" },
        mocha: { version: "8.2.1", dev: true, dependencies: { "supports-color": { version: "7.2.0", dev: true } } },
        "left-pad": { version: "github:stevemao/left-pad#5a7c8b3", from: "github:stevemao/left-pad" },
        local: { version: "file:../local" },
        "lodash-es5": { version: "npm:lodash@4.17.21" },
        "@types/node": { version: "14.14.10", optional: true },
      },
    };
    const f = await npmCataloger.parse("srv/app/package-lock.json", Buffer.from(JSON.stringify(lock)));
    expect(f.warnings).toBeUndefined();
    expect(ids(f.packages)).toEqual(["@types/node@14.14.10", "body-parser@1.19.0", "debug@2.6.9", "debug@4.3.1", "express@4.17.1", "lodash@4.17.21", "ms@2.0.0"]);
    expect(f.packages.find((p) => p.name === "@types/node")!.purl).toBe("pkg:npm/%40types/node@14.14.10");
  });
});
