// Every control has a negative fixture (the hardened estate passes it, or it is honestly not
// applicable/assessed) and a positive one (a single change makes exactly that resource fail).
import { describe, expect, it } from "vitest";
import type { ClusterFacts, RegistryFacts } from "../../shared/azure/model.js";
import { CATALOG } from "../../shared/posture/catalog.js";
import { evaluatePosture } from "../../shared/posture/evaluate.js";
import type { PostureOptions } from "../../shared/posture/model.js";
import { HARDENED_CLUSTER, HARDENED_REGISTRY, hardenedEstate, snapshotOf, withDeployment } from "./fixtures.js";

type Obj = Record<string, any>;
const OPTIONS: PostureOptions = { trustedRegistries: ["contoso.azurecr.io"], supportedKubernetesVersions: ["1.30", "1.31", "1.32"], allowedServicePorts: ["80", "443"] };
/** Controls that by nature can never be assessed from configuration. */
const NEVER_ASSESSED = new Set(["VANTAGE-AKS-AUDIT-LOGS", "VANTAGE-AKS-CNI-VERSION", "VANTAGE-K8S-EXTERNAL-SECRET-STORAGE", ...CATALOG.filter((c) => c.id.startsWith("VANTAGE-AKS-CIS-3-")).map((c) => c.id)]);

function run(objects: Obj[], cluster: Partial<ClusterFacts> = {}, registries: RegistryFacts[] = [HARDENED_REGISTRY], options: Partial<PostureOptions> = {}) {
  const snapshot = snapshotOf(objects, { ...HARDENED_CLUSTER, ...cluster });
  return evaluatePosture({ snapshot, registries, options: { ...OPTIONS, ...options } });
}

interface Case {
  objects?: Obj[];
  cluster?: Partial<ClusterFacts>;
  registries?: RegistryFacts[];
  /** The failing resource's name (and container). */
  resource: string;
}

const dep = (m: (d: Obj, p: Obj, c: Obj) => void): Obj[] => withDeployment(m);
const rbac = (rules: Obj[], name = "bad"): Obj[] => [
  ...hardenedEstate(),
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRole", metadata: { name }, rules },
  { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: `${name}-binding` }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name }, subjects: [{ kind: "ServiceAccount", name: "api", namespace: "shop" }] },
];

