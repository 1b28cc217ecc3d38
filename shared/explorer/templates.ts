// Ready-made explorer queries (Defender's two plus the questions AKS operators ask most).
//
// Graph vocabulary the templates rely on — kept deliberately small so a graph change breaks few:
// - node ids and kinds of docs/graph.md; a cluster-wide permission set's id has no "/".
// - structural hops between kinds are matched *undirected and untyped* (`(p:Pod)--(c:Container)`,
//   `(c)--(i:Image)`, `(i)--(v:Vulnerability)`, `(p)--(n:Node)`, `(c)--(v:Volume)`), so they hold
//   whatever the structural edges are called and whichever way they point;
// - identity → permission set: any edge out of an Identity into a PermissionSet (PERMISSION_DISCOVER);
//   container → identity and identity → cloud identity likewise (IDENTITY_ASSUME, CLOUD_IDENTITY_ASSUME);
// - attack edges by their KubeHound names (POD_CREATE, POD_EXEC, TOKEN_STEAL, CE_*, EXPLOIT_*…);
// - properties: container `privileged`; pod `hostNetwork`; vulnerability `severity`,
//   `knownExploited`, `rce`, and `fixStatus`/`fixedVersion` on the IMAGE_VULNERABLE edge (fixes depend
//   on the image's packages); permission set `clusterAdmin` (wildcard verbs on wildcard resources), or
//   the built-in cluster-admin role by id;
// - EXPLOIT_CONTAINERD_SOCK joins the socket-mounting container to every container it can control;
// - insight kind "exposed-to-internet" on exposed pods, nodes and the cluster (INSIGHT_EXPOSED);
// - posture: `failingControls` / `failingControlSeverity` on nodes (shared/posture/graph-join.ts), `hasControl`.
import { InputError } from "../errors.js";
import { evaluate } from "./evaluator.js";
import type { GraphView } from "./graph-view.js";
import { queryLexer, Param } from "./lexer.js";
import type { QueryLimits, QueryResult } from "./model.js";
import { parseQuery } from "./parser.js";
import { printExpression } from "./print.js";

export type TemplateValue = string | number | boolean | string[];

export interface TemplateParameter {
  name: string;
  description: string;
  default: TemplateValue;
}

export interface QueryTemplate {
  id: string;
  title: string;
  description: string;
  query: string;
  parameters?: TemplateParameter[];
}

export const INSIGHT_EXPOSED = "exposed-to-internet";

/** Techniques that take a container (or its volumes) onto its node. */
const ESCAPE_EDGES = [
  "CE_MODULE_LOAD", "CE_PRIV_MOUNT", "CE_NSENTER", "CE_SYS_PTRACE", "CE_UMH_CORE_PATTERN", "CE_VAR_LOG_SYMLINK",
  "EXPLOIT_HOST_READ", "EXPLOIT_HOST_WRITE", "EXPLOIT_HOST_TRAVERSE", "EXPLOIT_CONTAINERD_SOCK",
  "VOLUME_DISCOVER", "SHARE_PS_NAMESPACE",
].join("|");

const SEVERITIES: TemplateParameter = { name: "severities", description: "vulnerability severities that count", default: ["critical", "high"] };

