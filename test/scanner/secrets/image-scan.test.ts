// Secrets in the layer walk: found in the same single pass as the catalogers, located by layer,
// still reported when a later layer deletes the file, cached with the layer, bounded on hostile input.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildImage, writeOciLayout, type LayerSpec } from "../../../demo/runtime/images/index.js";
import { catalogTarget, collectTarget, MemoryLayerCache } from "../../../shared/scanner/image/index.js";
import { buildScanReport } from "../../../shared/scanner/match/match.js";
import { formatScanReport } from "../../../shared/scanner/report/index.js";
import { fingerprint } from "../../../shared/scanner/secrets/fingerprint.js";
import { TEST_CATALOGERS, testAssemble } from "../image/helpers.js";
import { fake, pemBody } from "./fake-secrets.js";

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function layout(layers: LayerSpec[]): Promise<{ target: string; layers: string[] }> {
  const img = await buildImage(layers);
  const dir = mkdtempSync(join(tmpdir(), "vantage-secrets-"));
  dirs.push(dir);
  await writeOciLayout(dir, [{ image: img, tag: "v1" }]);
  return { target: `oci:${dir}`, layers: img.layers.map((l) => l.descriptor.digest) };
}

const opts = { catalogers: TEST_CATALOGERS, assemble: testAssemble };

describe("secrets in image layers", () => {
  it("reports the adding layer, path, line and rule; a file deleted by a later layer stays reported as deleted", async () => {
    const key = fake.pkcs8Key();
    const token = fake.githubToken();
    const img = await layout([
      { files: [{ path: "etc/os-release", content: "ID=debian\nVERSION_ID=12\n" }] },
      { files: [{ path: "root/.ssh/id_ed25519", content: key }, { path: "srv/app/config.yaml", content: `name: app\ngithub:\n  token: ${token}\n` }] },
      { files: [{ path: "root/.ssh/id_ed25519", type: "whiteout" }] },
    ]);
    const sbom = await catalogTarget(img.target, opts);
    expect(sbom.secrets).toEqual([
      expect.objectContaining({ path: "root/.ssh/id_ed25519", rule: "private-key", line: 1, layerDigest: img.layers[1], layerIndex: 1, deleted: true, deletedIn: img.layers[2], fingerprint: fingerprint(pemBody(key)) }),
      expect.objectContaining({ path: "srv/app/config.yaml", rule: "github-token", line: 3, layerDigest: img.layers[1], deleted: false }),
    ]);
    expect(sbom.packages).toEqual([]); // catalogers unaffected
    // Every output names the secret without its value.
    const report = buildScanReport(sbom, []);
    for (const format of ["json", "table", "sarif"] as const) {
      const out = formatScanReport(report, format, sbom);
      expect(out).toContain("root/.ssh/id_ed25519");
      expect(out).not.toContain(token.slice(2, -2));
      expect(out).not.toContain(pemBody(key).slice(2, -2));
      for (const line of pemBody(key).match(/.{10}/g)!.slice(1, -1)) expect(out).not.toContain(line);
    }
    const json = JSON.parse(formatScanReport(report, "json")) as { secrets: Record<string, unknown>[]; findings: unknown[] };
    expect(json.findings).toEqual([]);
    expect(json.secrets[0]).toMatchObject({ rule: "private-key", path: "root/.ssh/id_ed25519", deleted: true, deletedIn: img.layers[2], layerIndex: 1 });
    expect(formatScanReport(report, "table")).toMatch(/Secrets: 2 \(critical 0, high 2, medium 0; in deleted files 1\)/);
  });

  it("opaque directories and replacements hide files too; a file re-added later is a second finding", async () => {
    const a = fake.githubToken();
    const img = await layout([
      { files: [{ path: "srv/app/.env", content: `API_TOKEN=${a}\n` }, { path: "home/ci/.npmrc", content: `//registry.npmjs.org/:_authToken=${fake.password()}\n` }] },
      { files: [{ path: "home/ci", type: "opaque" }, { path: "srv/app/.env", content: "LOG_LEVEL=debug\n" }] },
    ]);
    const secrets = (await catalogTarget(img.target, opts)).secrets!;
    expect(secrets.map((s) => [s.path, s.rule, s.deleted, s.deletedIn])).toEqual([
      ["home/ci/.npmrc", "npmrc-auth-token", true, img.layers[1]],
      ["srv/app/.env", "github-token", true, img.layers[1]], // replaced by a clean .env: still in layer 0
    ]);
  });

  it("layer facts carry the secrets: a cached rescan reports the same without reading a layer byte", async () => {
    const img = await layout([{ files: [{ path: "app/settings.json", content: JSON.stringify({ storage: fake.connectionString() }) }] }]);
    const cache = new MemoryLayerCache();
    const first = await collectTarget(img.target, { ...opts, layerCache: cache });
    const again = await collectTarget(img.target, { ...opts, layerCache: cache });
    expect(again.stats.layerBytesFetched).toBe(0);
    expect(again.secrets!.findings).toEqual(first.secrets!.findings);
    expect(first.secrets!.findings.map((s) => s.rule)).toEqual(["azure-storage-connection-string"]);
    expect((await collectTarget(img.target, { ...opts, secrets: false })).secrets).toBeUndefined();
  });

  it("skips vendored trees, OS trees and binaries; a template is not a finding", async () => {
    const t = fake.githubToken();
    const img = await layout([
      {
        files: [
          { path: "app/node_modules/lib/test/fixture.js", content: `const t = "${t}";` },
          { path: "usr/share/doc/x/README.txt", content: t },
          { path: "app/bin/tool.sh", content: Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), Buffer.from(t)]) },
          { path: "app/.env.example", content: `API_TOKEN=${t}\n` },
        ],
      },
    ]);
    const c = await collectTarget(img.target, opts);
    expect(c.secrets!.findings).toEqual([]);
    expect(c.secrets!.scannedFiles).toBe(1); // only tool.sh was read (and found binary)
  });

  it("hostile input stays bounded: huge files, many candidates and many matches", async () => {
    const t = fake.githubToken();
    const many = Array.from({ length: 300 }, (_, i) => ({ path: `srv/c/${i}.txt`, content: `${fake.githubToken()}\n`.repeat(30) }));
    const img = await layout([
      { files: [{ path: "srv/huge.json", content: Buffer.alloc(3 * 1024 * 1024, 0x41) }, { path: "srv/late.txt", content: t }] },
      { files: many },
    ]);
    const c = await collectTarget(img.target, { ...opts, secrets: { maxFileBytes: 1024 ** 2, maxImageBytes: 100_000, maxFindingsPerLayer: 50, maxFindingsPerFile: 5 } });
    const s = c.secrets!;
    expect(s.findings.filter((f) => f.path === "srv/late.txt")).toHaveLength(1);
    expect(s.findings.length).toBeLessThanOrEqual(51);
    expect(s.scannedBytes).toBeLessThanOrEqual(100_000);
    expect(s.skipped).toBeGreaterThan(0); // huge.json (too large) + the budget
    expect(c.warnings.some((w) => /secret scan: \d+ candidate files not read/.test(w))).toBe(true);
  });
});
