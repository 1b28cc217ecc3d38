// Joins scan findings to containers. Kubernetes writes image references loosely ("nginx",
// "nginx:1.25", "docker.io/library/nginx", "index.docker.io/…", "repo@sha256:…"), so both sides are
// normalized to registry/repository[:tag][@digest] before comparing; digests win over tags.
import type { Finding, Severity } from "../scanner/model.js";
import type { ImageSecret } from "../scanner/secrets/image-secrets.js";

export interface ImageRef {
  /** registry/repository:tag, or registry/repository@digest when no tag was given. */
  normalized: string;
  repository: string;
  tag?: string;
  digest?: string;
}

export function normalizeImageRef(raw: string): ImageRef {
  let ref = raw.trim().replace(/^(registry|docker|docker-image):(\/\/)?/, "");
  let digest: string | undefined;
  const at = ref.indexOf("@");
  if (at >= 0) {
    digest = ref.slice(at + 1);
    ref = ref.slice(0, at);
  }
  let tag: string | undefined;
  const lastSlash = ref.lastIndexOf("/");
  const colon = ref.lastIndexOf(":");
  if (colon > lastSlash) {
    tag = ref.slice(colon + 1);
    ref = ref.slice(0, colon);
  }
  const parts = ref.split("/");
  const first = parts[0] ?? "";
  const hasRegistry = parts.length > 1 && (first.includes(".") || first.includes(":") || first === "localhost");
  let registry = hasRegistry ? first : "docker.io";
  let path = hasRegistry ? parts.slice(1).join("/") : ref;
  if (registry === "index.docker.io" || registry === "registry-1.docker.io") registry = "docker.io";
  if (registry === "docker.io" && !path.includes("/")) path = `library/${path}`;
  const repository = `${registry}/${path}`.toLowerCase();
  if (!tag && !digest) tag = "latest";
  const normalized = tag ? `${repository}:${tag}` : `${repository}@${digest}`;
  return { normalized, repository, tag, digest };
}

export interface VulnSummary {
  id: string;
  severity: Severity;
  cvss?: number;
  knownExploited: boolean;
  epss: number | null;
  rce: boolean;
  packages: string[];
  /** "fixed" only when every affected package has a fix; otherwise the first other status. */
  fixStatus: string;
  fixedVersions: string[];
}

export interface ImageVulns {
  ref?: string;
  digest?: string;
  vulns: Map<string, VulnSummary>;
  counts: Record<Severity, number>;
  knownExploited: boolean;
  rce: boolean;
  /** Secrets baked into the image's layers. */
  secrets: ImageSecret[];
}

const SEVERITY_RANK: Record<Severity, number> = { critical: 4, high: 3, medium: 2, low: 1, unknown: 0 };

export function summarize(findings: Finding[], ref?: string, digest?: string, secrets: ImageSecret[] = []): ImageVulns {
  const vulns = new Map<string, VulnSummary>();
  for (const f of findings) {
    const prev = vulns.get(f.id);
    const pkg = f.package?.name ?? "";
    if (prev) {
      // One vulnerability can hit several packages: keep the worst facts.
      if (SEVERITY_RANK[f.severity] > SEVERITY_RANK[prev.severity]) prev.severity = f.severity;
      prev.knownExploited ||= Boolean(f.exploitability?.knownExploited);
      prev.rce ||= Boolean(f.exploitability?.remoteCodeExecution);
      if (f.cvss && (prev.cvss === undefined || f.cvss.score > prev.cvss)) prev.cvss = f.cvss.score;
      if (pkg && !prev.packages.includes(pkg)) prev.packages.push(pkg);
      if (f.fixStatus !== "fixed" && prev.fixStatus === "fixed") prev.fixStatus = f.fixStatus ?? "unknown";
      if (f.fixedVersion && !prev.fixedVersions.includes(f.fixedVersion)) prev.fixedVersions.push(f.fixedVersion);
      continue;
    }
    vulns.set(f.id, {
      id: f.id,
      severity: f.severity,
      cvss: f.cvss?.score,
      knownExploited: Boolean(f.exploitability?.knownExploited),
      epss: f.exploitability?.epss ?? null,
      rce: Boolean(f.exploitability?.remoteCodeExecution),
      packages: pkg ? [pkg] : [],
      fixStatus: f.fixStatus ?? "unknown",
      fixedVersions: f.fixedVersion ? [f.fixedVersion] : [],
    });
  }
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0 };
  let knownExploited = false;
  let rce = false;
  for (const v of vulns.values()) {
    counts[v.severity]++;
    knownExploited ||= v.knownExploited;
    rce ||= v.rce;
  }
  return { ref, digest, vulns, counts, knownExploited, rce, secrets };
}

/** Index of findings by normalized reference and by digest. */
export class FindingsIndex {
  private byRef = new Map<string, ImageVulns>();
  private byDigest = new Map<string, ImageVulns>();

  constructor(images: { ref?: string; digest?: string; findings: Finding[]; secrets?: ImageSecret[] }[]) {
    for (const img of images) {
      const norm = img.ref ? normalizeImageRef(img.ref) : undefined;
      const digest = img.digest ?? norm?.digest;
      const summary = summarize(img.findings ?? [], norm?.normalized, digest, img.secrets);
      if (norm?.tag) this.merge(this.byRef, norm.normalized, summary);
      if (digest) this.merge(this.byDigest, digest, summary);
    }
  }

  private merge(map: Map<string, ImageVulns>, key: string, s: ImageVulns): void {
    const prev = map.get(key);
    if (!prev) {
      map.set(key, s);
      return;
    }
    if (!prev.secrets.length) prev.secrets = s.secrets;
    for (const v of s.vulns.values()) if (!prev.vulns.has(v.id)) {
      prev.vulns.set(v.id, v);
      prev.counts[v.severity]++;
      prev.knownExploited ||= v.knownExploited;
      prev.rce ||= v.rce;
    }
  }

  /** Findings for a container's image: by digest first (exact), then by normalized tag. */
  lookup(image: string, imageDigest?: string): ImageVulns | undefined {
    const norm = normalizeImageRef(image);
    const digest = imageDigest ?? norm.digest;
    if (digest) {
      const hit = this.byDigest.get(digest.replace(/^.*@/, ""));
      if (hit) return hit;
    }
    return norm.tag ? this.byRef.get(norm.normalized) : undefined;
  }
}
