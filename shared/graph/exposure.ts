// Internet exposure facts. A Service is public when Azure gives it a public frontend (LoadBalancer
// not annotated internal, or externalIPs), or when its node ports sit on nodes with public IPs; an
// Ingress is public when its controller is. NetworkPolicies that select a pod for Ingress and allow
// no source outside the cluster take the pod off the internet (ports are not evaluated: a policy
// that admits the internet on any port keeps the pod exposed).
import type { IngressInfo, NetworkPolicyInfo, NodeInfo, PodInfo, ServiceInfo, SnapshotCluster } from "../kubernetes/model.js";
import { selectorMatches } from "./rbac.js";

function ipv4(ip: string): number[] | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim());
  return m ? m.slice(1).map(Number) : undefined;
}

/** RFC 1918/6598, loopback, link-local and IPv6 ULA/link-local are not internet addresses. */
export function isPublicIp(ip: string): boolean {
  const v4 = ipv4(ip);
  if (v4) {
    const [a, b] = v4 as [number, number];
    if (a === 10 || a === 127 || a === 0) return false;
    if (a === 172 && b >= 16 && b <= 31) return false;
    if (a === 192 && b === 168) return false;
    if (a === 100 && b >= 64 && b <= 127) return false;
    if (a === 169 && b === 254) return false;
    return true;
  }
  const v6 = ip.trim().toLowerCase();
  if (!v6.includes(":")) return false;
  return !(v6 === "::1" || v6.startsWith("fc") || v6.startsWith("fd") || v6.startsWith("fe80"));
}

/** A CIDR admits internet sources unless it lies wholly inside non-public space. */
export function cidrIsPublic(cidr: string): boolean {
  const [base, lenText] = cidr.split("/");
  const len = Number(lenText ?? "32");
  if (!base) return false;
  if (base.includes(":")) return len < 7 || isPublicIp(base);
  return len < 8 || isPublicIp(base);
}

export interface NodeExposure {
  external: boolean;
  evidence: string[];
}

/** Public node IPs: status ExternalIP addresses, or an AKS pool with enableNodePublicIP. */
export function nodeExposure(node: NodeInfo | undefined, cluster: SnapshotCluster): NodeExposure {
  if (!node) return { external: false, evidence: [] };
  const evidence: string[] = [];
  for (const a of node.addresses ?? []) if (a.type === "ExternalIP" && isPublicIp(a.address)) evidence.push(`ExternalIP ${a.address}`);
  const pool = node.meta.labels?.["kubernetes.azure.com/agentpool"] ?? node.meta.labels?.["agentpool"];
  if (pool && cluster.nodePools?.some((p) => p.name === pool && p.nodePublicIp)) evidence.push(`node pool ${pool} has enableNodePublicIP`);
  return { external: evidence.length > 0, evidence };
}

export interface ServiceExposure {
  exposed: boolean;
  via: string[];
  evidence: string[];
}

export function serviceExposure(svc: ServiceInfo, anyExternalNode: boolean): ServiceExposure {
  const via: string[] = [];
  const evidence: string[] = [];
  if (svc.type === "LoadBalancer" && !svc.internal) {
    const ingress = svc.loadBalancerIngress ?? [];
    const publicFrontend = ingress.length === 0 || ingress.some((i) => (i.ip ? isPublicIp(i.ip) : Boolean(i.hostname)));
    const ranges = svc.loadBalancerSourceRanges ?? [];
    const openRanges = ranges.filter(cidrIsPublic);
    if (!publicFrontend) evidence.push("LoadBalancer frontend has only private addresses");
    else if (ranges.length > 0 && openRanges.length === 0) evidence.push(`LoadBalancer restricted to private ranges ${ranges.join(",")}`);
    else {
      via.push("loadBalancer");
      const addr = ingress.map((i) => i.ip ?? i.hostname).filter(Boolean).join(",");
      evidence.push(`public LoadBalancer${addr ? ` ${addr}` : " (address pending)"}${ranges.length ? ` narrowed to ${openRanges.join(",")}` : ""}`);
    }
  }
  const publicExternal = (svc.externalIPs ?? []).filter(isPublicIp);
  if (publicExternal.length) {
    via.push("externalIPs");
    evidence.push(`externalIPs ${publicExternal.join(",")}`);
  }
  const hasNodePorts = svc.type === "NodePort" || (svc.type === "LoadBalancer" && svc.ports.some((p) => p.nodePort));
  if (hasNodePorts && anyExternalNode) {
    via.push("nodePort");
    evidence.push(`NodePort ${svc.ports.map((p) => p.nodePort).filter(Boolean).join(",") || "(allocated)"} on nodes with public IPs`);
  }
  return { exposed: via.length > 0, via, evidence };
}

