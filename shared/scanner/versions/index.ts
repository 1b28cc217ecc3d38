// Version ordering per scheme (docs/cli.md): one module per native tool's rules.
import { InputError } from "../../errors.js";
import type { VersionScheme } from "../model.js";
import * as apk from "./apk.js";
import * as deb from "./deb.js";
import * as gem from "./gem.js";
import * as go from "./go.js";
import * as maven from "./maven.js";
import * as npm from "./npm.js";
import * as nuget from "./nuget.js";
import type { Ordering } from "./order.js";
import * as pep440 from "./pep440.js";
import * as rpm from "./rpm.js";

export { parseSchemeForEcosystem } from "./ecosystems.js";
export type { Ordering } from "./order.js";

const COMPARATORS: Record<VersionScheme, (a: string, b: string) => Ordering> = {
  deb: deb.compare,
  apk: apk.compare,
  rpm: rpm.compare,
  semver: npm.compare,
  pep440: pep440.compare,
  maven: maven.compare,
  go: go.compare,
  nuget: nuget.compare,
  gem: gem.compare,
};

export const VERSION_SCHEMES: readonly VersionScheme[] = Object.freeze(Object.keys(COMPARATORS) as VersionScheme[]);

export function isVersionScheme(value: string): value is VersionScheme {
  return Object.hasOwn(COMPARATORS, value);
}

/**
 * Orders two versions exactly as the scheme's native tool does: -1 if a < b, 0 if equal, 1 if a > b.
 * Never throws for a known scheme; strings the tool would reject still get a consistent place
 * (documented per scheme module). An unknown scheme is an InputError.
 */
export function compareVersions(scheme: VersionScheme, a: string, b: string): Ordering {
  if (typeof scheme !== "string" || !isVersionScheme(scheme)) {
    throw new InputError(`unknown version scheme ${JSON.stringify(scheme)} (expected one of: ${VERSION_SCHEMES.join(", ")})`);
  }
  return COMPARATORS[scheme](String(a), String(b));
}
