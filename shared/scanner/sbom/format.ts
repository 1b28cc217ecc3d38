// SBOM output formats: CycloneDX JSON (built with the CycloneDX library so the document follows
// the spec's schema), the plain Sbom model as JSON, and an aligned text table.
import { createHash } from "node:crypto";
import * as CDX from "@cyclonedx/cyclonedx-library";
import { InputError } from "../../errors.js";
import type { Package, Sbom } from "../model.js";

export type SbomFormat = "cyclonedx-json" | "json" | "table";
export const SBOM_FORMATS: readonly SbomFormat[] = ["cyclonedx-json", "json", "table"];

/** CycloneDX spec version we emit (docs/cli.md: 1.5 or later). */
export const CYCLONEDX_SPEC: typeof CDX.Spec.Spec1dot6 = CDX.Spec.Spec1dot6;

const { ComponentType } = CDX.Enums;

/** Property names (CycloneDX "properties" taxonomy, namespaced by tool). */
export const PROP = {
  sourceName: "vantage:package:sourceName",
  sourceVersion: "vantage:package:sourceVersion",
  location: "vantage:location",
  layer: "vantage:layerDigest",
  cataloger: "vantage:package:foundBy",
  type: "vantage:package:type",
  arch: "vantage:package:arch",
  managedBy: "vantage:package:managedBy",
  metadata: "vantage:metadata:",
} as const;

/** Deterministic urn:uuid from the artifact identity, so re-runs produce comparable documents. */
function serialNumber(sbom: Sbom): string {
  const h = createHash("sha256")
    .update(`${sbom.target}\n${sbom.artifact.digest ?? ""}\n${sbom.packages.length}`)
    .digest("hex");
  const v = `${h.slice(0, 8)}-${h.slice(8, 12)}-5${h.slice(13, 16)}-${((parseInt(h[16]!, 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
  return `urn:uuid:${v}`;
}

function licenses(repo: CDX.Models.LicenseRepository, ids: string[] | undefined): void {
  for (const id of ids ?? []) {
    if (CDX.SPDX.isSupportedSpdxId(id)) repo.add(new CDX.Models.SpdxLicense(id));
    else repo.add(new CDX.Models.NamedLicense(id));
  }
}

function componentFor(p: Package, bomRef: string): CDX.Models.Component {
  let name = p.name;
  let group: string | undefined;
  if (p.type === "maven" && p.name.includes(":")) [group, name] = p.name.split(":", 2) as [string, string];
  const c = new CDX.Models.Component(ComponentType.Library, name, { bomRef, version: p.version, purl: p.purl });
  if (group) c.group = group;
  licenses(c.licenses, p.licenses);
  const props: [string, string | undefined][] = [
    [PROP.cataloger, p.cataloger],
    [PROP.type, p.type],
    [PROP.arch, p.arch],
    [PROP.sourceName, p.sourceName],
    [PROP.sourceVersion, p.sourceVersion],
    [PROP.layer, p.layerDigest],
    [PROP.managedBy, p.managedBy],
    ...p.locations.map((l): [string, string] => [PROP.location, l]),
    ...Object.entries(p.metadata ?? {}).map(([k, v]): [string, string] => [PROP.metadata + k, v]),
  ];
  for (const [k, v] of props) if (v !== undefined && v !== "") c.properties.add(new CDX.Models.Property(k, v));
  return c;
}

/** The CycloneDX model, for callers that add vulnerabilities (the VEX writer) before serializing. */
export function cycloneDxModel(sbom: Sbom, opts: { timestamp?: Date } = {}): CDX.Models.Bom {
  const bom = new CDX.Models.Bom();
  bom.serialNumber = serialNumber(sbom);
  bom.metadata.timestamp = opts.timestamp ?? new Date();
  bom.metadata.tools.components.add(new CDX.Models.Component(ComponentType.Application, "vantage", { group: "vantage" }));
  const a = sbom.artifact;
  const isImage = Boolean(a.digest);
  const subject = new CDX.Models.Component(isImage ? ComponentType.Container : ComponentType.File, a.repository ?? sbom.target, {
    bomRef: "subject",
    ...(a.tag || a.digest ? { version: a.tag ?? a.digest } : {}),
  });
  if (a.digest) subject.properties.add(new CDX.Models.Property("vantage:image:digest", a.digest));
  if (a.architecture) subject.properties.add(new CDX.Models.Property("vantage:image:architecture", a.architecture));
  for (const l of a.layers ?? []) subject.properties.add(new CDX.Models.Property("vantage:image:layer", l));
  subject.properties.add(new CDX.Models.Property("vantage:target", sbom.target));
  bom.metadata.component = subject;
  if (a.os) {
    const os = new CDX.Models.Component(ComponentType.OperatingSystem, a.os.family, {
      bomRef: `os:${a.os.family}`,
      ...(a.os.version ? { version: a.os.version } : {}),
      ...(a.os.prettyName ? { description: a.os.prettyName } : {}),
    });
    if (a.os.codename) os.properties.add(new CDX.Models.Property("vantage:os:codename", a.os.codename));
    bom.components.add(os);
  }
  const refs = new Map<string, number>();
  for (const p of sbom.packages) {
    const n = refs.get(p.purl) ?? 0;
    refs.set(p.purl, n + 1);
    const c = componentFor(p, n === 0 ? p.purl : `${p.purl}#${n}`);
    bom.components.add(c);
    subject.dependencies.add(c.bomRef);
  }
  // Unidentified software: a file component with its hash, no purl (none can be stated exactly).
  for (const u of sbom.unidentified ?? []) {
    const name = u.path.split(/!?\//).pop() ?? u.path;
    const c = new CDX.Models.Component(ComponentType.File, name, { bomRef: `file:${u.path}` });
    c.hashes.set(CDX.Enums.HashAlgorithm["SHA-1"], u.sha1);
    c.properties.add(new CDX.Models.Property(PROP.location, u.path));
    c.properties.add(new CDX.Models.Property("vantage:unidentified", u.kind));
    if (u.layerDigest) c.properties.add(new CDX.Models.Property(PROP.layer, u.layerDigest));
    bom.components.add(c);
    subject.dependencies.add(c.bomRef);
  }
  return bom;
}

