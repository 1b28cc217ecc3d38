import { describe, expect, it } from "vitest";
import { SnapshotBuilder } from "../../shared/kubernetes/normalize/builder.js";
import { normalizeObject } from "../../shared/kubernetes/normalize/objects.js";
import { digestFromImageId } from "../../shared/kubernetes/normalize/pod.js";
import type { PodInfo, RoleInfo, Snapshot } from "../../shared/kubernetes/model.js";

const DIGEST = "sha256:" + "ab".repeat(32);

function build(objects: unknown[], expandTemplates = false): Snapshot {
  const b = new SnapshotBuilder({ source: "live", cluster: { name: "t" }, collectedAt: "2025-01-01T00:00:00.000Z", expandTemplates });
  for (const o of objects) b.add(o);
  return b.build();
}

const pod = {
  apiVersion: "v1",
  kind: "Pod",
  metadata: {
    name: "web-7d9f-abcde",
    namespace: "shop",
    labels: { app: "web", "azure.workload.identity/use": "true", "pod-template-hash": "7d9f" },
    annotations: {
      "kubectl.kubernetes.io/last-applied-configuration": '{"env":"SECRET-IN-ANNOTATION"}',
      "container.apparmor.security.beta.kubernetes.io/web": "runtime/default",
      note: "kept",
    },
    ownerReferences: [{ apiVersion: "apps/v1", kind: "ReplicaSet", name: "web-7d9f", uid: "u1", controller: true }],
    managedFields: [{ manager: "kubectl" }],
    someFutureField: { nested: true },
  },
  spec: {
    nodeName: "node-1",
    serviceAccountName: "web",
    hostPID: true,
    securityContext: { runAsNonRoot: true, seccompProfile: { type: "Localhost", localhostProfile: "profiles/x.json" } },
    initContainers: [{ name: "init", image: "busybox:1.36" }],
    containers: [
      {
        name: "web",
        image: "nginx:1.25",
        futureField: 42,
        env: [
          { name: "PLAIN", value: "LITERAL-ENV-VALUE" },
          { name: "PW", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
          { name: "CFG", valueFrom: { configMapKeyRef: { name: "cfg", key: "level" } } },
          { name: "NS", valueFrom: { fieldRef: { fieldPath: "metadata.namespace" } } },
        ],
        envFrom: [{ secretRef: { name: "api-keys" } }, { configMapRef: { name: "settings" } }],
        ports: [{ containerPort: 8080, hostPort: 80 }],
        securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN"] }, runAsUser: 0 },
        volumeMounts: [{ name: "root", mountPath: "/host" }, { name: "tok", mountPath: "/var/run/secrets/tokens", readOnly: true }],
      },
    ],
    volumes: [
      { name: "root", hostPath: { path: "/", type: "Directory" } },
      { name: "tok", projected: { sources: [{ serviceAccountToken: { path: "token", audience: "api://AzureADTokenExchange", expirationSeconds: 3600 } }, { secret: { name: "extra" } }, { configMap: { name: "ca" } }] } },
      { name: "cache", emptyDir: {} },
      { name: "data", persistentVolumeClaim: { claimName: "data-0" } },
      { name: "weird", nfs: { server: "x", path: "/" } },
    ],
  },
  status: {
    phase: "Running",
    containerStatuses: [{ name: "web", imageID: `docker.io/library/nginx@${DIGEST}` }],
    initContainerStatuses: [{ name: "init", imageID: "" }],
  },
};

describe("normalization", () => {
  it("reads a Pod: security context, volumes, env refs only, digest, workload identity, stripped annotations", () => {
    const s = build([pod]);
    const p = s.pods[0]!;
    expect(p.meta.annotations).toEqual({ "container.apparmor.security.beta.kubernetes.io/web": "runtime/default", note: "kept" });
    expect(p.usesWorkloadIdentity).toBe(true);
    expect(p.hostPID).toBe(true);
    expect(p.securityContext).toEqual({ runAsNonRoot: true, seccompProfile: "Localhost:profiles/x.json" });
    const web = p.containers.find((c) => c.name === "web")!;
    expect(web.kind).toBe("container");
    expect(web.imageDigest).toBe(DIGEST);
    expect(web.securityContext).toMatchObject({ privileged: true, runAsUser: 0, capabilities: { add: ["SYS_ADMIN"], drop: [] }, appArmorProfile: "runtime/default" });
    expect(web.ports).toEqual([{ containerPort: 8080, hostPort: 80, protocol: "TCP" }]);
    expect(web.envSources).toEqual([
      { kind: "Secret", name: "db", key: "password" },
      { kind: "ConfigMap", name: "cfg", key: "level" },
      { kind: "Secret", name: "api-keys" },
      { kind: "ConfigMap", name: "settings" },
    ]);
    expect(p.containers.find((c) => c.name === "init")).toMatchObject({ kind: "init", image: "busybox:1.36" });
    expect(p.containers.find((c) => c.name === "init")!.imageDigest).toBeUndefined();
    expect(p.volumes.map((v) => v.type)).toEqual(["hostPath", "projected", "emptyDir", "persistentVolumeClaim", "other"]);
    expect(p.volumes[1]).toMatchObject({ serviceAccountToken: { path: "token", audience: "api://AzureADTokenExchange", expirationSeconds: 3600 }, projectedSecrets: ["extra"], projectedConfigMaps: ["ca"] });
    const json = JSON.stringify(s);
    expect(json).not.toContain("LITERAL-ENV-VALUE");
    expect(json).not.toContain("SECRET-IN-ANNOTATION");
    expect(json).not.toContain("managedFields");
    expect(json).not.toContain("futureField");
  });

  it("resolves Pod → ReplicaSet → Deployment and Pod → Job → CronJob through owner references", () => {
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-7d9f", namespace: "shop", ownerReferences: [{ kind: "Deployment", name: "web", controller: true }] }, spec: { template: { spec: { containers: [{ name: "a", image: "a" }] } } } };
    const job = { apiVersion: "batch/v1", kind: "Job", metadata: { name: "nightly-123", namespace: "shop", ownerReferences: [{ kind: "CronJob", name: "nightly", controller: true }] }, spec: { template: { spec: { containers: [{ name: "a", image: "a" }] } } } };
    const jobPod = { kind: "Pod", metadata: { name: "nightly-123-x", namespace: "shop", ownerReferences: [{ kind: "Job", name: "nightly-123", controller: true }] }, spec: { containers: [{ name: "a", image: "a" }] } };
    const dsPod = { kind: "Pod", metadata: { name: "agent-x", namespace: "kube-system", ownerReferences: [{ kind: "DaemonSet", name: "agent", controller: true }] }, spec: { containers: [{ name: "a", image: "a" }] } };
    const s = build([pod, rs, job, jobPod, dsPod]);
    const by = (n: string) => s.pods.find((p) => p.meta.name === n)!.workload;
    expect(by("web-7d9f-abcde")).toEqual({ kind: "Deployment", name: "web" });
    expect(by("nightly-123-x")).toEqual({ kind: "CronJob", name: "nightly" });
    expect(by("agent-x")).toEqual({ kind: "DaemonSet", name: "agent" });
    // ReplicaSet not visible: the Deployment is recognised by the pod-template-hash suffix.
    const dep = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: { spec: { containers: [{ name: "a", image: "a" }] } } } };
    expect(build([pod, dep]).pods[0]!.workload).toEqual({ kind: "Deployment", name: "web" });
    expect(build([pod]).pods[0]!.workload).toEqual({ kind: "ReplicaSet", name: "web-7d9f" });
  });

  it("resolves ClusterRole aggregation, transitively, and records the sources", () => {
    const roles = [
      { kind: "ClusterRole", metadata: { name: "admin" }, aggregationRule: { clusterRoleSelectors: [{ matchLabels: { "agg-to-admin": "true" } }] } },
      { kind: "ClusterRole", metadata: { name: "edit", labels: { "agg-to-admin": "true" } }, aggregationRule: { clusterRoleSelectors: [{ matchExpressions: [{ key: "agg-to-edit", operator: "Exists" }] }] }, rules: [{ verbs: ["create"], apiGroups: [""], resources: ["pods"] }] },
      { kind: "ClusterRole", metadata: { name: "secrets-reader", labels: { "agg-to-edit": "yes" } }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"] }] },
      { kind: "ClusterRole", metadata: { name: "unrelated", labels: { other: "true" } }, rules: [{ verbs: ["*"], apiGroups: ["*"], resources: ["*"] }] },
    ];
    const s = build(roles);
    const role = (n: string) => s.roles.find((r) => r.meta.name === n) as RoleInfo;
    expect(role("edit").rules.map((r) => r.resources[0])).toEqual(["pods", "secrets"]);
    expect(role("admin").rules.map((r) => r.resources[0]).sort()).toEqual(["pods", "secrets"]);
    expect(role("admin").aggregatedFrom).toEqual(["edit"]);
    expect(role("unrelated").rules).toHaveLength(1);
    // Already-aggregated rules (as a live API server returns them) are not duplicated.
    const again = build([{ ...roles[1], rules: [...roles[1]!.rules!, { verbs: ["get"], apiGroups: [""], resources: ["secrets"] }] }, roles[2]]);
    expect(again.roles[0]!.rules).toHaveLength(2);
  });

  it("reads every other kind, tolerating unknown fields and missing optional ones", () => {
    const s = build([
      { apiVersion: "v1", kind: "Node", metadata: { name: "n1", labels: { "kubernetes.azure.com/agentpool": "public" } }, spec: { providerID: "azure:///x", taints: [{ key: "k", effect: "NoSchedule" }], unschedulable: true }, status: { addresses: [{ type: "ExternalIP", address: "20.1.2.3" }], nodeInfo: { kubeletVersion: "v1.29.7" }, futureStatus: 1 } },
      { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" }, status: { phase: "Active" } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "lb", namespace: "shop", annotations: { "service.beta.kubernetes.io/azure-load-balancer-internal": "true" } }, spec: { type: "LoadBalancer", selector: { app: "web" }, ports: [{ port: 80, targetPort: "http" }], loadBalancerSourceRanges: ["10.0.0.0/8"] }, status: { loadBalancer: { ingress: [{ ip: "10.1.1.1" }] } } },
      { apiVersion: "v1", kind: "Service", metadata: { name: "plain" } },
      { apiVersion: "discovery.k8s.io/v1", kind: "EndpointSlice", metadata: { name: "lb-x", namespace: "shop", labels: { "kubernetes.io/service-name": "lb" } }, addressType: "IPv4", endpoints: [{ addresses: ["10.244.0.5"], conditions: { ready: true }, nodeName: "n1", targetRef: { kind: "Pod", name: "web-1", namespace: "shop" } }], ports: [{ name: "http", port: 8080, protocol: "TCP" }] },
      { apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "web", namespace: "shop" }, spec: { ingressClassName: "nginx", defaultBackend: { service: { name: "web", port: { number: 80 } } }, rules: [{ host: "a.example", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { name: "http" } } } }] } }], tls: [{ hosts: ["a.example"], secretName: "tls" }] } },
      { apiVersion: "extensions/v1beta1", kind: "Ingress", metadata: { name: "old", namespace: "shop", annotations: { "kubernetes.io/ingress.class": "nginx" } }, spec: { backend: { serviceName: "web", servicePort: 80 } } },
      { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "deny", namespace: "shop" }, spec: { podSelector: {}, egress: [{ to: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] }] } },
      { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "ml", namespace: "ml", annotations: { "azure.workload.identity/client-id": "7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", "azure.workload.identity/tenant-id": "t" } }, automountServiceAccountToken: false },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "r", namespace: "shop" }, rules: [{ verbs: ["get"], apiGroups: [""], resources: ["secrets"], resourceNames: ["db"] }] },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "rb", namespace: "shop" }, roleRef: { kind: "Role", name: "r" }, subjects: [{ kind: "ServiceAccount", name: "web" }, { kind: "User", name: "alice" }] },
      { apiVersion: "rbac.authorization.k8s.io/v1", kind: "ClusterRoleBinding", metadata: { name: "crb" }, roleRef: { kind: "ClusterRole", name: "cluster-admin" }, subjects: [{ kind: "Group", name: "ops" }] },
      { apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "v" }, webhooks: [{ name: "a.b", failurePolicy: "Ignore", clientConfig: { service: { namespace: "gk", name: "svc" } }, rules: [{}, {}] }] },
      { apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name: "m" }, webhooks: [{ name: "c.d", clientConfig: { url: "https://x" } }] },
      { apiVersion: "batch/v1beta1", kind: "CronJob", metadata: { name: "cj", namespace: "shop" }, spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "c:1" }] } } } } } },
      { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cfg" }, data: { password: "CONFIGMAP-VALUE" } },
      { apiVersion: "example.com/v1", kind: "Widget", metadata: { name: "w" }, spec: {} },
    ]);
    expect(s.nodes[0]).toMatchObject({ addresses: [{ type: "ExternalIP", address: "20.1.2.3" }], kubeletVersion: "v1.29.7", providerID: "azure:///x", unschedulable: true, taints: [{ key: "k", effect: "NoSchedule" }] });
    expect(s.nodes[0]!.meta.namespace).toBeUndefined();
    expect(s.namespaces[0]).toMatchObject({ phase: "Active" });
    expect(s.services[0]).toMatchObject({ type: "LoadBalancer", internal: true, loadBalancerIngress: [{ ip: "10.1.1.1" }], ports: [{ port: 80, targetPort: "http", protocol: "TCP" }], loadBalancerSourceRanges: ["10.0.0.0/8"] });
    expect(s.services[1]).toMatchObject({ type: "ClusterIP", internal: false, meta: { namespace: "default" }, ports: [], selector: {} });
    expect(s.endpointSlices[0]).toMatchObject({ serviceName: "lb", endpoints: [{ addresses: ["10.244.0.5"], ready: true, nodeName: "n1", targetRef: { kind: "Pod", name: "web-1" } }] });
    expect(s.ingresses[0]).toMatchObject({ ingressClassName: "nginx", defaultBackend: { serviceName: "web", servicePort: 80 }, rules: [{ host: "a.example", paths: [{ path: "/", serviceName: "web", servicePort: "http" }] }], tls: [{ hosts: ["a.example"], secretName: "tls" }] });
    expect(s.ingresses[1]).toMatchObject({ ingressClassName: "nginx", defaultBackend: { serviceName: "web", servicePort: 80 } });
    expect(s.networkPolicies[0]).toMatchObject({ podSelector: {}, policyTypes: ["Ingress", "Egress"], egress: [{ peers: [{ ipBlock: { cidr: "0.0.0.0/0", except: ["10.0.0.0/8"] } }], ports: [{ port: 443 }] }] });
    expect(s.serviceAccounts[0]).toMatchObject({ automountServiceAccountToken: false, workloadIdentity: { clientId: "7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", tenantId: "t" } });
    expect(s.roles[0]).toMatchObject({ kind: "Role", rules: [{ verbs: ["get"], resourceNames: ["db"], nonResourceURLs: [] }] });
    expect(s.roleBindings[0]!.subjects).toEqual([{ kind: "ServiceAccount", name: "web", namespace: "shop" }, { kind: "User", name: "alice" }]);
    expect(s.roleBindings[1]).toMatchObject({ kind: "ClusterRoleBinding", roleRef: { kind: "ClusterRole", name: "cluster-admin" } });
    expect(s.webhooks[0]!.webhooks[0]).toEqual({ name: "a.b", failurePolicy: "Ignore", service: "gk/svc", rules: 2 });
    expect(s.webhooks[1]!.webhooks[0]).toMatchObject({ url: "https://x", rules: 0 });
    expect(s.workloads[0]).toMatchObject({ kind: "CronJob", schedule: "*/5 * * * *", serviceAccountName: "default" });
    expect(JSON.stringify(s)).not.toContain("CONFIGMAP-VALUE");
    expect(s.warnings.join()).toContain("ConfigMap (1)");
  });

  it("keeps Secret key names and type, never values", () => {
    const s = build([
      { apiVersion: "v1", kind: "Secret", metadata: { name: "db", namespace: "shop" }, type: "Opaque", data: { password: Buffer.from("VANTAGE-SECRET-MARKER").toString("base64") }, stringData: { user: "VANTAGE-SECRET-MARKER" } },
      { apiVersion: "meta.k8s.io/v1", kind: "Secret", metadata: { name: "sa-token", namespace: "shop", annotations: { "kubernetes.io/service-account.name": "web" } } },
    ]);
    expect(s.secrets[0]).toMatchObject({ type: "Opaque", keys: ["password", "user"] });
    expect(s.secrets[1]).toMatchObject({ type: "kubernetes.io/service-account-token" });
    expect(s.secrets[1]!.keys).toBeUndefined();
    expect(JSON.stringify(s)).not.toContain("VANTAGE-SECRET-MARKER");
    expect(JSON.stringify(s)).not.toContain(Buffer.from("VANTAGE-SECRET-MARKER").toString("base64"));
  });

  it("rejects malformed known objects with the path of the problem", () => {
    const bad = (o: unknown) => () => normalizeObject(o);
    expect(bad({ kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c", image: 5 }] } })).toThrow(/spec\.containers\[0\]\.image: expected a string, got number 5/);
    expect(bad({ kind: "Pod", metadata: { name: "p" }, spec: { containers: "nope" } })).toThrow(/spec\.containers: expected a list/);
    expect(bad({ kind: "Pod", metadata: { name: "p" }, spec: {} })).toThrow(/spec\.containers: at least one container/);
    expect(bad({ kind: "Deployment", metadata: { name: "d" }, spec: {} })).toThrow(/spec\.template\.spec: pod template is missing/);
    expect(bad({ kind: "Service", metadata: {} })).toThrow(/metadata\.name: required string is missing/);
    expect(bad({ kind: "RoleBinding", metadata: { name: "b" }, roleRef: { kind: "Rolez", name: "x" } })).toThrow(/roleRef\.kind/);
    expect(bad({ metadata: { name: "x" } })).toThrow(/kind: required string is missing/);
  });

  it("extracts digests from the imageID forms runtimes report", () => {
    expect(digestFromImageId(`docker-pullable://repo/x@${DIGEST}`)).toBe(DIGEST);
    expect(digestFromImageId(DIGEST)).toBe(DIGEST);
    expect(digestFromImageId("repo:tag")).toBeUndefined();
    expect(digestFromImageId(undefined)).toBeUndefined();
  });

  it("expands templates only when asked, and never a child whose controller is in the input", () => {
    const dep = { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "a", image: "a:1" }] } } } };
    const rs = { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-123", namespace: "shop", ownerReferences: [{ kind: "Deployment", name: "web", controller: true }] }, spec: { template: { spec: { containers: [{ name: "a", image: "a:1" }] } } } };
    expect(build([dep, rs]).pods).toHaveLength(0);
    const pods = build([dep, rs], true).pods as PodInfo[];
    expect(pods.map((p) => p.meta.name)).toEqual(["web"]);
    expect(pods[0]).toMatchObject({ fromTemplate: true, nodeName: "unscheduled", workload: { kind: "Deployment", name: "web" }, meta: { labels: { app: "web" } } });
  });
});