export interface PodIsolation {
  /** Some Ingress policy selects the pod. */
  selected: boolean;
  /** Internet sources are admitted (no policy, an all-sources rule, or a public ipBlock). */
  internetAllowed: boolean;
  /** Any source at all is admitted (false = default-deny ingress). */
  anyAllowed: boolean;
}

export function podIsolation(pod: PodInfo, policies: NetworkPolicyInfo[]): PodIsolation {
  const ns = pod.meta.namespace ?? "default";
  let selected = false;
  let internetAllowed = false;
  let anyAllowed = false;
  for (const p of policies) {
    if ((p.meta.namespace ?? "default") !== ns) continue;
    const types = p.policyTypes?.length ? p.policyTypes : ["Ingress"];
    if (!types.includes("Ingress")) continue;
    if (!selectorMatches(p.podSelector ?? {}, pod.meta.labels ?? {})) continue;
    selected = true;
    for (const rule of p.ingress ?? []) {
      anyAllowed = true;
      if (!rule.peers || rule.peers.length === 0) internetAllowed = true;
      else if (rule.peers.some((peer) => peer.ipBlock && cidrIsPublic(peer.ipBlock.cidr))) internetAllowed = true;
    }
  }
  if (!selected) return { selected, internetAllowed: true, anyAllowed: true };
  return { selected, internetAllowed, anyAllowed };
}

const CONTROLLER_HINT = /ingress|traefik|contour|envoy|haproxy|kong|gateway|app-routing|nginx/i;

/**
 * Whether an Ingress is reachable from the internet: its status address when present; otherwise
 * the LoadBalancer Services in front of ingress-controller-looking pods; when no controller is
 * visible at all (offline manifests) it is assumed public, and the evidence says so.
 */
export function ingressExposure(
  ing: IngressInfo,
  controllerServices: { svc: ServiceInfo; exposure: ServiceExposure }[],
): ServiceExposure {
  const status = ing.loadBalancerIngress ?? [];
  if (status.length > 0) {
    const pub = status.filter((i) => (i.ip ? isPublicIp(i.ip) : Boolean(i.hostname)));
    return pub.length
      ? { exposed: true, via: ["ingress"], evidence: [`Ingress address ${pub.map((i) => i.ip ?? i.hostname).join(",")}`] }
      : { exposed: false, via: [], evidence: ["Ingress has only private addresses"] };
  }
  const cls = ing.ingressClassName;
  const candidates = controllerServices.filter((c) => !cls || c.svc.meta.name.includes(cls) || (c.svc.meta.namespace ?? "").includes(cls) || CONTROLLER_HINT.test(c.svc.meta.name));
  if (candidates.length === 0) return { exposed: true, via: ["ingress"], evidence: ["Ingress controller not visible; assumed public"] };
  const pub = candidates.filter((c) => c.exposure.exposed);
  return pub.length
    ? { exposed: true, via: ["ingress"], evidence: [`Ingress controller Service ${pub.map((c) => `${c.svc.meta.namespace}/${c.svc.meta.name}`).join(",")} is public`] }
    : { exposed: false, via: [], evidence: ["Ingress controller Service is internal"] };
}

/** Services that front an ingress controller: LoadBalancer/NodePort services named or selecting like one. */
export function isControllerService(svc: ServiceInfo, podLabels: Record<string, string>[]): boolean {
  if (svc.type !== "LoadBalancer" && svc.type !== "NodePort") return false;
  if (CONTROLLER_HINT.test(svc.meta.name)) return true;
  return podLabels.some((l) => Object.values(l).some((v) => /ingress|controller/i.test(v)));
}
