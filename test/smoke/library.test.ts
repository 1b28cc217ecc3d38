// docs/cli.md: `import { compareVersions } from "vantage"` works from the project root after a
// build (package self-reference through "exports"). `npm ci` builds via the prepare script.
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

describe("library export", () => {
  it("resolves vantage by self-reference and orders versions like the native tools", () => {
    if (!existsSync("dist/shared/index.js")) throw new Error("dist/ is missing: run `npm run build` (npm ci does it through prepare)");
    const script = `import { compareVersions } from "vantage";
console.log(JSON.stringify([
  compareVersions("deb", "1:1.0", "2.0"),
  compareVersions("rpm", "1.0~rc1", "1.0"),
  compareVersions("pep440", "1.0.post1", "1.0"),
  compareVersions("semver", "1.0.0", "1.0.0+build"),
]));`;
    const out = execFileSync(process.execPath, ["--input-type=module", "-e", script], { encoding: "utf8" });
    expect(JSON.parse(out)).toEqual([1, -1, 1, 0]);
  });
});
