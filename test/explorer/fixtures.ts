// Small hand-built graphs for the explorer tests. Ids follow docs/graph.md; kind, namespace and
// name are derived from the id unless given.
import type { GraphEdge, GraphNode, NodeKind, PathsReport } from "../../shared/graph/model.js";
import { STRUCTURAL_KINDS } from "../../shared/graph/structure.js";

export function node(id: string, properties: Record<string, unknown> = {}, over: Partial<GraphNode> = {}): GraphNode {
  const colon = id.indexOf(":");
  const kind = id.slice(0, colon) as NodeKind;
  let rest = id.slice(colon + 1);
  if (kind === "identity") rest = rest.slice(rest.indexOf(":") + 1);
  let namespace: string | undefined;
  let name = rest;
  if (["pod", "container", "volume", "endpoint", "identity", "service", "ingress", "workload", "secret"].includes(kind) && rest.includes("/")) {
    namespace = rest.slice(0, rest.indexOf("/"));
    name = rest.slice(rest.lastIndexOf("/") + 1);
  }
  // A RoleBinding's permission set: `permissionset:NS/ROLE::BINDING`, named `ROLE::BINDING`.
  if (kind === "permissionset" && rest.slice(0, rest.indexOf("::")).includes("/")) {
    namespace = rest.slice(0, rest.indexOf("/"));
    name = rest.slice(rest.indexOf("/") + 1);
  }
  const n: GraphNode = { id, kind, name, properties };
  if (namespace !== undefined) n.namespace = namespace;
  return { ...n, ...over };
}

export function edge(from: string, kind: string, to: string, properties?: Record<string, unknown>): GraphEdge {
  return properties ? { kind, from, to, properties } : { kind, from, to };
}

export function report(nodes: GraphNode[], edges: GraphEdge[], extra: Partial<PathsReport> = {}): PathsReport {
  return { graph: { nodes, edges }, insights: [], paths: [], chokePoints: [], ...extra };
}

/**
 * A small AKS estate exercising every template; expectations live next to each template test.
 * Vocabulary is `shared/graph`'s (README, structure.ts, edges/*.ts, insights.ts): node property
 * names, structural edges (cluster/namespace/pod CONTAINS, node IS_RUNNING pod, container
 * IS_RUNNING image, container MOUNTS volume, pod USES_IDENTITY service account, permission set
 * BINDS subject, image IMAGE_VULNERABLE vulnerability carrying the per-image fix facts) and attack
 * edges with their real directions. It is hand-built, so it holds only the derived edges the tests
 * need, but none whose precondition its own facts contradict.
 */
