// Small builders for Snapshot objects: tests state only what matters to them.
import { emptySnapshot, type ContainerInfo, type NodeInfo, type PodInfo, type PolicyRule, type RoleBindingInfo, type RoleInfo, type ServiceAccountInfo, type ServiceInfo, type Snapshot, type Subject, type VolumeInfo, type NetworkPolicyInfo, type IngressInfo, type SecretMeta } from "../../shared/kubernetes/model.js";
import type { Finding } from "../../shared/scanner/model.js";
import { buildSecurityGraph, type BuildOptions, type ImageFindings } from "../../shared/graph/index.js";
import type { BuiltPathsReport, PathsReport } from "../../shared/graph/model.js";

const meta = (name: string, namespace?: string, labels: Record<string, string> = {}) => ({ name, namespace, labels, annotations: {}, ownerReferences: [] });

export function snapshot(parts: Partial<Snapshot> = {}): Snapshot {
  return { ...emptySnapshot({ name: "aks1" }, "live", "2024-01-01T00:00:00Z"), ...parts };
}

export function node(name: string, opts: { externalIp?: string; labels?: Record<string, string> } = {}): NodeInfo {
  return {
    meta: meta(name, undefined, opts.labels ?? {}),
    addresses: [{ type: "InternalIP", address: "10.0.0.4" }, ...(opts.externalIp ? [{ type: "ExternalIP", address: opts.externalIp }] : [])],
    taints: [], unschedulable: false,
  };
}

export function container(name: string, opts: Partial<ContainerInfo> = {}): ContainerInfo {
  return { name, kind: "container", image: "nginx:1.25", securityContext: { runAsNonRoot: true }, ports: [], volumeMounts: [], envSources: [], ...opts };
}

export function pod(name: string, opts: Partial<PodInfo> & { namespace?: string; labels?: Record<string, string> } = {}): PodInfo {
  const { namespace = "default", labels = {}, ...rest } = opts;
  return {
    meta: meta(name, namespace, labels), nodeName: "n1", serviceAccountName: "default", automountServiceAccountToken: false,
    hostNetwork: false, hostPID: false, hostIPC: false, shareProcessNamespace: false, securityContext: {},
    containers: [container("app")], volumes: [], ...rest,
  };
}

export function hostPathVolume(name: string, path: string): VolumeInfo {
  return { name, type: "hostPath", hostPath: { path } };
}

export function serviceAccount(name: string, namespace = "default", opts: Partial<ServiceAccountInfo> = {}): ServiceAccountInfo {
  return { meta: meta(name, namespace), ...opts };
}

export function rule(verbs: string[], resources: string[], apiGroups: string[] = [""], resourceNames: string[] = []): PolicyRule {
  return { verbs, resources, apiGroups, resourceNames, nonResourceURLs: [] };
}

export function clusterRole(name: string, rules: PolicyRule[], labels: Record<string, string> = {}): RoleInfo {
  return { meta: meta(name, undefined, labels), kind: "ClusterRole", rules };
}

export function role(name: string, namespace: string, rules: PolicyRule[]): RoleInfo {
  return { meta: meta(name, namespace), kind: "Role", rules };
}

export const saSubject = (name: string, namespace = "default"): Subject => ({ kind: "ServiceAccount", name, namespace });

export function clusterRoleBinding(name: string, roleName: string, subjects: Subject[]): RoleBindingInfo {
  return { meta: meta(name), kind: "ClusterRoleBinding", roleRef: { kind: "ClusterRole", name: roleName }, subjects };
}

export function roleBinding(name: string, namespace: string, roleRef: RoleBindingInfo["roleRef"], subjects: Subject[]): RoleBindingInfo {
  return { meta: meta(name, namespace), kind: "RoleBinding", roleRef, subjects };
}

export function service(name: string, opts: Partial<ServiceInfo> & { namespace?: string } = {}): ServiceInfo {
  const { namespace = "default", ...rest } = opts;
  return {
    meta: meta(name, namespace), type: "ClusterIP", ports: [{ name: "http", port: 80, targetPort: 80, protocol: "TCP" }],
    selector: { app: name }, externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [], internal: false, ...rest,
  };
}

export function ingress(name: string, serviceName: string, opts: Partial<IngressInfo> = {}): IngressInfo {
  return { meta: meta(name, "default"), rules: [{ host: "a.example.com", paths: [{ path: "/", serviceName, servicePort: 80 }] }], tls: [], loadBalancerIngress: [], ...opts };
}

export function networkPolicy(name: string, podLabels: Record<string, string>, ingressRules: NetworkPolicyInfo["ingress"]): NetworkPolicyInfo {
  return { meta: meta(name, "default"), podSelector: { matchLabels: podLabels }, policyTypes: ["Ingress"], ingress: ingressRules, egress: [] };
}

export function secret(name: string, namespace = "default", type = "Opaque", annotations: Record<string, string> = {}): SecretMeta {
  return { meta: { ...meta(name, namespace), annotations }, type };
}

export function finding(id: string, opts: { severity?: Finding["severity"]; rce?: boolean; kev?: boolean } = {}): Finding {
  return {
    id, aliases: [], package: { name: "openssl", version: "1.0", type: "deb", purl: "pkg:deb/debian/openssl@1.0" },
    severity: opts.severity ?? "critical", cvss: { version: "3.1", score: 9.8, vector: "AV:N" }, fixStatus: "fixed", fixedVersion: "1.1",
    exploitability: { knownExploited: Boolean(opts.kev), epss: 0.9, epssPercentile: 0.99, publicExploit: false, remoteCodeExecution: Boolean(opts.rce) },
    advisories: [id],
  };
}

export function build(s: Snapshot, images: ImageFindings[] = [], options: BuildOptions = {}): BuiltPathsReport {
  return buildSecurityGraph(s, images, options);
}

export function edgesOf(r: PathsReport, kind: string): { from: string; to: string }[] {
  return r.graph.edges.filter((e) => e.kind === kind).map((e) => ({ from: e.from, to: e.to }));
}

export function hasEdge(r: PathsReport, kind: string, from: string, to: string): boolean {
  return r.graph.edges.some((e) => e.kind === kind && e.from === from && e.to === to);
}
