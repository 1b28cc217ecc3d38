// .NET: *.deps.json written next to every published app; `libraries` entries of type "package"
// are NuGet packages ("Name/Version" keys). "project" entries are the app's own assemblies.
import { formatPurl } from "../purl.js";
import type { Package } from "../model.js";
import type { Cataloger, FileFacts } from "./types.js";
import { MAX_PACKAGES_PER_FILE, guardedSync, plausible, toText, warnOnly } from "./util.js";

const MAX = 32 * 1024 * 1024;

export function parseDotnet(path: string, content: Buffer): FileFacts {
  if (content.length > MAX) return warnOnly(path, "deps.json too large; skipped");
  let j: unknown;
  try {
    j = JSON.parse(toText(content));
  } catch {
    return warnOnly(path, "deps.json is not valid JSON");
  }
  const libs = j && typeof j === "object" ? (j as { libraries?: unknown }).libraries : undefined;
  if (!libs || typeof libs !== "object") return warnOnly(path, "deps.json has no libraries");
  const packages: Package[] = [];
  for (const [key, v] of Object.entries(libs as Record<string, unknown>)) {
    if (!v || typeof v !== "object" || (v as { type?: unknown }).type !== "package") continue;
    const slash = key.indexOf("/");
    const name = key.slice(0, slash);
    const version = key.slice(slash + 1);
    if (slash <= 0 || !plausible(name) || !plausible(version)) continue;
    packages.push({
      name,
      version,
      type: "nuget",
      purl: formatPurl({ type: "nuget", name, version }),
      locations: [path],
      cataloger: "dotnet",
    });
    if (packages.length >= MAX_PACKAGES_PER_FILE) break;
  }
  return { packages };
}

export const dotnetCataloger: Cataloger = {
  name: "dotnet",
  matches: (path, size) => size <= MAX && path.endsWith(".deps.json"),
  parse: (path, content) => guardedSync(path, "dotnet", () => parseDotnet(path, content)),
};