function normalizer(): CDX.Serialize.JSON.Normalize.Factory {
  return new CDX.Serialize.JSON.Normalize.Factory(CYCLONEDX_SPEC);
}

/** The CycloneDX document as a plain JSON object (bomFormat, specVersion, components, …). */
export function cycloneDxBom(sbom: Sbom, opts: { timestamp?: Date } = {}): Record<string, unknown> {
  const normalized = normalizer().makeForBom().normalize(cycloneDxModel(sbom, opts), { sortLists: true });
  return normalized as unknown as Record<string, unknown>;
}

function pad(s: string, n: number): string {
  return s + " ".repeat(Math.max(0, n - s.length));
}

export function formatTable(rows: string[][]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  return rows.map((r) => r.map((c, i) => (i === r.length - 1 ? c : pad(c, widths[i]!))).join("  ").trimEnd()).join("\n") + "\n";
}

export function formatSbom(sbom: Sbom, format: SbomFormat): string {
  switch (format) {
    case "cyclonedx-json":
      return JSON.stringify(cycloneDxBom(sbom), null, 2) + "\n";
    case "json":
      return JSON.stringify(sbom, null, 2) + "\n";
    case "table": {
      const rows = [["NAME", "VERSION", "TYPE", "SOURCE"]];
      for (const p of sbom.packages) {
        const src = p.sourceName && (p.sourceName !== p.name || (p.sourceVersion && p.sourceVersion !== p.version))
          ? `${p.sourceName}${p.sourceVersion && p.sourceVersion !== p.version ? ` ${p.sourceVersion}` : ""}`
          : "";
        rows.push([p.name, p.version, p.type, src]);
      }
      for (const u of sbom.unidentified ?? []) rows.push([u.path, "(unidentified)", u.kind, `sha1:${u.sha1}`]);
      return formatTable(rows);
    }
    default: {
      const never: never = format;
      throw new InputError(`unknown SBOM format "${String(never)}" (expected ${SBOM_FORMATS.join(", ")})`);
    }
  }
}
