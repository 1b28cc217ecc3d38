// Words for path steps: find the view behind a node id, name objects the way a person knows them
// (Deployment shop/frontend, container app), and address the manifest field a fix changes.
// Lookups are built lazily, once per context: only path edges are ever explained.
import type {
  AzureScopeView, CloudIdentityView, ContainerView, EndpointView, GraphContext, IdentityView, NodeView, PermissionSetView, PodView, SecretView, VolumeView,
} from "./context.js";
import type { Fix, GraphEdge } from "./model.js";
import { describeRules } from "./rbac.js";

export interface Views {
  containers: Map<string, ContainerView>;
  pods: Map<string, PodView>;
  volumes: Map<string, VolumeView>;
  endpoints: Map<string, EndpointView>;
  permissionSets: Map<string, PermissionSetView>;
  nodes: Map<string, NodeView>;
}

const cache = new WeakMap<GraphContext, Views>();

export function views(ctx: GraphContext): Views {
  let v = cache.get(ctx);
  if (!v) {
    v = {
      containers: new Map(ctx.containers.map((c) => [c.id, c])),
      pods: new Map(ctx.pods.map((p) => [p.id, p])),
      volumes: new Map(ctx.volumes.map((x) => [x.id, x])),
      endpoints: new Map(ctx.endpoints.map((e) => [e.id, e])),
      permissionSets: new Map(ctx.permissionSets.map((p) => [p.id, p])),
      nodes: new Map([...ctx.nodes.values()].map((n) => [n.id, n])),
    };
    cache.set(ctx, v);
  }
  return v;
}

export const container = (ctx: GraphContext, id: string): ContainerView | undefined => views(ctx).containers.get(id);
export const podOf = (ctx: GraphContext, id: string): PodView | undefined => views(ctx).pods.get(id);
export const volume = (ctx: GraphContext, id: string): VolumeView | undefined => views(ctx).volumes.get(id);
export const endpoint = (ctx: GraphContext, id: string): EndpointView | undefined => views(ctx).endpoints.get(id);
export const permissionSet = (ctx: GraphContext, id: string): PermissionSetView | undefined => views(ctx).permissionSets.get(id);
export const nodeView = (ctx: GraphContext, id: string): NodeView | undefined => views(ctx).nodes.get(id);
export const identity = (ctx: GraphContext, id: string): IdentityView | undefined => ctx.identities.get(id);
export const secret = (ctx: GraphContext, id: string): SecretView | undefined => ctx.secrets.get(id);
export const cloudIdentity = (ctx: GraphContext, id: string): CloudIdentityView | undefined => ctx.cloudIdentities.get(id);
export const azureScope = (ctx: GraphContext, id: string): AzureScopeView | undefined => ctx.azureScopes.get(id);

/** The object a person edits for a pod: its top-level workload when it has one, else the pod. */
export function ownerOf(p: PodView): { id: string; label: string; specPath: string } {
  const w = p.info.workload;
  if (w && p.info.fromTemplate !== false) {
    const specPath = w.kind === "CronJob" ? "spec.jobTemplate.spec.template.spec" : "spec.template.spec";
    return { id: `workload:${p.namespace}/${w.kind}/${w.name}`, label: `${w.kind} ${p.namespace}/${w.name}`, specPath };
  }
  return { id: p.id, label: `Pod ${p.namespace}/${p.name}`, specPath: "spec" };
}

export function describeContainer(c: ContainerView): string {
  return `container ${c.name} of ${ownerOf(c.pod).label}`;
}

/** Fix on a pod-spec field: "Deployment shop/web: set spec.template.spec.hostPID to false". */
export function podFix(p: PodView, field: string, change: string): Fix {
  const o = ownerOf(p);
  const full = `${o.specPath}.${field}`;
  return { text: `${o.label}: ${change.replace("{field}", full)}`, object: o.id, field: full };
}

export function containerFix(c: ContainerView, field: string, change: string): Fix {
  return podFix(c.pod, `${c.info.kind === "init" ? "initContainers" : "containers"}[${c.name}].${field}`, change);
}

