// docs/cli.md targets → what to open. Pure.
import { isAbsolute, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { parseReference, type ImageReference } from "../../registry/reference.js";

export type Target =
  | { kind: "dir"; path: string }
  | { kind: "oci"; path: string }
  | { kind: "docker-archive"; path: string }
  | { kind: "registry"; reference: ImageReference };

const SCHEMES = ["dir", "oci", "docker-archive", "registry"] as const;

export function parseTarget(target: string, cwd = process.cwd()): Target {
  const colon = target.indexOf(":");
  const scheme = colon > 0 ? target.slice(0, colon) : "";
  const rest = target.slice(colon + 1);
  const local = (kind: "dir" | "oci" | "docker-archive"): Target => {
    if (!rest) throw new InputError(`target "${target}": ${kind}: needs a path`);
    return { kind, path: isAbsolute(rest) ? rest : resolve(cwd, rest) };
  };
  if (scheme === "dir" || scheme === "oci" || scheme === "docker-archive") return local(scheme);
  if (scheme === "registry") return { kind: "registry", reference: parseReference(rest) };
  // A bare reference must name its registry so it is never mistaken for a path or a typo.
  const first = target.split("/")[0];
  if (target.includes("/") && (first.includes(".") || first.includes(":") || first === "localhost")) {
    return { kind: "registry", reference: parseReference(target) };
  }
  throw new InputError(`unrecognized target "${target.slice(0, 200)}" (expected ${SCHEMES.map((s) => `${s}:…`).join(", ")} or host[:port]/repo[:tag|@sha256:…])`);
}