export function estate(): PathsReport {
  const vuln = (id: string, severity: string, knownExploited: boolean, rce: boolean, cvss: number, epss: number, packages: string[]) =>
    node(`vulnerability:${id}`, { severity, cvss, knownExploited, epss, rce, packages });
  const image = (ref: string, counts: { critical: number; high: number; medium: number; low: number }, knownExploited: boolean, rce: boolean, vulnerabilities: number) =>
    node(`image:${ref}`, { ref, scanned: true, ...counts, knownExploited, rce, vulnerabilities });
  const pod = (ns: string, name: string, nodeName: string, serviceAccount: string, hostNetwork: boolean, exposed: boolean) =>
    node(`pod:${ns}/${name}`, { namespace: ns, node: nodeName, serviceAccount, hostNetwork, exposed, tokenAutomounted: serviceAccount === "web" });
  const container = (id: string, imageRef: string, nodeName: string, props: Record<string, unknown>) => {
    const [ns, podName] = id.slice("container:".length).split("/");
    return node(id, { pod: podName, namespace: ns, node: nodeName, image: imageRef, imageRef, scanned: true, ...props });
  };
  const permissionSet = (id: string, props: Record<string, unknown>) => node(id, { clusterAdmin: false, ...props });

  const nodes: GraphNode[] = [
    node("cluster:aks-prod", { source: "live", publicApiServer: true }),
    node("namespace:shop", { declared: true }),
    node("namespace:kube-system", { declared: true }),
    node("node:aks-1", { external: true, externalEvidence: ["ExternalIP 20.1.2.3"], externalIps: ["20.1.2.3"], pool: "system", pods: 3 }),
    node("node:aks-2", { external: false, externalEvidence: [], pool: "user", pods: 2 }),
    pod("shop", "web", "aks-1", "web", false, true),
    pod("shop", "cart", "aks-1", "cart", false, true),
    pod("shop", "db", "aks-2", "default", false, false),
    pod("kube-system", "agent", "aks-1", "agent", true, true),
    pod("kube-system", "metrics", "aks-2", "default", true, false),
    container("container:shop/web/app", "acr.io/shop/web:1", "aks-1", { privileged: false, runAsRoot: false, tokenMounted: true, exposed: true, critical: 1, high: 1, knownExploited: true, rce: true }),
    container("container:shop/cart/app", "acr.io/shop/cart:2", "aks-1", { privileged: false, runAsRoot: true, tokenMounted: false, exposed: true, critical: 0, high: 0, knownExploited: true, rce: true, failingControls: ["VANTAGE-K8S-RUN-AS-ROOT"], failingControlSeverity: "medium" }),
    container("container:shop/db/pg", "docker.io/library/postgres:16", "aks-2", { image: "postgres:16", privileged: true, runAsRoot: true, tokenMounted: false, exposed: false, critical: 1, high: 1, knownExploited: true, rce: true, failingControls: ["VANTAGE-K8S-PRIVILEGED", "VANTAGE-K8S-RUN-AS-ROOT"], failingControlSeverity: "critical" }),
    container("container:kube-system/agent/agent", "mcr.io/agent:3", "aks-1", { privileged: true, runAsRoot: true, tokenMounted: false, exposed: true, critical: 1, high: 0, knownExploited: false, rce: false, failingControls: ["VANTAGE-K8S-HOST-NETWORK", "VANTAGE-K8S-PRIVILEGED"], failingControlSeverity: "critical" }),
    container("container:kube-system/metrics/m", "mcr.io/agent:3", "aks-2", { privileged: false, runAsRoot: false, tokenMounted: false, exposed: false, critical: 1, high: 0, knownExploited: false, rce: false }),
    node("volume:shop/web/token", { type: "projected", readOnly: true, token: true, pod: "web" }),
    // "/" covers the containerd socket: the agent can drive every container on aks-1.
    node("volume:kube-system/agent/hostroot", { type: "hostPath", hostPath: "/", sensitive: true, readOnly: false, pod: "agent" }),
    node("volume:shop/cart/kubelet-pki", { type: "hostPath", hostPath: "/var/lib/kubelet/pki", sensitive: true, readOnly: true, pod: "cart" }),
    image("acr.io/shop/web:1", { critical: 1, high: 1, medium: 0, low: 0 }, true, true, 2),
    image("acr.io/shop/cart:2", { critical: 0, high: 0, medium: 1, low: 0 }, true, true, 1),
    image("docker.io/library/postgres:16", { critical: 1, high: 1, medium: 0, low: 0 }, true, true, 2),
    image("mcr.io/agent:3", { critical: 1, high: 0, medium: 0, low: 0 }, false, false, 1),
    vuln("CVE-1", "critical", true, true, 9.8, 0.97, ["openssl"]),
    vuln("CVE-2", "high", false, false, 7.5, 0.02, ["zlib"]),
    vuln("CVE-3", "medium", true, true, 6.5, 0.4, ["libxml2"]),
    vuln("CVE-4", "high", false, true, 8.1, 0.1, ["postgresql-16"]),
    vuln("CVE-5", "critical", false, false, 9.1, 0.01, ["glibc"]),
    node("secretfinding:acr.io/shop/web:1|sha256:l1|srv/.env|github-token|hmac-sha256:0123456789abcdef", {
      image: "acr.io/shop/web:1", rule: "github-token", severity: "high", path: "srv/.env", line: 2, layerDigest: "sha256:l1", layerIndex: 1, deleted: true, deletedIn: "sha256:l2", fingerprint: "hmac-sha256:0123456789abcdef", hint: "gh…x1",
    }),
    node("identity:serviceaccount:shop/web", { type: "serviceaccount", namespace: "shop", workloadIdentityClientId: "1111-2222", clusterAdmin: false }),
    node("identity:serviceaccount:shop/cart", { type: "serviceaccount", namespace: "shop", clusterAdmin: false }),
    node("identity:serviceaccount:shop/default", { type: "serviceaccount", namespace: "shop", synthetic: true, clusterAdmin: false }),
    node("identity:serviceaccount:kube-system/agent", { type: "serviceaccount", namespace: "kube-system", clusterAdmin: false }),
    node("identity:serviceaccount:kube-system/default", { type: "serviceaccount", namespace: "kube-system", synthetic: true, clusterAdmin: false }),
    node("identity:user:alice", { type: "user", clusterAdmin: true }),
    node("identity:group:ops", { type: "group", clusterAdmin: true }),
    permissionSet("permissionset:pod-admin::pa-binding", { role: "pod-admin", roleKind: "ClusterRole", binding: "pa-binding", bindingKind: "ClusterRoleBinding", clusterWide: true }),
    permissionSet("permissionset:shop/pod-exec::b2", { role: "pod-exec", roleKind: "Role", binding: "b2", bindingKind: "RoleBinding", namespace: "shop", clusterWide: false }),
    permissionSet("permissionset:cluster-admin::admins", { role: "cluster-admin", roleKind: "ClusterRole", binding: "admins", bindingKind: "ClusterRoleBinding", clusterWide: true, clusterAdmin: true }),
    permissionSet("permissionset:superuser::ops", { role: "superuser", roleKind: "ClusterRole", binding: "ops", bindingKind: "ClusterRoleBinding", clusterWide: true, clusterAdmin: true }),
    permissionSet("permissionset:view::viewers", { role: "view", roleKind: "ClusterRole", binding: "viewers", bindingKind: "ClusterRoleBinding", clusterWide: true }),
    node("service:shop/web", { type: "LoadBalancer", exposed: true, ports: [80] }),
    node("endpoint:shop/web:http", { namespace: "shop", owner: "web", ownerKind: "service", port: 80, portName: "http", protocol: "TCP", exposed: true }),
    node("cloudidentity:1111-2222", { clientId: "1111-2222", source: "workload-identity" }),
    node("cloudidentity:9999-0000", { clientId: "9999-0000", source: "kubelet" }),
  ];
  const edges: GraphEdge[] = [
    // Structural edges, as shared/graph/structure.ts points them.
    edge("cluster:aks-prod", "CONTAINS", "namespace:kube-system"),
    edge("cluster:aks-prod", "CONTAINS", "namespace:shop"),
    edge("cluster:aks-prod", "CONTAINS", "node:aks-1"),
    edge("cluster:aks-prod", "CONTAINS", "node:aks-2"),
    edge("namespace:shop", "CONTAINS", "pod:shop/web"),
    edge("namespace:shop", "CONTAINS", "pod:shop/cart"),
    edge("namespace:shop", "CONTAINS", "pod:shop/db"),
    edge("namespace:kube-system", "CONTAINS", "pod:kube-system/agent"),
    edge("namespace:kube-system", "CONTAINS", "pod:kube-system/metrics"),
    edge("namespace:shop", "CONTAINS", "service:shop/web"),
    edge("namespace:shop", "CONTAINS", "identity:serviceaccount:shop/web"),
    edge("namespace:shop", "CONTAINS", "identity:serviceaccount:shop/cart"),
    edge("namespace:shop", "CONTAINS", "identity:serviceaccount:shop/default"),
    edge("namespace:kube-system", "CONTAINS", "identity:serviceaccount:kube-system/agent"),
    edge("namespace:kube-system", "CONTAINS", "identity:serviceaccount:kube-system/default"),
    edge("node:aks-1", "IS_RUNNING", "pod:shop/web"),
    edge("node:aks-1", "IS_RUNNING", "pod:shop/cart"),
    edge("node:aks-2", "IS_RUNNING", "pod:shop/db"),
    edge("node:aks-1", "IS_RUNNING", "pod:kube-system/agent"),
    edge("node:aks-2", "IS_RUNNING", "pod:kube-system/metrics"),
    edge("pod:shop/web", "USES_IDENTITY", "identity:serviceaccount:shop/web"),
    edge("pod:shop/cart", "USES_IDENTITY", "identity:serviceaccount:shop/cart"),
    edge("pod:shop/db", "USES_IDENTITY", "identity:serviceaccount:shop/default"),
    edge("pod:kube-system/agent", "USES_IDENTITY", "identity:serviceaccount:kube-system/agent"),
    edge("pod:kube-system/metrics", "USES_IDENTITY", "identity:serviceaccount:kube-system/default"),
    edge("pod:shop/web", "CONTAINS", "volume:shop/web/token"),
    edge("pod:shop/cart", "CONTAINS", "volume:shop/cart/kubelet-pki"),
    edge("pod:kube-system/agent", "CONTAINS", "volume:kube-system/agent/hostroot"),
    edge("pod:shop/web", "CONTAINS", "container:shop/web/app"),
    edge("pod:shop/cart", "CONTAINS", "container:shop/cart/app"),
    edge("pod:shop/db", "CONTAINS", "container:shop/db/pg"),
    edge("pod:kube-system/agent", "CONTAINS", "container:kube-system/agent/agent"),
    edge("pod:kube-system/metrics", "CONTAINS", "container:kube-system/metrics/m"),
    edge("container:shop/web/app", "MOUNTS", "volume:shop/web/token"),
    edge("container:shop/cart/app", "MOUNTS", "volume:shop/cart/kubelet-pki"),
    edge("container:kube-system/agent/agent", "MOUNTS", "volume:kube-system/agent/hostroot"),
    edge("container:shop/web/app", "IS_RUNNING", "image:acr.io/shop/web:1"),
    edge("container:shop/cart/app", "IS_RUNNING", "image:acr.io/shop/cart:2"),
    edge("container:shop/db/pg", "IS_RUNNING", "image:docker.io/library/postgres:16"),
    edge("container:kube-system/agent/agent", "IS_RUNNING", "image:mcr.io/agent:3"),
    edge("container:kube-system/metrics/m", "IS_RUNNING", "image:mcr.io/agent:3"),
    edge("service:shop/web", "ROUTES_TRAFFIC_TO", "pod:shop/web"),
    edge("service:shop/web", "CONTAINS", "endpoint:shop/web:http"),
    // Fix facts are per image: CVE-1 is fixed in a different version for each image carrying it.
    edge("image:acr.io/shop/web:1", "IMAGE_VULNERABLE", "vulnerability:CVE-1", { fixStatus: "fixed", fixedVersion: "1.2", packages: ["openssl"] }),
    edge("image:acr.io/shop/web:1", "IMAGE_CONTAINS_SECRET", "secretfinding:acr.io/shop/web:1|sha256:l1|srv/.env|github-token|hmac-sha256:0123456789abcdef", { deleted: true, layerIndex: 1 }),
    edge("image:acr.io/shop/web:1", "IMAGE_VULNERABLE", "vulnerability:CVE-2", { fixStatus: "not-fixed", fixedVersion: null, packages: ["zlib"] }),
    edge("image:acr.io/shop/cart:2", "IMAGE_VULNERABLE", "vulnerability:CVE-3", { fixStatus: "unknown", fixedVersion: null, packages: ["libxml2"] }),
    edge("image:docker.io/library/postgres:16", "IMAGE_VULNERABLE", "vulnerability:CVE-4", { fixStatus: "fixed", fixedVersion: "16.5-1", packages: ["postgresql-16"] }),
    edge("image:docker.io/library/postgres:16", "IMAGE_VULNERABLE", "vulnerability:CVE-1", { fixStatus: "fixed", fixedVersion: "16.4", packages: ["openssl"] }),
    edge("image:mcr.io/agent:3", "IMAGE_VULNERABLE", "vulnerability:CVE-5", { fixStatus: "not-fixed", fixedVersion: null, packages: ["glibc"] }),
    edge("permissionset:pod-admin::pa-binding", "BINDS", "identity:serviceaccount:shop/web"),
    edge("permissionset:shop/pod-exec::b2", "BINDS", "identity:serviceaccount:shop/cart"),
    edge("permissionset:cluster-admin::admins", "BINDS", "identity:user:alice"),
    edge("permissionset:superuser::ops", "BINDS", "identity:group:ops"),
    edge("permissionset:view::viewers", "BINDS", "identity:group:ops"),
    // Attack edges, in the directions of shared/graph/edges/*.ts.
    edge("endpoint:shop/web:http", "ENDPOINT_EXPLOIT", "container:shop/web/app", { internet: true }),
    edge("endpoint:shop/web:http", "EXPLOIT_RCE_VULNERABILITY", "container:shop/web/app"),
    edge("node:aks-1", "HOST_NETWORK_EXPOSED", "container:kube-system/agent/agent"),
    edge("container:shop/web/app", "VOLUME_DISCOVER", "volume:shop/web/token"),
    edge("container:kube-system/agent/agent", "VOLUME_DISCOVER", "volume:kube-system/agent/hostroot"),
    edge("container:shop/cart/app", "VOLUME_DISCOVER", "volume:shop/cart/kubelet-pki"),
    edge("volume:kube-system/agent/hostroot", "EXPLOIT_HOST_WRITE", "node:aks-1"),
    edge("volume:shop/cart/kubelet-pki", "EXPLOIT_HOST_READ", "node:aks-1"),
    // The socket-mounting container reaches every other container on its node.
    edge("container:kube-system/agent/agent", "EXPLOIT_CONTAINERD_SOCK", "container:shop/web/app"),
    edge("container:kube-system/agent/agent", "EXPLOIT_CONTAINERD_SOCK", "container:shop/cart/app"),
    edge("container:shop/db/pg", "CE_PRIV_MOUNT", "node:aks-2"),
    edge("container:kube-system/agent/agent", "CE_PRIV_MOUNT", "node:aks-1"),
    edge("volume:shop/web/token", "TOKEN_STEAL", "identity:serviceaccount:shop/web"),
    edge("container:shop/web/app", "IDENTITY_ASSUME", "identity:serviceaccount:shop/web"),
    edge("identity:serviceaccount:shop/web", "CLOUD_IDENTITY_ASSUME", "cloudidentity:1111-2222"),
    // Root on a node reads the kubelet identity: not a workload identity.
    edge("node:aks-1", "CLOUD_IDENTITY_ASSUME", "cloudidentity:9999-0000"),
    edge("node:aks-2", "CLOUD_IDENTITY_ASSUME", "cloudidentity:9999-0000"),
    edge("identity:serviceaccount:shop/web", "PERMISSION_DISCOVER", "permissionset:pod-admin::pa-binding"),
    edge("identity:serviceaccount:shop/cart", "PERMISSION_DISCOVER", "permissionset:shop/pod-exec::b2"),
    edge("identity:user:alice", "PERMISSION_DISCOVER", "permissionset:cluster-admin::admins"),
    edge("identity:group:ops", "PERMISSION_DISCOVER", "permissionset:superuser::ops"),
    edge("identity:group:ops", "PERMISSION_DISCOVER", "permissionset:view::viewers"),
    edge("permissionset:pod-admin::pa-binding", "POD_CREATE", "node:aks-1"),
    edge("permissionset:pod-admin::pa-binding", "POD_CREATE", "node:aks-2"),
    edge("permissionset:pod-admin::pa-binding", "POD_EXEC", "pod:shop/db"),
    edge("permissionset:shop/pod-exec::b2", "POD_EXEC", "pod:shop/web"),
    edge("permissionset:pod-admin::pa-binding", "TOKEN_LIST", "identity:serviceaccount:kube-system/agent"),
  ];
  const exposed = (node: string, evidence: string) => ({ kind: "exposed-to-internet", node, severity: "high" as const, evidence });
  return report(nodes, edges, {
    insights: [
      { kind: "exposed-to-internet", node: "cluster:aks-prod", severity: "medium", evidence: "API server is public with no authorized IP ranges" },
      exposed("pod:shop/web", "endpoint:shop/web:http (TCP/80; load-balancer)"),
      exposed("pod:shop/cart", "endpoint:shop/cart:http (TCP/30080; node-port)"),
      exposed("pod:kube-system/agent", "host network on node:aks-1 (ExternalIP 20.1.2.3)"),
      exposed("node:aks-1", "ExternalIP 20.1.2.3; host listeners in pod:kube-system/agent"),
      { kind: "host-network", node: "pod:kube-system/agent", severity: "high", evidence: "hostNetwork: true" },
      { kind: "host-network", node: "pod:kube-system/metrics", severity: "high", evidence: "hostNetwork: true" },
      { kind: "privileged-container", node: "container:shop/db/pg", severity: "high", evidence: "securityContext.privileged: true" },
      { kind: "privileged-container", node: "container:kube-system/agent/agent", severity: "high", evidence: "securityContext.privileged: true" },
    ],
    chokePoints: [
      { node: "identity:serviceaccount:shop/web", pathsCut: 5 },
      { node: "node:aks-1", pathsCut: 2 },
      { node: "container:shop/db/pg", pathsCut: 7 },
    ],
    paths: [
      {
        id: "p1",
        title: "Internet exposed API/endpoint can create pods on a node",
        risk: "high",
        entry: "endpoint:shop/web:http",
        target: "node:aks-1",
        edges: [
          edge("endpoint:shop/web:http", "ENDPOINT_EXPLOIT", "container:shop/web/app", { internet: true }),
          edge("container:shop/web/app", "IDENTITY_ASSUME", "identity:serviceaccount:shop/web"),
          edge("identity:serviceaccount:shop/web", "PERMISSION_DISCOVER", "permissionset:pod-admin::pa-binding"),
          edge("permissionset:pod-admin::pa-binding", "POD_CREATE", "node:aks-1"),
        ],
      },
    ],
  });
}

/**
 * The estate with the structural hops the templates match undirected and untyped (see the header of
 * shared/explorer/templates.ts) reversed and renamed: templates must not depend on how those are
 * named or pointed. IMAGE_VULNERABLE (matched by kind and direction where its fix facts are read)
 * and BINDS (an identity's permission sets are its outgoing edges) keep theirs.
 */
export function estateWithForeignStructure(): PathsReport {
  const r = estate();
  const loose = new Set<string>(STRUCTURAL_KINDS.filter((k) => k !== "BINDS"));
  const edges = r.graph.edges.map((e) => (loose.has(e.kind) ? edge(e.to, `REVERSED_${e.kind}`, e.from, e.properties) : e));
  return { ...r, graph: { nodes: r.graph.nodes, edges } };
}
