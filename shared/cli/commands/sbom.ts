// `vantage sbom TARGET [--format cyclonedx-json|json|table]`: catalog a target and print its SBOM.
// Registry credentials come from VANTAGE_REGISTRY_USERNAME / VANTAGE_REGISTRY_PASSWORD when set, walk
// budgets from VANTAGE_WALK_LIMITS (as for the app).
import { InputError, RequestError, requestErrorFrom } from "../../errors.js";
import type { CatalogOptions } from "../../scanner/image/index.js";
import { catalogInWorker } from "../catalog.js";
import { walkLimitsFromEnv } from "../../settings/limits.js";
import { listFlag, oneOf, parseCommandArgs, printWarnings, type CliIo } from "../io.js";

const FORMATS = ["cyclonedx-json", "json", "table"] as const;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs("sbom", args, {
    format: { type: "string" },
    platform: { type: "string" },
    "plain-http": { type: "boolean" },
    "skip-dirs": { type: "string", multiple: true },
  });
  if (positionals.length !== 1) throw new InputError("expected exactly one TARGET (dir:PATH, oci:PATH, docker-archive:FILE, registry:REF or host/repo:tag)");
  const target = positionals[0];
  const format = oneOf("--format", values.format as string | undefined, FORMATS, "cyclonedx-json");
  const limits = walkLimitsFromEnv(process.env);
  const username = process.env.VANTAGE_REGISTRY_USERNAME;
  let sbom;
  let formatting: Promise<typeof import("../../scanner/sbom/format.js")> | undefined;
  try {
    const cataloging = catalogInWorker(
      {
        target,
        cwd: io.cwd,
        platform: values.platform as string | undefined,
        plainHttp: values["plain-http"] ? true : undefined,
        skipDirs: listFlag(values["skip-dirs"]),
        limits,
        auth: username ? { username, password: process.env.VANTAGE_REGISTRY_PASSWORD ?? "" } : undefined,
      },
      process.env,
      io.isTTY ? progressPrinter(io) : undefined,
    );
    // The output formats (the CycloneDX library) load on this thread while the worker catalogs.
    formatting = import("../../scanner/sbom/format.js");
    sbom = await cataloging;
  } catch (err) {
    // Same category and status, the message names the target.
    if (err instanceof RequestError) throw requestErrorFrom({ message: `${target}: ${oneLine(err.message)}`, code: err.code, status: err.status });
    throw err;
  } finally {
    if (io.isTTY) io.stderr("\r\x1b[K");
  }
  const text = (await formatting!).formatSbom(sbom, format);
  io.stdout(text.endsWith("\n") ? text : `${text}\n`);
  printWarnings(io, "sbom", sbom.warnings);
  return 0;
}

function oneLine(s: string): string {
  return s.replace(/\s*\n\s*/g, " ");
}

function progressPrinter(io: CliIo): CatalogOptions["onProgress"] {
  return (e) => {
    if (e.phase === "resolve") io.stderr(`\r\x1b[Kresolving ${e.target}`);
    else if (e.phase === "layer") io.stderr(`\r\x1b[Klayer ${e.index + 1}/${e.total} ${e.digest.slice(0, 19)}${e.cached ? " (cached)" : ""}`);
    else if (e.phase === "assemble") io.stderr(`\r\x1b[Kassembling ${e.files} cataloged files`);
  };
}
