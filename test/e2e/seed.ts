// A small, realistic pipeline state for the dashboard tests, written through the real repositories:
// one subscription, three clusters (bound / unbindable / failed), two images with findings, and
// one cluster graph with two attack paths.
import type { ClusterRecord, SubscriptionRecord } from "../../shared/azure/model.js";
import type { AttackPath, GraphEdge, GraphNode, NodeKind, PathsReport } from "../../shared/graph/model.js";
import type { Finding, Severity } from "../../shared/scanner/model.js";
import type { Dependencies } from "../../shared/workflows/dependencies.js";
import { CONTAINERS, type FindingRecord, type GraphMeta, type ImageRecord, type PathRecord } from "../../shared/workflows/state.js";

export const SUBSCRIPTION = "11111111-1111-4111-8111-111111111111";
const RG = `/subscriptions/${SUBSCRIPTION}/resourcegroups/rg-aks/providers/microsoft.containerservice/managedclusters`;
const HOUR = 3_600_000;
const at = (hoursAgo: number) => new Date(Date.now() - hoursAgo * HOUR).toISOString();

function cluster(name: string, over: Partial<ClusterRecord>): ClusterRecord {
  return {
    id: `${RG}/${name}`, name, subscriptionId: SUBSCRIPTION, resourceGroup: "rg-aks", location: "westeurope",
    kubernetesVersion: "1.29.4", privateCluster: false, authorizedIpRanges: [], publicApiServer: true,
    aadManaged: true, azureRbac: true, localAccountsDisabled: true, nodePools: [{ name: "system", count: 2, nodePublicIp: false }],
    workloadIdentityEnabled: true, state: "bound", strategy: "azure-rbac", ...over,
  };
}

export const CLUSTERS: ClusterRecord[] = [
  cluster("aks-prod", { lastSnapshotAt: at(1) }),
  cluster("aks-private", {
    state: "unbindable", privateCluster: true, publicApiServer: false, kubernetesVersion: "1.28.9",
    reason: "The API server is private and this deployment has no network path to it.",
    remediation: "Deploy Vantage with VNet integration into the cluster's virtual network.",
  }),
  cluster("aks-legacy", {
    state: "failed", aadManaged: false, azureRbac: false, localAccountsDisabled: false, kubernetesVersion: "1.26.3",
    reason: "Azure RBAC for Kubernetes is disabled, so a role assignment cannot grant read access.",
    remediation: "az aks update --enable-azure-rbac -g rg-aks -n aks-legacy",
  }),
];

export const IMAGE_WEB = `sha256:${"a1".repeat(32)}`;
export const IMAGE_AGENT = `sha256:${"b2".repeat(32)}`;

function finding(id: string, severity: Severity, pkg: string, version: string, over: Partial<Finding["exploitability"]> = {}, fixed: string | null = null): Finding {
  return {
    id, aliases: [], severity, fixStatus: fixed ? "fixed" : "not-fixed", fixedVersion: fixed, advisories: [id],
    package: { name: pkg, version, type: "deb", purl: `pkg:deb/debian/${pkg}@${version}` },
    exploitability: { knownExploited: false, epss: null, epssPercentile: null, publicExploit: false, remoteCodeExecution: false, ...over },
  };
}

const FINDINGS: Record<string, Finding[]> = {
  [IMAGE_WEB]: [
    finding("CVE-2024-6387", "critical", "openssh-server", "1:9.2p1-2", { knownExploited: true, epss: 0.912, remoteCodeExecution: true }, "1:9.2p1-2+deb12u3"),
    finding("CVE-2023-38545", "critical", "curl", "7.88.1-10", { epss: 0.23, remoteCodeExecution: true }, "7.88.1-10+deb12u4"),
    finding("CVE-2023-4911", "high", "libc6", "2.36-9", { knownExploited: true, epss: 0.74 }, "2.36-9+deb12u3"),
    finding("CVE-2022-48303", "low", "tar", "1.34+dfsg-1.2"),
  ],
  [IMAGE_AGENT]: [finding("CVE-2023-29383", "low", "passwd", "1:4.13+dfsg1-1")],
};

function counts(fs: Finding[]): ImageRecord["counts"] {
  const c = { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, knownExploited: 0 };
  for (const f of fs) {
    c[f.severity]++;
    if (f.exploitability.knownExploited) c.knownExploited++;
  }
  return c;
}

const IMAGES: ImageRecord[] = [
  { digest: IMAGE_WEB, refs: ["contoso.azurecr.io/shop/web:1.4.2"], registry: "contoso.azurecr.io", repository: "shop/web", os: "debian 12", packages: 143, scannedAt: at(2), counts: counts(FINDINGS[IMAGE_WEB]) },
  { digest: IMAGE_AGENT, refs: ["mcr.microsoft.com/oss/agent:3.1", "contoso.azurecr.io/mirror/agent:3.1"], os: "debian 12", packages: 88, scannedAt: at(3), counts: counts(FINDINGS[IMAGE_AGENT]) },
];

function node(id: string, properties: Record<string, unknown> = {}, namespace?: string): GraphNode {
  const kind = id.slice(0, id.indexOf(":")) as NodeKind;
  const rest = id.slice(id.indexOf(":") + 1);
  const name = kind === "image" || kind === "vulnerability" ? rest : rest.slice(rest.lastIndexOf("/") + 1).split(":").pop()!;
  return { id, kind, name, ...(namespace ? { namespace } : {}), properties };
}
const edge = (from: string, kind: string, to: string): GraphEdge => ({ kind, from, to });