/** The rules of a permission set that grant what an edge needs, with its binding. */
export function grantEvidence(ps: PermissionSetView | undefined, what: string): string[] {
  if (!ps) return [];
  const binding = `${ps.bindingKind} ${ps.namespace ? `${ps.namespace}/` : ""}${ps.binding} → ${ps.roleKind} ${ps.role}${ps.builtinRole ? " (built-in)" : ""}`;
  const rules = describeRules(ps.rules).filter((r) => matchesWhat(r, what));
  return [`${what} granted by ${binding}`, ...rules.slice(0, 4).map((r) => `rule: ${r}`)];
}

/** Keeps the rules that mention the resource (or a wildcard) of `what` ("create pods/exec" → pods). */
function matchesWhat(rule: string, what: string): boolean {
  const resource = what.split(" ").pop()!.split("/")[0]!;
  const resources = rule.split(" ")[1] ?? "";
  return resources.split(",").some((r) => r === "*" || r.split("/")[0] === resource || r.startsWith("*/"));
}

export function bindingFix(ps: PermissionSetView | undefined, fallback: GraphEdge, change: string): Fix {
  if (!ps) return { text: change, object: fallback.from, field: "rules" };
  const role = ps.roleKind === "ClusterRole" ? `ClusterRole ${ps.role}` : `Role ${ps.namespace}/${ps.role}`;
  if (ps.builtinRole) {
    return { text: `${ps.bindingKind} ${ps.binding}: bind a narrower role than the built-in ${ps.role} (${change})`, object: ps.id, field: "roleRef" };
  }
  return { text: `${role} (bound by ${ps.bindingKind} ${ps.binding}): ${change}`, object: ps.id, field: "rules" };
}

/** An entry step: the Service/Ingress (or hostPort, or container port) and its address. */
export function endpointEvidence(ctx: GraphContext, e: GraphEdge): string[] {
  const ep = views(ctx).endpoints.get(e.from);
  if (!ep) return [];
  const t = ep.targets.find((x) => x.container.id === e.to);
  const where = ep.ownerKind === "service" ? `Service ${ep.namespace}/${ep.owner} port ${ep.portName} (${ep.port}/${ep.protocol})` : `pod ${ep.namespace}/${ep.owner} port ${ep.portName} (${ep.port}/${ep.protocol})`;
  return [
    `${where}${t?.internet ? " reachable from the internet" : " reachable inside the cluster"}`,
    ...ep.evidence,
    ...(t ? [`routes to ${describeContainer(t.container)}`] : []),
  ];
}

export function endpointFix(ctx: GraphContext, e: GraphEdge): Fix {
  const ep = views(ctx).endpoints.get(e.from);
  if (ep?.ownerKind === "service") {
    const viaIngress = ep.exposure.includes("ingress") && ep.exposure.length === 1;
    return viaIngress
      ? { text: `Ingress to Service ${ep.namespace}/${ep.owner}: restrict it, or add a default-deny NetworkPolicy for the pods behind it`, object: `service:${ep.namespace}/${ep.owner}`, field: "ingress" }
      : { text: `Service ${ep.namespace}/${ep.owner}: make it internal (annotation service.beta.kubernetes.io/azure-load-balancer-internal: "true"), set spec.loadBalancerSourceRanges, or change spec.type to ClusterIP`, object: `service:${ep.namespace}/${ep.owner}`, field: "spec.type" };
  }
  const c = ep?.targets[0]?.container;
  return c ? containerFix(c, `ports[${ep!.portName}].hostPort`, "remove {field}") : { text: "Stop exposing the endpoint", object: e.from, field: "-" };
}

export function vulnEvidence(v: { id: string; cvss?: number; epss: number | null; knownExploited: boolean; fixedVersions: string[]; packages: string[] }, imageRef: string): string {
  const facts = [
    v.cvss !== undefined ? `CVSS ${v.cvss}` : "CVSS unknown",
    v.epss !== null ? `EPSS ${v.epss}` : "EPSS unknown",
    v.knownExploited ? "in CISA KEV" : "not in KEV",
    v.fixedVersions.length ? `fixed in ${v.fixedVersions.join(", ")}` : "no fixed version",
  ];
  return `${v.id} (${facts.join(", ")}) in ${v.packages.join(", ") || "?"} of ${imageRef}`;
}
