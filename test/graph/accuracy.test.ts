// Edge accuracy against Kubernetes' and KubeHound's documented semantics: each case states the
// precondition that must hold and one that must not.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";
import {
  build, clusterRole, clusterRoleBinding, container, edgesOf, hasEdge, hostPathVolume, node, pod, role, roleBinding, rule, saSubject, service, snapshot,
} from "./builders.js";

const C = "container:default/p/app";
const N = "node:n1";

describe("CE_VAR_LOG_SYMLINK needs get on pods/log for the container's own identity", () => {
  const mk = (opts: { logs?: boolean; automount?: boolean; names?: string[] }) =>
    build(snapshot({
      nodes: [node("n1")],
      pods: [pod("p", {
        serviceAccountName: "logger", automountServiceAccountToken: opts.automount ?? true, volumes: [hostPathVolume("logs", "/var/log")],
        containers: [container("app", { securityContext: {}, volumeMounts: [{ name: "logs", mountPath: "/host/var/log", readOnly: false }] })],
      })],
      roles: [role("log-reader", "default", [rule(["get"], opts.logs === false ? ["pods"] : ["pods/log"], [""], opts.names ?? [])])],
      roleBindings: [roleBinding("logs", "default", { kind: "Role", name: "log-reader" }, [saSubject("logger")])],
    }));
  it("root + writable /var/log + token allowed to get pods/log → edge", () => {
    expect(hasEdge(mk({}), "CE_VAR_LOG_SYMLINK", C, N)).toBe(true);
    expect(hasEdge(mk({ names: ["p"] }), "CE_VAR_LOG_SYMLINK", C, N)).toBe(true);
  });
  it("no pods/log grant, a grant for another pod, or no mounted token → no edge", () => {
    expect(edgesOf(mk({ logs: false }), "CE_VAR_LOG_SYMLINK")).toEqual([]);
    expect(edgesOf(mk({ names: ["other"] }), "CE_VAR_LOG_SYMLINK")).toEqual([]);
    expect(edgesOf(mk({ automount: false }), "CE_VAR_LOG_SYMLINK")).toEqual([]);
  });
});

describe("EXPLOIT_HOST_READ only where node credentials are; kubelet pods dir is traverse only", () => {
  const mk = (path: string) =>
    build(snapshot({
      nodes: [node("n1")],
      pods: [
        pod("p", { volumes: [hostPathVolume("h", path)], containers: [container("app", { volumeMounts: [{ name: "h", mountPath: "/h", readOnly: true }] })] }),
        pod("q", { automountServiceAccountToken: true }),
      ],
    }));
  const V = "volume:default/p/h";
  it.each(["/", "/etc", "/root", "/home", "/proc", "/etc/kubernetes", "/home/azureuser/.ssh", "/var/lib/data/.ssh"])("%s read-only → EXPLOIT_HOST_READ", (path) => {
    expect(hasEdge(mk(path), "EXPLOIT_HOST_READ", V, N)).toBe(true);
  });
  it.each(["/var/lib/kubelet/pods", "/var/lib/kubelet", "/var/log", "/usr", "/var/lib/containerd"])("%s read-only → no EXPLOIT_HOST_READ", (path) => {
    expect(edgesOf(mk(path), "EXPLOIT_HOST_READ")).toEqual([]);
  });
  it("/var/lib/kubelet/pods reaches the other pods' token volumes (EXPLOIT_HOST_TRAVERSE)", () => {
    expect(hasEdge(mk("/var/lib/kubelet/pods", ), "EXPLOIT_HOST_TRAVERSE", V, "volume:default/q/kube-api-access")).toBe(true);
  });
});

describe("named container ports without a Service are cluster-internal endpoints", () => {
  const ported = container("app", { ports: [{ name: "metrics", containerPort: 9090, protocol: "TCP" }] });
  it("gives endpoint:NS/POD:NAME with ENDPOINT_EXPLOIT internet:false, never an entry", () => {
    const r = build(snapshot({ nodes: [node("n1", { externalIp: "20.1.1.1" })], pods: [pod("p", { containers: [ported] })] }));
    const ep = r.graph.nodes.find((n) => n.id === "endpoint:default/p:metrics");
    expect(ep?.properties).toMatchObject({ exposed: false, ownerKind: "pod", port: 9090 });
    expect(r.graph.edges.find((e) => e.kind === "ENDPOINT_EXPLOIT" && e.from === "endpoint:default/p:metrics")?.properties).toEqual({ internet: false });
    expect(r.paths.filter((p) => p.entry === "endpoint:default/p:metrics")).toEqual([]);
  });
  it("a port a Service routes to is the Service's endpoint only; unnamed ports stay unmodelled", () => {
    const served = build(snapshot({
      nodes: [node("n1")],
      pods: [pod("p", { labels: { app: "web" }, containers: [ported] })],
      services: [service("web", { ports: [{ name: "m", port: 80, targetPort: "metrics", protocol: "TCP" }] })],
    }));
    expect(served.graph.nodes.some((n) => n.id === "endpoint:default/p:metrics")).toBe(false);
    expect(served.graph.nodes.some((n) => n.id === "endpoint:default/web:m")).toBe(true);
    const unnamed = build(snapshot({ nodes: [node("n1")], pods: [pod("p", { containers: [container("app", { ports: [{ containerPort: 9090, protocol: "TCP" }] })] })] }));
    expect(unnamed.graph.nodes.filter((n) => n.kind === "endpoint")).toEqual([]);
  });
});

