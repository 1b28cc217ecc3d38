// Context builder: Services, Ingresses and the endpoints attackers reach — every Service port,
// every hostPort, and named container ports no Service routes to (cluster-internal endpoints).
import type { ServicePort } from "../../kubernetes/model.js";
import type { ContainerView, EndpointView, GraphContext, PodView, ServiceView } from "../context.js";
import { ingressExposure, isControllerService, serviceExposure } from "../exposure.js";
import { ids } from "../ids.js";
import { selectorMatches } from "../rbac.js";
import { push } from "./util.js";

export function addEndpoints(ctx: GraphContext): void {
  const served = new Set<string>();
  addServices(ctx);
  const ingressExposed = addIngresses(ctx);
  for (const s of ctx.services) addServicePorts(ctx, s, ingressExposed.get(s), served);
  addHostPorts(ctx);
  addNamedContainerPorts(ctx, served);
  for (const ep of ctx.endpoints) for (const t of ep.targets) if (t.internet && !t.container.pod.exposedBy.includes(ep.id)) t.container.pod.exposedBy.push(ep.id);
}

function addServices(ctx: GraphContext): void {
  const anyExternalNode = [...ctx.nodes.values()].some((n) => n.external);
  const slicesByService = new Map<string, string[]>();
  for (const s of ctx.snapshot.endpointSlices ?? []) {
    if (!s.serviceName) continue;
    const key = `${s.meta.namespace ?? "default"}/${s.serviceName}`;
    for (const e of s.endpoints) if (e.targetRef?.kind === "Pod") push(slicesByService, key, e.targetRef.name);
  }
  const podByKey = new Map(ctx.pods.map((p) => [`${p.namespace}/${p.name}`, p]));
  for (const svc of ctx.snapshot.services) {
    if (svc.type === "ExternalName") continue;
    const ns = svc.meta.namespace ?? "default";
    const hasSelector = Object.keys(svc.selector ?? {}).length > 0;
    const pods = hasSelector
      ? (ctx.podsByNamespace.get(ns) ?? []).filter((p) => selectorMatches({ matchLabels: svc.selector }, p.info.meta.labels ?? {}))
      : (slicesByService.get(`${ns}/${svc.meta.name}`) ?? []).map((n) => podByKey.get(`${ns}/${n}`)).filter((p): p is PodView => Boolean(p));
    ctx.services.push({ id: ids.service(ns, svc.meta.name), info: svc, exposure: serviceExposure(svc, anyExternalNode), pods, endpoints: [] });
  }
}

/** Ingresses and, per Service they route to, why that makes the Service internet-facing. */
function addIngresses(ctx: GraphContext): Map<ServiceView, string[]> {
  const controllers = ctx.services
    .filter((s) => isControllerService(s.info, s.pods.map((p) => p.info.meta.labels ?? {})))
    .map((s) => ({ svc: s.info, exposure: s.exposure }));
  const svcByKey = new Map(ctx.services.map((s) => [`${s.info.meta.namespace ?? "default"}/${s.info.meta.name}`, s]));
  const exposedVia = new Map<ServiceView, string[]>();
  for (const ing of ctx.snapshot.ingresses ?? []) {
    const ns = ing.meta.namespace ?? "default";
    const backends = [...(ing.defaultBackend ? [ing.defaultBackend] : []), ...ing.rules.flatMap((r) => r.paths)];
    const services: ServiceView[] = [];
    for (const b of backends) {
      const s = svcByKey.get(`${ns}/${b.serviceName}`);
      if (!s) {
        ctx.warnings.push(`Ingress ${ns}/${ing.meta.name} routes to unknown service ${b.serviceName}`);
        continue;
      }
      if (!services.includes(s)) services.push(s);
    }
    const exposure = ingressExposure(ing, controllers);
    ctx.ingresses.push({ id: ids.ingress(ns, ing.meta.name), info: ing, exposure, services });
    if (exposure.exposed) for (const s of services) push(exposedVia, s, `Ingress ${ns}/${ing.meta.name}: ${exposure.evidence.join("; ")}`);
  }
  return exposedVia;
}