export const TEMPLATES: readonly QueryTemplate[] = [
  {
    id: "pods-high-severity-vulnerabilities",
    title: "Pods running images with high severity vulnerabilities",
    description: "Every pod with a container whose image has a vulnerability of the given severities, with the count of such vulnerabilities.",
    query: `MATCH (p:Pod)--(:Container)--(i:Image)--(v:Vulnerability)
WHERE v.severity IN $severities
RETURN p.id AS pod, p.namespace AS namespace, i.name AS image, count(DISTINCT v) AS vulnerabilities
ORDER BY vulnerabilities DESC, pod, image`,
    parameters: [SEVERITIES],
  },
  {
    id: "namespaces-vulnerable-pods",
    title: "Namespaces containing vulnerable pods",
    description: "Namespaces ranked by how many of their pods run images with vulnerabilities of the given severities.",
    query: `MATCH (p:Pod)--(:Container)--(:Image)--(v:Vulnerability)
WHERE v.severity IN $severities
RETURN p.namespace AS namespace, count(DISTINCT p) AS vulnerablePods, count(DISTINCT v) AS vulnerabilities
ORDER BY vulnerablePods DESC, namespace`,
    parameters: [SEVERITIES],
  },
  {
    id: "exposed-pods-known-exploited",
    title: "Internet-exposed pods running images with known-exploited vulnerabilities",
    description: "Pods with the internet-exposed insight whose images carry a vulnerability in CISA's KEV catalog.",
    query: `MATCH (p:Pod)--(:Container)--(i:Image)--(v:Vulnerability)
WHERE hasInsight(p, "${INSIGHT_EXPOSED}") AND v.knownExploited = true
RETURN p.id AS pod, i.name AS image, collect(DISTINCT v.name) AS vulnerabilities
ORDER BY pod, image`,
  },
  {
    id: "exposed-pods-rce",
    title: "Internet-exposed pods with remote code execution vulnerabilities",
    description: "Pods with the internet-exposed insight whose images carry a vulnerability that allows remote code execution.",
    query: `MATCH (p:Pod)--(:Container)--(i:Image)--(v:Vulnerability)
WHERE hasInsight(p, "${INSIGHT_EXPOSED}") AND v.rce = true
RETURN p.id AS pod, i.name AS image, collect(DISTINCT v.name) AS vulnerabilities
ORDER BY pod, image`,
  },
  {
    id: "privileged-containers",
    title: "Privileged containers",
    description: "Containers running with securityContext.privileged: full access to the node's devices and kernel.",
    query: `MATCH (p:Pod)--(c:Container)
WHERE c.privileged = true
RETURN DISTINCT c.id AS container, p.namespace AS namespace, p.name AS pod
ORDER BY container`,
  },
  {
    id: "host-network-pods-on-exposed-nodes",
    title: "Host-network pods on internet-exposed nodes",
    description: "Pods sharing the node's network namespace on a node with the internet-exposed insight.",
    query: `MATCH (p:Pod)--(n:Node)
WHERE p.hostNetwork = true AND hasInsight(n, "${INSIGHT_EXPOSED}")
RETURN DISTINCT p.id AS pod, n.name AS node
ORDER BY pod`,
  },
  {
    id: "container-runtime-socket-mounts",
    title: "Containers mounting the container runtime socket",
    description: "Containers that can drive containerd (or Docker/CRI-O) on their node through a mounted socket.",
    query: `MATCH (c:Container)-[:EXPLOIT_CONTAINERD_SOCK]->(t:Container)
RETURN c.id AS container, count(DISTINCT t) AS controllableContainers
ORDER BY container`,
  },
  {
    id: "sensitive-host-path-mounts",
    title: "Sensitive hostPath mounts",
    description: "Containers mounting host paths that let them read or write the node (volumes with an EXPLOIT_HOST_* edge).",
    query: `MATCH (c:Container)--(v:Volume)-[r:EXPLOIT_HOST_READ|EXPLOIT_HOST_WRITE]->(n:Node)
RETURN c.id AS container, v.id AS volume, n.name AS node, collect(DISTINCT type(r)) AS access
ORDER BY container, volume`,
  },
  {
    id: "service-accounts-create-or-exec-pods",
    title: "Service accounts that can create pods or exec into pods cluster-wide",
    description: "Service accounts whose cluster-wide permission sets grant pod creation, patching or exec.",
    query: `MATCH (sa:Identity)-->(ps:PermissionSet)-[r:POD_CREATE|POD_PATCH|POD_EXEC]->()
WHERE sa.id STARTS WITH "identity:serviceaccount:" AND NOT ps.id CONTAINS "/"
RETURN sa.id AS serviceAccount, collect(DISTINCT type(r)) AS abilities, collect(DISTINCT ps.id) AS permissionSets
ORDER BY serviceAccount`,
  },
  {
    id: "cluster-admin-identities",
    title: "Identities bound to cluster-admin-equivalent permissions",
    description: "Users, groups and service accounts bound, cluster-wide, to cluster-admin or a role with wildcard verbs on wildcard resources.",
    query: `MATCH (i:Identity)-->(ps:PermissionSet)
WHERE NOT ps.id CONTAINS "/" AND (ps.clusterAdmin = true OR ps.id STARTS WITH "permissionset:cluster-admin::")
RETURN i.id AS identity, collect(DISTINCT ps.id) AS permissionSets
ORDER BY identity`,
  },
  {
    id: "workload-identities-reaching-azure",
    title: "Workload identities reaching Azure",
    description: "Kubernetes identities that can assume an Azure (Entra ID) identity, and the pods whose containers can assume them.",
    query: `MATCH (sa:Identity)-[:CLOUD_IDENTITY_ASSUME]->(ci:CloudIdentity)
OPTIONAL MATCH (p:Pod)--(:Container)-->(sa)
RETURN sa.id AS identity, ci.id AS cloudIdentity, collect(DISTINCT p.id) AS pods
ORDER BY identity, cloudIdentity`,
  },
  {
    id: "token-theft-paths",
    title: "Token theft paths",
    description: "Where a service-account token can be stolen (mounted token volumes) or listed/brute-forced (secrets access).",
    query: `MATCH (src)-[r:TOKEN_STEAL|TOKEN_LIST|TOKEN_BRUTEFORCE]->(i:Identity)
RETURN src.id AS source, type(r) AS technique, i.id AS identity
ORDER BY identity, source, technique`,
  },
  {
    id: "container-escapes-to-node",
    title: "Container escapes to the node",
    description: "Containers that reach a node through container-escape and host-mount techniques within the given number of hops.",
    query: `MATCH path = (c:Container)-[:${ESCAPE_EDGES}*1..$maxHops]->(n:Node)
RETURN c.id AS container, n.name AS node, min(length(path)) AS hops
ORDER BY hops, container`,
    parameters: [{ name: "maxHops", description: "longest escape chain considered", default: 3 }],
  },
  {
    id: "top-choke-points",
    title: "Top choke points",
    description: "Nodes whose removal cuts the most attack paths.",
    query: `MATCH (n:ChokePoint)
RETURN n.id AS node, n.kind AS kind, pathsCut(n) AS pathsCut
ORDER BY pathsCut DESC, node
LIMIT $top`,
    parameters: [{ name: "top", description: "how many choke points", default: 10 }],
  },
  {
    id: "images-critical-vulnerabilities-fixable",
    title: "Images with critical vulnerabilities that have a fix",
    description: "Critical vulnerabilities by image whose fix status matches (default: a fixed version exists but the image does not have it).",
    query: `MATCH (i:Image)-[r:IMAGE_VULNERABLE]->(v:Vulnerability)
WHERE v.severity = "critical" AND r.fixStatus = $fixStatus
RETURN DISTINCT i.name AS image, v.name AS vulnerability, r.fixedVersion AS fixedVersion
ORDER BY image, vulnerability`,
    parameters: [{ name: "fixStatus", description: "fixed | not-fixed | wont-fix | unknown", default: "fixed" }],
  },
  {
    id: "running-images-with-secrets",
    title: "Running images with embedded secrets",
    description: "Credentials baked into the layers of images that containers run — including files a later layer deleted, which anyone who can pull the image still reads — with how many containers run each and whether any is internet-exposed.",
    query: `MATCH (c:Container)--(i:Image)-[:IMAGE_CONTAINS_SECRET]->(s:SecretFinding)
WHERE s.severity IN $severities
RETURN i.name AS image, s.rule AS rule, s.severity AS severity, s.path AS path, s.deleted AS deletedInLaterLayer, s.fingerprint AS fingerprint, count(DISTINCT c) AS containers, max(c.exposed) AS exposed
ORDER BY image, path, rule`,
    parameters: [{ name: "severities", description: "secret severities to list", default: ["critical", "high", "medium"] }],
  },
  {
    id: "exposed-workloads-failing-controls",
    title: "Internet-exposed workloads failing critical or high posture controls",
    description: "Containers of internet-exposed pods that fail a posture control of the given severities (their own, or their pod's: privileged, runtime socket, host namespaces, …), with every control they fail.",
    query: `MATCH (p:Pod)--(c:Container)
WHERE hasInsight(p, "${INSIGHT_EXPOSED}") AND c.failingControlSeverity IN $severities
RETURN DISTINCT p.id AS pod, c.name AS container, c.failingControlSeverity AS worstSeverity, c.failingControls AS failingControls
ORDER BY pod, container`,
    parameters: [{ name: "severities", description: "worst failing-control severities to list", default: ["critical", "high"] }],
  },
  {
    id: "privileged-containers-known-exploited",
    title: "Privileged or root containers running images with known-exploited vulnerabilities",
    description: "Containers failing one of the given posture controls (ids or globs; default: privileged, SYS_ADMIN or dangerous capabilities, running as root, host namespaces, runtime socket, sensitive host paths) whose image carries a vulnerability in CISA's KEV catalog: an exploit lands with the misconfiguration's reach.",
    query: `MATCH (p:Pod)--(c:Container)--(i:Image)--(v:Vulnerability)
WHERE hasControl(c, $controls) AND v.knownExploited = true
RETURN c.id AS container, i.name AS image, c.failingControls AS failingControls, collect(DISTINCT v.name) AS knownExploited
ORDER BY container`,
    parameters: [{
      name: "controls",
      description: "posture control ids or globs the container fails (any)",
      default: ["VANTAGE-K8S-PRIVILEGED", "VANTAGE-K8S-CAP-SYS-ADMIN", "VANTAGE-K8S-DANGEROUS-CAPABILITIES", "VANTAGE-K8S-RUN-AS-ROOT", "VANTAGE-K8S-HOST-PID", "VANTAGE-K8S-HOST-NETWORK", "VANTAGE-K8S-RUNTIME-SOCKET", "VANTAGE-K8S-SENSITIVE-HOST-PATH"],
    }],
  },
];