const N = {
  endpoint: "endpoint:shop/web:http",
  pod: "pod:shop/web",
  container: "container:shop/web/app",
  sa: "identity:serviceaccount:shop/web",
  perms: "permissionset:pod-admin::pod-admin-binding",
  node: "node:aks-nodepool1-0",
  agentPod: "pod:kube-system/agent",
  agent: "container:kube-system/agent/agent",
  image: "image:contoso.azurecr.io/shop/web:1.4.2",
  vuln: "vulnerability:CVE-2024-6387",
};

/** The paths the tests draw: the first has 5 nodes and 4 edges. */
export const PATHS: AttackPath[] = [
  {
    id: "p-web-to-node", title: "Internet-exposed pod with an RCE vulnerability can create pods on any node", risk: "critical",
    entry: N.endpoint, target: N.node,
    edges: [edge(N.endpoint, "ENDPOINT_EXPLOIT", N.container), edge(N.container, "IDENTITY_ASSUME", N.sa), edge(N.sa, "PERMISSION_DISCOVER", N.perms), edge(N.perms, "POD_CREATE", N.node)],
    fix: { text: "Remove the pods/create permission from the shop/web service account (ClusterRoleBinding pod-admin-binding).", object: N.perms, field: "rules" },
  },
  {
    id: "p-agent-escape", title: "Privileged container can mount the node's filesystem", risk: "high",
    entry: N.agent, target: N.node, edges: [edge(N.agent, "CE_PRIV_MOUNT", N.node)],
    fix: { text: "Run the agent without securityContext.privileged.", object: N.agent, field: "spec.containers[agent].securityContext.privileged" },
  },
];

export const REPORT: PathsReport = {
  graph: {
    nodes: [
      node("cluster:aks-prod"), node(N.endpoint, { port: 8080, exposure: "LoadBalancer" }, "shop"),
      node(N.pod, { hostNetwork: false, serviceAccountName: "web" }, "shop"),
      node(N.container, { privileged: false, image: "contoso.azurecr.io/shop/web:1.4.2", runAsRoot: true }, "shop"),
      node(N.sa, { automountToken: true }, "shop"), node(N.perms, { clusterAdmin: false, verbs: ["create", "get"], resources: ["pods"] }),
      node(N.node, { kubeletVersion: "v1.29.4" }), node(N.agentPod, { hostNetwork: true }, "kube-system"),
      node(N.agent, { privileged: true, image: "mcr.microsoft.com/oss/agent:3.1" }, "kube-system"),
      node(N.image, { digest: IMAGE_WEB }), node(N.vuln, { severity: "critical", knownExploited: true, remoteCodeExecution: true }),
    ],
    edges: [
      edge(N.pod, "CONTAINS", N.container), edge(N.agentPod, "CONTAINS", N.agent), edge(N.container, "RUNS_IMAGE", N.image),
      edge(N.image, "HAS_VULNERABILITY", N.vuln), edge(N.pod, "RUNS_ON", N.node), edge(N.agentPod, "RUNS_ON", N.node),
      ...PATHS.flatMap((p) => p.edges),
    ],
  },
  insights: [
    { kind: "internet-exposed", node: N.pod, severity: "high", evidence: "Service shop/web of type LoadBalancer" },
    { kind: "vulnerable-to-rce", node: N.container, severity: "critical", evidence: "CVE-2024-6387 in openssh-server" },
  ],
  paths: PATHS,
  chokePoints: [{ node: N.sa, pathsCut: 1 }],
};

export async function seedEstate(deps: Dependencies): Promise<void> {
  const { state } = deps;
  const subscription: SubscriptionRecord = {
    subscriptionId: SUBSCRIPTION, state: "onboarded", lastRunAt: at(1),
    identity: { resourceId: `/subscriptions/${SUBSCRIPTION}/resourcegroups/vantage-operator/providers/microsoft.managedidentity/userassignedidentities/vantage-posture-operator`, clientId: "0f9d7c1e-2b4a-4c8e-9a51-3d2e6f7a8b90", principalId: "5c2f3a1b-7d8e-4f90-a1b2-c3d4e5f60718" },
  };
  await state.subscriptions.upsert("subscription", SUBSCRIPTION, subscription);
  for (const c of CLUSTERS) await state.clusters.upsert(SUBSCRIPTION, c.id, c);
  for (const i of IMAGES) await state.images.upsert("image", i.digest, i);
  for (const [digest, fs] of Object.entries(FINDINGS)) {
    for (const f of fs) {
      const record: FindingRecord = { ...f, digest, firstSeen: at(24), lastSeen: at(2) };
      await state.findings.upsert(digest, `${f.id}|${f.package.purl}`, record);
    }
  }
  const prod = CLUSTERS[0];
  const blob = await state.blobs.putJson(CONTAINERS.graphs, "clusters/e2e", REPORT);
  const meta: GraphMeta = {
    clusterId: prod.id, clusterName: prod.name, builtAt: at(1), blob, nodes: REPORT.graph.nodes.length, edges: REPORT.graph.edges.length,
    paths: PATHS.length, insights: REPORT.insights, incomplete: false, truncated: false, imageDigests: [IMAGE_WEB, IMAGE_AGENT], exposedImageDigests: [IMAGE_WEB],
  };
  await state.graphs.upsert("graph", prod.id, meta);
  for (const p of PATHS) {
    const record: PathRecord = { ...p, clusterId: prod.id, clusterName: prod.name, firstSeen: at(30), lastSeen: at(1) };
    await state.paths.upsert(prod.id, p.id, record);
  }
}