function addServicePorts(ctx: GraphContext, s: ServiceView, viaIngress: string[] | undefined, served: Set<string>): void {
  const ns = s.info.meta.namespace ?? "default";
  for (const port of s.info.ports) {
    const portName = port.name || String(port.port);
    const exposure = [...s.exposure.via, ...(viaIngress ? ["ingress"] : [])];
    const ep: EndpointView = {
      id: ids.endpoint(ns, s.info.meta.name, portName), namespace: ns, owner: s.info.meta.name, ownerKind: "service", ownerId: s.id,
      port: port.port, portName, protocol: port.protocol || "TCP", exposed: false, exposure,
      evidence: [...s.exposure.evidence, ...(viaIngress ?? [])], targets: [],
    };
    for (const p of s.pods) {
      // LB/NodePort traffic keeps an internet source address; ingress traffic arrives from the
      // controller pod, which only a default-deny policy is sure to refuse.
      const internet = (s.exposure.exposed && p.isolation.internetAllowed) || (Boolean(viaIngress) && p.isolation.anyAllowed);
      const { containers, ports } = containersServing(p, port);
      for (const c of containers) ep.targets.push({ container: c, internet });
      for (const key of ports) served.add(key);
    }
    ep.exposed = ep.targets.some((t) => t.internet) || (exposure.length > 0 && ep.targets.length === 0);
    s.endpoints.push(ep);
    ctx.endpoints.push(ep);
  }
}

// hostPort listeners are published on the node's addresses (hostNetwork pods are modelled at the
// node instead: HOST_NETWORK_EXPOSED).
function addHostPorts(ctx: GraphContext): void {
  for (const p of ctx.pods) {
    if (p.info.hostNetwork) continue;
    for (const c of p.containers) for (const port of c.info.ports ?? []) {
      if (!port.hostPort) continue;
      const portName = port.name || String(port.hostPort);
      const internet = p.node.external && p.isolation.internetAllowed;
      ctx.endpoints.push({
        id: ids.endpoint(p.namespace, p.name, portName), namespace: p.namespace, owner: p.name, ownerKind: "pod", ownerId: p.id,
        port: port.hostPort, portName, protocol: port.protocol || "TCP", exposed: internet,
        exposure: p.node.external ? ["hostPort"] : [], evidence: p.node.external ? [`hostPort ${port.hostPort} on node ${p.node.name} (${p.node.externalEvidence.join("; ")})`] : [],
        targets: [{ container: c, internet }],
      });
    }
  }
}

/**
 * A named container port that no Service routes to still listens on the pod IP: any pod in the
 * cluster can reach it (unless a NetworkPolicy says otherwise), the internet cannot.
 */
function addNamedContainerPorts(ctx: GraphContext, served: Set<string>): void {
  for (const p of ctx.pods) {
    if (p.info.hostNetwork) continue;
    for (const c of p.containers) for (const port of c.info.ports ?? []) {
      if (!port.name || port.hostPort || served.has(`${c.id}|${port.containerPort}`)) continue;
      ctx.endpoints.push({
        id: ids.endpoint(p.namespace, p.name, port.name), namespace: p.namespace, owner: p.name, ownerKind: "pod", ownerId: p.id,
        port: port.containerPort, portName: port.name, protocol: port.protocol || "TCP", exposed: false,
        exposure: [], evidence: [`container port ${port.name} (${port.containerPort}/${port.protocol || "TCP"}) of ${c.id}, no Service: reachable inside the cluster only`],
        targets: [{ container: c, internet: false }],
      });
    }
  }
}

/** Containers behind a service port: by named or numbered targetPort; all app containers when none declares it. */
function containersServing(p: PodView, port: ServicePort): { containers: ContainerView[]; ports: string[] } {
  const target = port.targetPort ?? port.port;
  const byName = typeof target === "string" && !/^\d+$/.test(target);
  const app = p.containers.filter((c) => c.info.kind !== "init");
  const ports: string[] = [];
  const hits: ContainerView[] = [];
  for (const c of app) {
    const cp = (c.info.ports ?? []).find((x) => (byName ? x.name === target : x.containerPort === Number(target)));
    if (!cp) continue;
    hits.push(c);
    ports.push(`${c.id}|${cp.containerPort}`);
  }
  return { containers: hits.length ? hits : app, ports };
}