export function getTemplate(id: string): QueryTemplate {
  const t = TEMPLATES.find((x) => x.id === id);
  if (!t) throw new InputError(`unknown template "${id}" (available: ${TEMPLATES.map((x) => x.id).join(", ")})`);
  return t;
}

/** Template defaults overlaid with the caller's values; CLI strings are coerced to the default's type. */
export function templateParams(template: QueryTemplate, params: Record<string, unknown> = {}): Record<string, TemplateValue> {
  const out: Record<string, TemplateValue> = {};
  const declared = template.parameters ?? [];
  for (const name of Object.keys(params)) {
    if (!declared.some((p) => p.name === name)) {
      throw new InputError(`template "${template.id}" has no parameter "${name}"${declared.length ? ` (parameters: ${declared.map((p) => p.name).join(", ")})` : ""}`);
    }
  }
  for (const p of declared) out[p.name] = coerce(p, params[p.name]);
  return out;
}

function coerce(p: TemplateParameter, value: unknown): TemplateValue {
  if (value === undefined) return p.default;
  const fail = () => new InputError(`parameter ${p.name}: expected ${Array.isArray(p.default) ? "a comma-separated list" : typeof p.default} (got ${JSON.stringify(value)})`);
  if (Array.isArray(p.default)) {
    if (Array.isArray(value)) return value.map(String);
    if (typeof value === "string") return value.split(",").map((s) => s.trim()).filter(Boolean);
    throw fail();
  }
  if (typeof p.default === "number") {
    const n = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
    if (!Number.isFinite(n)) throw fail();
    return n;
  }
  if (typeof p.default === "boolean") {
    if (typeof value === "boolean") return value;
    if (value === "true" || value === "false") return value === "true";
    throw fail();
  }
  if (typeof value !== "string") throw fail();
  return value;
}

function literal(v: TemplateValue): string {
  if (Array.isArray(v)) return `[${v.map((x) => literal(x)).join(", ")}]`;
  if (typeof v === "string") return printExpression({ type: "literal", value: v });
  return String(v);
}

/** The template's query text with each `$param` replaced by its value as a literal (for share links and --api). */
export function renderTemplate(id: string, params: Record<string, unknown> = {}): string {
  const template = getTemplate(id);
  const values = templateParams(template, params);
  const tokens = queryLexer.tokenize(template.query).tokens.filter((t) => t.tokenType === Param);
  let text = template.query;
  for (const t of [...tokens].reverse()) {
    const name = t.image.slice(1);
    const v = values[name];
    if (v === undefined) continue;
    text = text.slice(0, t.startOffset) + literal(v) + text.slice(t.endOffset! + 1);
  }
  return text;
}

/** Runs a template against a graph: `$param`s are bound from defaults overlaid with `params`. */
export function runTemplate(id: string, params: Record<string, unknown> | undefined, view: GraphView, limits: Partial<QueryLimits> = {}): QueryResult {
  const template = getTemplate(id);
  return evaluate(parseQuery(template.query), view, limits, templateParams(template, params ?? {}));
}
