// `vantage scan TARGET [--feed DIR] [--format table|json|sarif|cyclonedx-json] [--fail-on SEVERITY]`
// = catalog the target + match against the advisory feed + report. Exit 1 only with --fail-on and a
// finding at or above that severity. Walk budgets come from VANTAGE_WALK_LIMITS (as for the app).
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { loadFeedDir } from "../../scanner/feed/load-dir.js";
import type { FeedIndex } from "../../scanner/feed/model.js";
import { parseFeedIndex } from "../../scanner/feed/serialize.js";
import { scanSbom } from "../../scanner/match/match.js";
import { SEVERITIES, type Finding, type Severity } from "../../scanner/model.js";
import { formatScanReport, SCAN_FORMATS } from "../../scanner/report/index.js";
import { packageRoot } from "../../package-root.js";
import { walkLimitsFromEnv } from "../../settings/limits.js";
import { catalogInWorker } from "../catalog.js";
import { listFlag, oneOf, parseCommandArgs, printWarnings, type CliIo } from "../io.js";


export function defaultFeedDir(): string {
  return join(packageRoot(), "demo", "feed");
}

/** A feed directory: OSV records, or a built index (`index.json`, as `vantage feed update` writes). */
export async function loadFeed(dir: string): Promise<FeedIndex> {
  const indexFile = join(dir, "index.json");
  if (existsSync(indexFile)) {
    const text = await readFile(indexFile, "utf8");
    if (text.includes('"schema"') && text.includes('"packages"')) {
      try {
        return parseFeedIndex(text, indexFile);
      } catch {
        /* not an index after all: treat the directory as OSV records */
      }
    }
  }
  return loadFeedDir(dir);
}

export function parseSeverity(flag: string, value: string): Severity {
  const s = value.toLowerCase();
  if (!(SEVERITIES as readonly string[]).includes(s)) throw new InputError(`${flag} must be one of ${SEVERITIES.join(", ")} (got "${value}")`);
  return s as Severity;
}

/** True when a finding is at or above the threshold ("unknown" is the lowest level). */
export function breaches(findings: Finding[], threshold: Severity): boolean {
  const limit = SEVERITIES.indexOf(threshold);
  return findings.some((f) => SEVERITIES.indexOf(f.severity) <= limit);
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("scan", args, {
    feed: { type: "string" },
    format: { type: "string" },
    "fail-on": { type: "string" },
    "skip-dirs": { type: "string", multiple: true },
  });
  if (positionals.length !== 1) throw new InputError("expected exactly one TARGET (dir:PATH, oci:PATH, docker-archive:FILE, registry:REF or a reference)");
  const target = positionals[0]!;
  const format = oneOf("--format", values.format as string | undefined, SCAN_FORMATS, "table");
  const failOn = values["fail-on"] === undefined ? undefined : parseSeverity("--fail-on", values["fail-on"] as string);
  const limits = walkLimitsFromEnv(process.env);
  const feedDir = values.feed === undefined ? defaultFeedDir() : resolve(io.cwd, values.feed as string);
  const progress = (t: string) => io.isTTY && io.stderr(`${t}\n`);

  progress(`loading advisory feed from ${feedDir}…`);
  const index = await loadFeed(feedDir);
  progress(`cataloging ${target}…`);
  const sbom = await catalogInWorker({ target, cwd: io.cwd, skipDirs: listFlag(values["skip-dirs"]), limits }, process.env);
  const warnings: string[] = [];
  const report = scanSbom(sbom, index, { warnings });
  progress(`${sbom.packages.length} packages, ${report.findings.length} findings`);
  io.stdout(formatScanReport(report, format, sbom));
  // What the SBOM could not read, then what matching could not decide: each once, whatever the format.
  // The matcher reports per comparison, so two copies of one package give the same line: kept once.
  printWarnings(io, "scan", [...sbom.warnings, ...new Set(warnings)]);
  return failOn && breaches(report.findings, failOn) ? 1 : 0;
}