describe("nodes assume the system:nodes group identity", () => {
  it("without any binding naming the group", () => {
    const r = build(snapshot({ nodes: [node("n1")], pods: [pod("p")] }));
    expect(hasEdge(r, "IDENTITY_ASSUME", N, "identity:group:system:nodes")).toBe(true);
  });
  it("and hold what is bound to the group", () => {
    const r = build(snapshot({
      nodes: [node("n1")], roles: [clusterRole("node-secrets", [rule(["get", "list"], ["secrets"])])],
      roleBindings: [clusterRoleBinding("nodes-secrets", "node-secrets", [{ kind: "Group", name: "system:nodes" }])],
    }));
    expect(hasEdge(r, "PERMISSION_DISCOVER", "identity:group:system:nodes", "permissionset:node-secrets::nodes-secrets")).toBe(true);
  });
});

function manifests(yaml: string): Promise<ReturnType<typeof snapshotFromManifests> extends Promise<infer S> ? S : never> {
  const dir = mkdtempSync(join(tmpdir(), "vantage-accuracy-"));
  writeFileSync(join(dir, "m.yaml"), yaml);
  return snapshotFromManifests([dir], { clusterName: "offline", now: () => new Date(0) });
}

describe("offline, the API server's built-in ClusterRoles are known", () => {
  const binding = (roleName: string) => `apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ops}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${roleName}}
subjects: [{kind: ServiceAccount, name: ops, namespace: tools}]
`;
  it("a manifest binding cluster-admin yields a critical (cluster-admin-equivalent) permission set", async () => {
    const r = build(await manifests(binding("cluster-admin")));
    const ps = r.graph.nodes.find((n) => n.id === "permissionset:cluster-admin::ops");
    expect(ps?.properties.clusterAdmin).toBe(true);
    expect(r.warnings?.join("\n") ?? "").not.toMatch(/missing ClusterRole cluster-admin/);
  });
  it("edit is the aggregation of its system:aggregate-to-* roles: exec into pods, read secrets, impersonate service accounts, not bind roles", async () => {
    const r = build(await manifests(binding("edit") + `---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: app, image: nginx}]}
`));
    const ps = "permissionset:edit::ops";
    expect(r.graph.nodes.find((n) => n.id === ps)?.properties.clusterAdmin).toBe(false);
    expect(hasEdge(r, "POD_EXEC", ps, "pod:shop/web")).toBe(true);
    expect(hasEdge(r, "POD_CREATE", ps, "node:unscheduled")).toBe(true);
    expect(hasEdge(r, "IDENTITY_IMPERSONATE", ps, "identity:serviceaccount:shop/default")).toBe(true);
    expect(edgesOf(r, "ROLE_BIND")).toEqual([]);
  });
  it("view cannot read secrets or exec", async () => {
    const r = build(await manifests(binding("view") + `---
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: shop}
spec: {containers: [{name: app, image: nginx}]}
`));
    expect(edgesOf(r, "POD_EXEC")).toEqual([]);
    expect(edgesOf(r, "TOKEN_LIST")).toEqual([]);
  });
  it("a live snapshot lists its own roles: an undeclared cluster-admin there stays missing", () => {
    const r = build(snapshot({ roleBindings: [clusterRoleBinding("ops", "cluster-admin", [saSubject("ops", "tools")])] }));
    expect(r.graph.nodes.some((n) => n.kind === "permissionset")).toBe(false);
    expect(r.warnings?.join("\n")).toMatch(/missing ClusterRole cluster-admin/);
  });
});

describe("every workload kind that creates pods is modelled", () => {
  it("ReplicationController (core/v1) expands its template like a ReplicaSet, with no 'ignored' warning", async () => {
    const s = await manifests(`apiVersion: v1
kind: ReplicationController
metadata: {name: legacy, namespace: old}
spec:
  replicas: 2
  selector: {app: legacy}
  template:
    metadata: {labels: {app: legacy}}
    spec:
      containers: [{name: app, image: nginx, securityContext: {privileged: true}}]
`);
    expect(s.warnings.join("\n")).not.toMatch(/ignored/);
    expect(s.workloads.map((w) => [w.kind, w.meta.name, w.selector])).toEqual([["ReplicationController", "legacy", { matchLabels: { app: "legacy" } }]]);
    const r = build(s);
    expect(r.graph.nodes.find((n) => n.id === "pod:old/legacy")?.properties.workloadKind).toBe("ReplicationController");
    expect(hasEdge(r, "CE_PRIV_MOUNT", "container:old/legacy/app", "node:unscheduled")).toBe(true);
  });
});
