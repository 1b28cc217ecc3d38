// Small hand-built graphs for the explorer tests. Ids follow CONTRACTS.md §5; kind, namespace and
// name are derived from the id unless given.
import type { GraphEdge, GraphNode, NodeKind, PathsReport } from "../../shared/graph/model.js";

export function node(id: string, properties: Record<string, unknown> = {}, over: Partial<GraphNode> = {}): GraphNode {
  const colon = id.indexOf(":");
  const kind = id.slice(0, colon) as NodeKind;
  let rest = id.slice(colon + 1);
  if (kind === "identity") rest = rest.slice(rest.indexOf(":") + 1);
  let namespace: string | undefined;
  let name = rest;
  if (["pod", "container", "volume", "endpoint", "identity"].includes(kind) && rest.includes("/")) {
    namespace = rest.slice(0, rest.indexOf("/"));
    name = rest.slice(rest.lastIndexOf("/") + 1);
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

/** A small AKS estate exercising every template; expectations live next to each template test. */
export function estate(): PathsReport {
  const nodes: GraphNode[] = [
    node("cluster:aks-prod"),
    node("namespace:shop"),
    node("namespace:kube-system"),
    node("node:aks-1"),
    node("node:aks-2"),
    node("pod:shop/web", { hostNetwork: false, serviceAccountName: "web" }),
    node("pod:shop/cart", { hostNetwork: false }),
    node("pod:shop/db", { hostNetwork: false }),
    node("pod:kube-system/agent", { hostNetwork: true }),
    node("pod:kube-system/metrics", { hostNetwork: true }),
    node("container:shop/web/app", { privileged: false, image: "acr.io/shop/web:1" }),
    node("container:shop/cart/app", { privileged: false }),
    node("container:shop/db/pg", { privileged: true }),
    node("container:kube-system/agent/agent", { privileged: true }),
    node("container:kube-system/metrics/m", {}),
    node("volume:shop/web/token", { type: "projected" }),
    node("volume:kube-system/agent/hostroot", { type: "hostPath", path: "/" }),
    node("volume:shop/cart/varlog", { type: "hostPath", path: "/var/log" }),
    node("image:acr.io/shop/web:1"),
    node("image:acr.io/shop/cart:2"),
    node("image:postgres:16"),
    node("image:mcr.io/agent:3"),
    node("vulnerability:CVE-1", { severity: "critical", knownExploited: true, remoteCodeExecution: true }),
    node("vulnerability:CVE-2", { severity: "high", knownExploited: false, remoteCodeExecution: false }),
    node("vulnerability:CVE-3", { severity: "medium", knownExploited: true, remoteCodeExecution: true }),
    node("vulnerability:CVE-4", { severity: "high", knownExploited: false, remoteCodeExecution: true }),
    node("vulnerability:CVE-5", { severity: "critical", knownExploited: false, fixStatus: "not-fixed" }),
    node("identity:serviceaccount:shop/web"),
    node("identity:serviceaccount:shop/cart"),
    node("identity:serviceaccount:kube-system/agent"),
    node("identity:user:alice"),
    node("identity:group:ops"),
    node("permissionset:pod-admin::pa-binding"),
    node("permissionset:shop/pod-exec::b2", {}, { namespace: "shop" }),
    node("permissionset:cluster-admin::admins", { clusterAdmin: true }),
    node("permissionset:superuser::ops", { clusterAdmin: true }),
    node("permissionset:view::viewers", { clusterAdmin: false }),
    node("cloudidentity:1111-2222", {}, { name: "web-mi" }),
  ];
  const edges: GraphEdge[] = [
    edge("cluster:aks-prod", "CONTAINS", "namespace:shop"),
    edge("namespace:shop", "CONTAINS", "pod:shop/web"),
    edge("namespace:shop", "CONTAINS", "pod:shop/cart"),
    edge("namespace:shop", "CONTAINS", "pod:shop/db"),
    edge("namespace:kube-system", "CONTAINS", "pod:kube-system/agent"),
    edge("namespace:kube-system", "CONTAINS", "pod:kube-system/metrics"),
    edge("pod:shop/web", "CONTAINS", "container:shop/web/app"),
    edge("pod:shop/cart", "CONTAINS", "container:shop/cart/app"),
    edge("pod:shop/db", "CONTAINS", "container:shop/db/pg"),
    edge("pod:kube-system/agent", "CONTAINS", "container:kube-system/agent/agent"),
    // Deliberately pointing child → parent: templates must not depend on structural direction.
    edge("container:kube-system/metrics/m", "BELONGS_TO", "pod:kube-system/metrics"),
    edge("pod:shop/web", "RUNS_ON", "node:aks-1"),
    edge("pod:shop/cart", "RUNS_ON", "node:aks-1"),
    edge("pod:shop/db", "RUNS_ON", "node:aks-2"),
    edge("node:aks-1", "HOSTS", "pod:kube-system/agent"),
    edge("pod:kube-system/metrics", "RUNS_ON", "node:aks-2"),
    edge("container:shop/web/app", "IS_RUNNING", "image:acr.io/shop/web:1"),
    edge("container:shop/cart/app", "IS_RUNNING", "image:acr.io/shop/cart:2"),
    edge("container:shop/db/pg", "IS_RUNNING", "image:postgres:16"),
    edge("container:kube-system/agent/agent", "IS_RUNNING", "image:mcr.io/agent:3"),
    edge("container:kube-system/metrics/m", "IS_RUNNING", "image:mcr.io/agent:3"),
    edge("image:acr.io/shop/web:1", "HAS_VULNERABILITY", "vulnerability:CVE-1", { fixStatus: "fixed", fixedVersion: "1.2" }),
    edge("image:acr.io/shop/web:1", "HAS_VULNERABILITY", "vulnerability:CVE-2", { fixStatus: "not-fixed" }),
    edge("image:acr.io/shop/cart:2", "HAS_VULNERABILITY", "vulnerability:CVE-3"),
    edge("image:postgres:16", "HAS_VULNERABILITY", "vulnerability:CVE-4"),
    edge("image:postgres:16", "HAS_VULNERABILITY", "vulnerability:CVE-1", { fixStatus: "fixed", fixedVersion: "16.4" }),
    edge("image:mcr.io/agent:3", "HAS_VULNERABILITY", "vulnerability:CVE-5"),
    edge("container:shop/web/app", "VOLUME_DISCOVER", "volume:shop/web/token"),
    edge("container:kube-system/agent/agent", "VOLUME_DISCOVER", "volume:kube-system/agent/hostroot"),
    edge("volume:kube-system/agent/hostroot", "EXPLOIT_HOST_WRITE", "node:aks-1"),
    edge("container:shop/cart/app", "VOLUME_DISCOVER", "volume:shop/cart/varlog"),
    edge("volume:shop/cart/varlog", "EXPLOIT_HOST_READ", "node:aks-1"),
    edge("volume:kube-system/agent/hostroot", "EXPLOIT_HOST_READ", "node:aks-1"),
    edge("container:kube-system/agent/agent", "EXPLOIT_CONTAINERD_SOCK", "node:aks-1"),
    edge("container:shop/db/pg", "CE_PRIV_MOUNT", "node:aks-2"),
    edge("container:kube-system/agent/agent", "CE_PRIV_MOUNT", "node:aks-1"),
    edge("volume:shop/web/token", "TOKEN_STEAL", "identity:serviceaccount:shop/web"),
    edge("container:shop/web/app", "IDENTITY_ASSUME", "identity:serviceaccount:shop/web"),
    edge("identity:serviceaccount:shop/web", "CLOUD_IDENTITY_ASSUME", "cloudidentity:1111-2222"),
    edge("identity:serviceaccount:shop/web", "PERMISSION_DISCOVER", "permissionset:pod-admin::pa-binding"),
    edge("identity:serviceaccount:shop/cart", "PERMISSION_DISCOVER", "permissionset:shop/pod-exec::b2"),
    edge("identity:user:alice", "PERMISSION_DISCOVER", "permissionset:cluster-admin::admins"),
    edge("identity:group:ops", "PERMISSION_DISCOVER", "permissionset:superuser::ops"),
    edge("identity:group:ops", "PERMISSION_DISCOVER", "permissionset:view::viewers"),
    edge("permissionset:pod-admin::pa-binding", "POD_CREATE", "node:aks-1"),
    edge("permissionset:pod-admin::pa-binding", "POD_EXEC", "pod:shop/db"),
    edge("permissionset:shop/pod-exec::b2", "POD_EXEC", "pod:shop/web"),
    edge("permissionset:pod-admin::pa-binding", "TOKEN_LIST", "identity:serviceaccount:kube-system/agent"),
  ];
  return report(nodes, edges, {
    insights: [
      { kind: "internet-exposed", node: "pod:shop/web" },
      { kind: "internet-exposed", node: "pod:shop/cart" },
      { kind: "internet-exposed", node: "node:aks-1" },
      { kind: "privileged-container", node: "container:shop/db/pg" },
    ],
    chokePoints: [
      { node: "identity:serviceaccount:shop/web", pathsCut: 5 },
      { node: "node:aks-1", pathsCut: 2 },
      { node: "container:shop/db/pg", pathsCut: 7 },
    ],
    paths: [
      {
        id: "p1",
        title: "exposed pod to node",
        risk: "high",
        entry: "pod:shop/web",
        target: "node:aks-1",
        edges: [edge("pod:shop/web", "RUNS_ON", "node:aks-1")],
      },
    ],
  });
}
