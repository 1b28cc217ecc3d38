// infra/ compiled and linted by the real Bicep CLI (pinned, restored from NuGet with `dotnet`), with
// infra/bicepconfig.json raising every linter rule to an error. A second run on a deliberately
// flawed file proves the configuration bites: an unused parameter and an outdated API version.
import { mkdtempSync, copyFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
// @ts-expect-error plain ES module script without types
import { BICEP_VERSION, checkInfra, hasDotnet } from "../../scripts/infra-check.mjs";

const dotnet = hasDotnet();
if (!dotnet) console.warn("infra: skipped — the `dotnet` SDK is not installed, so the pinned Bicep CLI cannot be restored from NuGet");

describe.skipIf(!dotnet)("infra/ with the real Bicep CLI", () => {
  it(`builds and lints every file with zero diagnostics (Bicep ${BICEP_VERSION})`, { timeout: 600_000 }, async () => {
    const result = await checkInfra();
    expect(result.version).toContain(BICEP_VERSION);
    expect(result.files).toEqual(expect.arrayContaining(["main.bicep", "modules/functionapp.bicep", "modules/events.bicep"]));
    expect(result.diagnostics).toEqual([]);
  });

  it("fails on linter findings that Bicep only warns about by default", { timeout: 600_000 }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "vantage-bicep-bad-"));
    try {
      copyFileSync(join(import.meta.dirname, "../../infra/bicepconfig.json"), join(dir, "bicepconfig.json"));
      writeFileSync(
        join(dir, "bad.bicep"),
        "param location string\nparam unused string\n\nresource id 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {\n  name: 'x'\n  location: location\n}\n",
      );
      const { diagnostics } = (await checkInfra(dir, { build: false })) as { diagnostics: string[] };
      expect(diagnostics.find((d) => d.includes("no-unused-params"))).toMatch(/: Error no-unused-params/);
      expect(diagnostics.find((d) => d.includes("use-recent-api-versions"))).toMatch(/: Error use-recent-api-versions/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