const POSITIVE: Record<string, Case> = {
  "VANTAGE-K8S-PRIVILEGED": { objects: dep((_d, _p, c) => (c.securityContext.privileged = true)), resource: "api/api" },
  "VANTAGE-K8S-ALLOW-PRIVILEGE-ESCALATION": { objects: dep((_d, _p, c) => delete c.securityContext.allowPrivilegeEscalation), resource: "api/api" },
  "VANTAGE-K8S-RUN-AS-ROOT": { objects: dep((_d, p) => (p.securityContext = { seccompProfile: { type: "RuntimeDefault" } })), resource: "api/api" },
  "VANTAGE-K8S-RUN-AS-NON-ROOT": { objects: dep((_d, p) => delete p.securityContext.runAsNonRoot), resource: "api/api" },
  "VANTAGE-K8S-RUN-AS-USER-ZERO": { objects: dep((_d, _p, c) => (c.securityContext.runAsUser = 0)), resource: "api/api" },
  "VANTAGE-K8S-ADDED-CAPABILITIES": { objects: dep((_d, _p, c) => (c.securityContext.capabilities.add = ["NET_BIND_SERVICE"])), resource: "api/api" },
  "VANTAGE-K8S-DANGEROUS-CAPABILITIES": { objects: dep((_d, _p, c) => (c.securityContext.capabilities.add = ["NET_ADMIN"])), resource: "api/api" },
  "VANTAGE-K8S-CAP-SYS-ADMIN": { objects: dep((_d, _p, c) => (c.securityContext.capabilities.add = ["CAP_SYS_ADMIN"])), resource: "api/api" },
  "VANTAGE-K8S-CAPABILITIES-BASELINE": { objects: dep((_d, _p, c) => (c.securityContext.capabilities.add = ["SYS_TIME"])), resource: "api/api" },
  "VANTAGE-K8S-CAPABILITIES-DROP-ALL": { objects: dep((_d, _p, c) => (c.securityContext.capabilities.drop = ["NET_RAW"])), resource: "api/api" },
  "VANTAGE-K8S-READ-ONLY-ROOT-FILESYSTEM": { objects: dep((_d, _p, c) => (c.securityContext.readOnlyRootFilesystem = false)), resource: "api/api" },
  "VANTAGE-K8S-RESOURCE-LIMITS": { objects: dep((_d, _p, c) => delete c.resources.limits.memory), resource: "api/api" },
  "VANTAGE-K8S-TRUSTED-REGISTRIES": { objects: dep((_d, _p, c) => (c.image = "docker.io/library/nginx:1.27")), resource: "api/api" },
  "VANTAGE-K8S-RUNTIME-SOCKET": { objects: dep((_d, p) => p.volumes.push({ name: "sock", hostPath: { path: "/run/containerd/containerd.sock" } })), resource: "api" },
  "VANTAGE-K8S-SENSITIVE-HOST-PATH": { objects: dep((_d, p) => p.volumes.push({ name: "etc", hostPath: { path: "/etc" } })), resource: "api" },
  "VANTAGE-K8S-HOST-PATH": { objects: dep((_d, p) => p.volumes.push({ name: "data", hostPath: { path: "/srv/data" } })), resource: "api" },
  "VANTAGE-K8S-HOST-PORT": { objects: dep((_d, _p, c) => (c.ports[0].hostPort = 8080)), resource: "api/api" },
  "VANTAGE-K8S-HOST-PID": { objects: dep((_d, p) => (p.hostPID = true)), resource: "api" },
  "VANTAGE-K8S-HOST-IPC": { objects: dep((_d, p) => (p.hostIPC = true)), resource: "api" },
  "VANTAGE-K8S-HOST-NETWORK": { objects: dep((_d, p) => (p.hostNetwork = true)), resource: "api" },
  "VANTAGE-K8S-APPARMOR": { objects: dep((_d, _p, c) => (c.securityContext.appArmorProfile = { type: "Unconfined" })), resource: "api/api" },
  "VANTAGE-K8S-SELINUX": { objects: dep((_d, p) => (p.securityContext.seLinuxOptions = { type: "spc_t" })), resource: "api/api" },
  "VANTAGE-K8S-PROC-MOUNT": { objects: dep((_d, _p, c) => (c.securityContext.procMount = "Unmasked")), resource: "api/api" },
  "VANTAGE-K8S-SECCOMP-UNCONFINED": { objects: dep((_d, _p, c) => (c.securityContext.seccompProfile = { type: "Unconfined" })), resource: "api/api" },
  "VANTAGE-K8S-SECCOMP-REQUIRED": { objects: dep((_d, p) => delete p.securityContext.seccompProfile), resource: "api/api" },
  "VANTAGE-K8S-UNSAFE-SYSCTLS": { objects: dep((_d, p) => (p.securityContext.sysctls = [{ name: "kernel.msgmax", value: "65536" }])), resource: "api" },
  "VANTAGE-K8S-VOLUME-TYPES": { objects: dep((_d, p) => p.volumes.push({ name: "share", nfs: { server: "10.0.0.5", path: "/exports" } })), resource: "api" },
  "VANTAGE-K8S-HOST-PROCESS": { objects: dep((_d, p) => (p.securityContext.windowsOptions = { hostProcess: true })), resource: "api" },
  "VANTAGE-K8S-TOKEN-AUTOMOUNT": { objects: dep((_d, p) => delete p.automountServiceAccountToken).map((o) => (o.kind === "ServiceAccount" && o.metadata.name === "api" ? { ...o, automountServiceAccountToken: undefined } : o)), resource: "api" },
  "VANTAGE-K8S-SECRETS-IN-ENV": { objects: dep((_d, _p, c) => (c.env = [{ name: "PASSWORD", valueFrom: { secretKeyRef: { name: "api-creds", key: "password" } } }])), resource: "api/api" },
  "VANTAGE-K8S-DEFAULT-NAMESPACE": { objects: dep((d) => (d.metadata.namespace = "default")), resource: "api" },
  "VANTAGE-K8S-SECURITY-CONTEXT": { objects: dep((_d, p, c) => { delete p.securityContext; delete c.securityContext; }), resource: "api/api" },
  "VANTAGE-K8S-NAMESPACE-NETWORK-POLICY": { objects: hardenedEstate().filter((o) => o.kind !== "NetworkPolicy"), resource: "shop" },
  "VANTAGE-K8S-DEFAULT-SERVICE-ACCOUNT": { objects: hardenedEstate().map((o) => (o.kind === "ServiceAccount" && o.metadata.name === "default" ? { ...o, automountServiceAccountToken: true } : o)), resource: "default" },
  "VANTAGE-K8S-NAMESPACE-BOUNDARIES": { objects: dep((d) => (d.metadata.namespace = "default")).filter((o) => o.kind === "Deployment"), resource: "aks1" },
  "VANTAGE-K8S-SERVICE-PORTS": {
    objects: [...hardenedEstate(), { apiVersion: "v1", kind: "Service", metadata: { name: "redis", namespace: "shop" }, spec: { selector: { app: "api" }, ports: [{ port: 6379 }] } }],
    resource: "redis",
  },
  "VANTAGE-K8S-INGRESS-TLS": { objects: hardenedEstate().map((o) => (o.kind === "Ingress" ? { ...o, spec: { ...o.spec, tls: [] } } : o)), resource: "api" },
  "VANTAGE-K8S-RBAC-CLUSTER-ADMIN": {
    objects: [...hardenedEstate(), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "ops-admin" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }] }],
    resource: "ops-admin",
  },
  "VANTAGE-K8S-RBAC-SECRETS-ACCESS": { objects: rbac([{ apiGroups: [""], resources: ["secrets"], verbs: ["list"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-WILDCARDS": { objects: rbac([{ apiGroups: ["apps"], resources: ["*"], verbs: ["get"] }]), resource: "bad" },
  "VANTAGE-K8S-RBAC-POD-CREATE": { objects: rbac([{ apiGroups: [""], resources: ["pods"], verbs: ["create"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-NODES-PROXY": { objects: rbac([{ apiGroups: [""], resources: ["nodes/proxy"], verbs: ["get"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-CSR-APPROVAL": { objects: rbac([{ apiGroups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"], verbs: ["update"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-WEBHOOK-CONFIG": { objects: rbac([{ apiGroups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"], verbs: ["patch"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-TOKEN-CREATE": { objects: rbac([{ apiGroups: [""], resources: ["serviceaccounts/token"], verbs: ["create"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-BIND-ESCALATE-IMPERSONATE": { objects: rbac([{ apiGroups: [""], resources: ["users"], verbs: ["impersonate"] }]), resource: "bad-binding" },
  "VANTAGE-K8S-RBAC-SYSTEM-MASTERS": {
    objects: [...hardenedEstate(), { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "masters" }, roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" }, subjects: [{ kind: "Group", name: "system:masters" }] }],
    resource: "masters",
  },
  "VANTAGE-AKS-RBAC-ENABLED": { cluster: { enableRBAC: false }, resource: "aks1" },
  "VANTAGE-AKS-ENTRA-ID": { cluster: { aadManaged: false }, resource: "aks1" },
  "VANTAGE-AKS-AZURE-RBAC": { cluster: { azureRbac: false }, resource: "aks1" },
  "VANTAGE-AKS-LOCAL-ACCOUNTS": { cluster: { localAccountsDisabled: false }, resource: "aks1" },
  "VANTAGE-AKS-API-SERVER-ACCESS": { cluster: { privateCluster: false, authorizedIpRanges: ["0.0.0.0/0"] }, resource: "aks1" },
  "VANTAGE-AKS-PRIVATE-CLUSTER": { cluster: { privateCluster: false, authorizedIpRanges: ["203.0.113.0/24"] }, resource: "aks1" },
  "VANTAGE-AKS-NODE-PUBLIC-IP": { cluster: { nodePools: [{ name: "web", nodePublicIp: true }] }, resource: "aks1" },
  "VANTAGE-AKS-NETWORK-POLICY-ENGINE": { cluster: { networkPolicy: "none" }, resource: "aks1" },
  "VANTAGE-AKS-KMS": { cluster: { kmsEnabled: false }, resource: "aks1" },
  "VANTAGE-AKS-DEFENDER-PROFILE": { cluster: { defenderEnabled: false }, resource: "aks1" },
  "VANTAGE-AKS-AZURE-POLICY": { cluster: { azurePolicyEnabled: false }, resource: "aks1" },
  "VANTAGE-AKS-AUTO-UPGRADE": { cluster: { upgradeChannel: "none" }, resource: "aks1" },
  "VANTAGE-AKS-SUPPORTED-VERSION": { cluster: { kubernetesVersion: "1.26.3" }, resource: "aks1" },
  "VANTAGE-AKS-ACR-ADMIN-USER": { registries: [{ ...HARDENED_REGISTRY, adminUserEnabled: true }], resource: "contoso" },
  "VANTAGE-AKS-ACR-PUBLIC-NETWORK": { registries: [{ ...HARDENED_REGISTRY, publicNetworkAccess: "Enabled" }], resource: "contoso" },
};

describe("posture controls", () => {
  const hardened = run(hardenedEstate());

  it("the hardened estate passes every control that can be assessed", () => {
    const bad = hardened.controls.filter((c) => !(c.status === "pass" || c.status === "not-applicable" || (c.status === "not-assessed" && NEVER_ASSESSED.has(c.id))));
    expect(bad.map((c) => `${c.id} ${c.status} ${c.failed.map((f) => f.detail).join("; ")} ${c.reason ?? ""}`)).toEqual([]);
    expect(hardened.score).toBe(100);
  });

  it("every assessable control has a positive fixture", () => {
    expect(CATALOG.map((c) => c.id).filter((id) => !NEVER_ASSESSED.has(id) && !POSITIVE[id])).toEqual([]);
  });

  for (const [id, c] of Object.entries(POSITIVE)) {
    it(`${id} fails on its positive fixture, naming the resource and a fix`, () => {
      const report = run(c.objects ?? hardenedEstate(), c.cluster, c.registries);
      const result = report.controls.find((r) => r.id === id)!;
      expect(result.status).toBe("fail");
      expect(result.failed.map((f) => [f.resource.name, f.resource.container].filter(Boolean).join("/"))).toContain(c.resource);
      for (const f of result.failed) expect(f.fix.length).toBeGreaterThan(10);
      expect(report.score).toBeLessThan(100);
    });
  }

  it("CIS section 3 is listed, not assessed, never passed", () => {
    const s3 = hardened.controls.filter((c) => c.references.cisAks?.startsWith("3."));
    expect(s3.length).toBe(15);
    for (const c of s3) expect([c.status, c.reason]).toEqual(["not-assessed", expect.stringMatching(/node/)]);
  });

  it("offline manifests leave cluster controls not assessed instead of passing them", () => {
    const report = evaluatePosture({ snapshot: snapshotOf(hardenedEstate()), options: OPTIONS });
    const arm = report.controls.filter((x) => x.id.startsWith("VANTAGE-AKS-"));
    expect(arm.length).toBeGreaterThan(15);
    for (const c of arm) expect([c.id, c.status]).toEqual([c.id, "not-assessed"]);
  });

  it("the same check backs the graph insight and the control (privileged, host path)", async () => {
    const { buildSecurityGraph } = await import("../../shared/graph/index.js");
    const objects = dep((_d, p, c) => {
      c.securityContext.privileged = true;
      p.volumes.push({ name: "kubelet", hostPath: { path: "/var/lib/kubelet" } });
    });
    const snapshot = snapshotOf(objects, HARDENED_CLUSTER);
    const graph = buildSecurityGraph(snapshot, []);
    const report = evaluatePosture({ snapshot, options: OPTIONS });
    const insightKinds = new Set(graph.insights.map((i) => i.kind));
    expect(insightKinds.has("privileged-container")).toBe(report.controls.find((c) => c.id === "VANTAGE-K8S-PRIVILEGED")!.status === "fail");
    expect(insightKinds.has("sensitive-host-path")).toBe(report.controls.find((c) => c.id === "VANTAGE-K8S-SENSITIVE-HOST-PATH")!.status === "fail");
    expect(insightKinds.has("privileged-container")).toBe(true);
  });
});
