// Reference tools the tests compare against. A missing tool fails the test that needs it, with the
// command that installs it — never a silent skip (`npm test`'s pretest installs them as root).
import { existsSync, readFileSync } from "node:fs";

interface Tool {
  path: string;
  package: string;
  for: string;
}

const { tools } = JSON.parse(readFileSync(new URL("../../scripts/system-deps.json", import.meta.url), "utf8")) as { tools: Record<string, Tool> };

/** The tool's path; throws when it is not installed. */
export function requireTool(name: string): string {
  const tool = tools[name];
  if (!tool) throw new Error(`unknown tool "${name}" (scripts/system-deps.json)`);
  if (!existsSync(tool.path)) {
    throw new Error(`${tool.path} is missing (${tool.for}): run \`npm test\` as root, whose pretest installs it, or apt-get install -y --no-install-recommends ${tool.package}`);
  }
  return tool.path;
}

/** Debian's python3, which `python3-packaging` installs for (a `python3` earlier on PATH may lack it). */
export const DEBIAN_PYTHON = "/usr/bin/python3";
