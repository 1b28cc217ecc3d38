// Vantage's version, read once from its package.json (the only place it is written): the health
// endpoint, report tool metadata and the layer cache's key all use this one value.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { packageRoot } from "./package-root.js";

export const VERSION: string = (JSON.parse(readFileSync(join(packageRoot(), "package.json"), "utf8")) as { version: string }).version;
