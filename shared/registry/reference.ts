// Image references: `[registry[:port]/]repository[:tag][@sha256:…]` following Docker's rules (the first
// component is a registry when it has a dot, a colon or is "localhost"; Docker Hub otherwise).
import { InputError } from "../errors.js";
import { isDigest } from "./digest.js";

export interface ImageReference {
  /** host[:port] as written (Docker Hub normalized to registry-1.docker.io). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?$/;

export function parseReference(input: string): ImageReference {
  const bad = (why: string) => new InputError(`invalid image reference "${input.slice(0, 200)}": ${why}`);
  if (!input || input.length > 512) throw bad("empty or longer than 512 characters");
  let rest = input;
  let digest: string | undefined;
  const at = rest.indexOf("@");
  if (at >= 0) {
    digest = rest.slice(at + 1);
    if (!isDigest(digest)) throw bad("digest must be sha256:<64 lowercase hex>");
    rest = rest.slice(0, at);
  }
  let registry = "registry-1.docker.io";
  const slash = rest.indexOf("/");
  const first = slash >= 0 ? rest.slice(0, slash) : "";
  if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost" || first.startsWith("["))) {
    if (!HOST.test(first)) throw bad(`bad registry host "${first}"`);
    registry = first === "docker.io" || first === "index.docker.io" ? "registry-1.docker.io" : first;
    rest = rest.slice(slash + 1);
  }
  let tag: string | undefined;
  const colon = rest.lastIndexOf(":");
  if (colon >= 0) {
    tag = rest.slice(colon + 1);
    if (!TAG.test(tag)) throw bad(`bad tag "${tag}"`);
    rest = rest.slice(0, colon);
  }
  const parts = rest.split("/");
  if (!parts.every((p) => COMPONENT.test(p))) throw bad("repository must be lowercase components separated by /");
  if (registry === "registry-1.docker.io" && parts.length === 1) parts.unshift("library");
  if (!tag && !digest) tag = "latest";
  return { registry, repository: parts.join("/"), tag, digest };
}

export function formatReference(ref: ImageReference): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ""}${ref.digest ? `@${ref.digest}` : ""}`;
}

/** Loopback registries speak plain HTTP by default, as Docker allows for localhost. */
export function isLoopbackHost(registry: string): boolean {
  const host = registry.startsWith("[") ? registry.slice(0, registry.indexOf("]") + 1) : registry.split(":")[0];
  return host === "localhost" || host === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(host);
}
