// Small catalogers and a minimal assembly of our own, so these tests do not depend on the real
// catalogers module.
import { Readable } from "node:stream";
import type { Cataloger, LocatedFacts } from "../../../shared/scanner/catalogers/types.js";
import type { Sbom } from "../../../shared/scanner/model.js";
import { resolveLimits, type WalkLimits } from "../../../shared/scanner/image/limits.js";

export const osReleaseCataloger: Cataloger = {
  name: "os-release",
  matches: (path) => path === "etc/os-release" || path === "usr/lib/os-release",
  parse(_path, content) {
    const kv = Object.fromEntries(
      content
        .toString("utf8")
        .split("\n")
        .map((l) => l.split("="))
        .filter((p) => p.length === 2)
        .map(([k, v]) => [k, v.replace(/^"|"$/g, "")]),
    );
    return { packages: [], os: { family: kv.ID ?? "unknown", version: kv.VERSION_ID ?? "" } };
  },
};

/** Reports one package per dpkg status stanza (name and version only). */
export const dpkgCataloger: Cataloger = {
  name: "dpkg",
  matches: (path) => path === "var/lib/dpkg/status",
  parse(path, content) {
    const stanzas = content.toString("utf8").split(/\n\s*\n/).filter((s) => s.trim());
    return {
      packages: stanzas.map((s) => {
        const name = /^Package: (.+)$/m.exec(s)?.[1] ?? "?";
        const version = /^Version: (.+)$/m.exec(s)?.[1] ?? "?";
        return { name, version, type: "deb" as const, purl: `pkg:deb/${name}@${version}`, locations: [path], cataloger: "dpkg" };
      }),
    };
  },
};

export const TEST_CATALOGERS = [osReleaseCataloger, dpkgCataloger];

export function dpkgStatus(pkgs: [string, string][]): string {
  return pkgs.map(([n, v]) => `Package: ${n}\nStatus: install ok installed\nVersion: ${v}\n`).join("\n");
}

export function testAssemble(input: { target: string; artifact: Sbom["artifact"]; files: LocatedFacts[]; warnings?: string[] }): Sbom {
  const os = input.files.find((f) => f.facts.os)?.facts.os;
  return {
    schemaVersion: 1,
    target: input.target,
    artifact: { ...input.artifact, ...(os ? { os } : {}) },
    packages: input.files.flatMap((f) => f.facts.packages.map((p) => ({ ...p, layerDigest: f.layerDigest }))),
    warnings: input.warnings ?? [],
  };
}

export function limits(partial: Partial<WalkLimits> = {}) {
  return resolveLimits(partial);
}

export function streamOf(buf: Buffer, chunk = 64 * 1024): Readable {
  const parts: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunk) parts.push(buf.subarray(i, i + chunk));
  return Readable.from(parts);
}
