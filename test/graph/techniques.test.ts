// One positive and one negative precondition per attack technique.
import { describe, expect, it } from "vitest";
import { TECHNIQUES } from "../../shared/graph/index.js";
import {
  build, clusterRole, clusterRoleBinding, container, edgesOf, finding, hasEdge, hostPathVolume, node, pod, role, roleBinding, rule,
  saSubject, secret, service, serviceAccount, snapshot,
} from "./builders.js";

const C = "container:default/p/app";
const N = "node:n1";

describe("technique registry", () => {
  it("has every KubeHound technique of docs/graph.md plus Vantage's own, each documented", () => {
    const kinds = TECHNIQUES.map((t) => t.kind);
    for (const k of ["CE_MODULE_LOAD", "CE_PRIV_MOUNT", "CE_NSENTER", "CE_SYS_PTRACE", "CE_UMH_CORE_PATTERN", "CE_VAR_LOG_SYMLINK", "EXPLOIT_HOST_READ", "EXPLOIT_HOST_WRITE", "EXPLOIT_HOST_TRAVERSE", "EXPLOIT_CONTAINERD_SOCK", "IDENTITY_ASSUME", "IDENTITY_IMPERSONATE", "PERMISSION_DISCOVER", "POD_ATTACH", "CONTAINER_ATTACH", "VOLUME_DISCOVER", "VOLUME_ACCESS", "POD_CREATE", "POD_EXEC", "POD_PATCH", "TOKEN_LIST", "TOKEN_BRUTEFORCE", "TOKEN_STEAL", "ROLE_BIND", "SHARE_PS_NAMESPACE", "ENDPOINT_EXPLOIT", "EXPLOIT_RCE_VULNERABILITY", "HOST_NETWORK_EXPOSED", "CLOUD_IDENTITY_ASSUME", "NODE_CLUSTER_ADMIN", "IMAGE_VULNERABLE"]) {
      expect(kinds).toContain(k);
    }
    expect(new Set(kinds).size).toBe(kinds.length);
    for (const t of TECHNIQUES) expect(t.precondition.length && t.description.length && t.fix.length).toBeGreaterThan(10);
  });
});

describe("container escapes (container → node)", () => {
  const one = (c: Parameters<typeof container>[1], p: Parameters<typeof pod>[1] = {}) =>
    build(snapshot({ nodes: [node("n1")], pods: [pod("p", { containers: [container("app", c)], ...p })] }));

  it("CE_MODULE_LOAD: SYS_MODULE or privileged, not other capabilities", () => {
    expect(hasEdge(one({ securityContext: { capabilities: { add: ["CAP_SYS_MODULE"], drop: [] } } }), "CE_MODULE_LOAD", C, N)).toBe(true);
    expect(hasEdge(one({ securityContext: { privileged: true } }), "CE_MODULE_LOAD", C, N)).toBe(true);
    expect(edgesOf(one({ securityContext: { capabilities: { add: ["NET_ADMIN"], drop: [] } } }), "CE_MODULE_LOAD")).toEqual([]);
  });
  it("CE_PRIV_MOUNT: privileged only", () => {
    expect(hasEdge(one({ securityContext: { privileged: true } }), "CE_PRIV_MOUNT", C, N)).toBe(true);
    expect(edgesOf(one({ securityContext: { privileged: false, capabilities: { add: ["SYS_ADMIN"], drop: [] } } }), "CE_PRIV_MOUNT")).toEqual([]);
  });
  it("CE_NSENTER: privileged and hostPID together", () => {
    expect(hasEdge(one({ securityContext: { privileged: true } }, { hostPID: true }), "CE_NSENTER", C, N)).toBe(true);
    expect(edgesOf(one({ securityContext: { privileged: true } }), "CE_NSENTER")).toEqual([]);
    expect(edgesOf(one({}, { hostPID: true }), "CE_NSENTER")).toEqual([]);
  });
  it("CE_SYS_PTRACE: hostPID with SYS_PTRACE and SYS_ADMIN", () => {
    const both = { securityContext: { capabilities: { add: ["SYS_PTRACE", "SYS_ADMIN"], drop: [] } } };
    expect(hasEdge(one(both, { hostPID: true }), "CE_SYS_PTRACE", C, N)).toBe(true);
    expect(edgesOf(one({ securityContext: { capabilities: { add: ["SYS_PTRACE"], drop: [] } } }, { hostPID: true }), "CE_SYS_PTRACE")).toEqual([]);
    expect(edgesOf(one(both), "CE_SYS_PTRACE")).toEqual([]);
  });
  it("CE_UMH_CORE_PATTERN: writable host /proc (or parent), not read-only or unrelated", () => {
    const mk = (path: string, readOnly: boolean) =>
      one({ volumeMounts: [{ name: "h", mountPath: "/host", readOnly }] }, { volumes: [hostPathVolume("h", path)] });
    expect(hasEdge(mk("/proc", false), "CE_UMH_CORE_PATTERN", C, N)).toBe(true);
    expect(hasEdge(mk("/proc/sys/kernel", false), "CE_UMH_CORE_PATTERN", C, N)).toBe(true);
    expect(edgesOf(mk("/proc", true), "CE_UMH_CORE_PATTERN")).toEqual([]);
    expect(edgesOf(mk("/procs", false), "CE_UMH_CORE_PATTERN")).toEqual([]);
  });
  it("CE_VAR_LOG_SYMLINK: root with writable /var/log (and a token that may get pods/log)", () => {
    const mk = (sc: object) =>
      build(snapshot({
        nodes: [node("n1")],
        pods: [pod("p", { automountServiceAccountToken: true, volumes: [hostPathVolume("logs", "/var/log")], containers: [container("app", { securityContext: sc, volumeMounts: [{ name: "logs", mountPath: "/host/var/log", readOnly: false }] })] })],
        roles: [role("logs", "default", [rule(["get"], ["pods/log"])])],
        roleBindings: [roleBinding("logs", "default", { kind: "Role", name: "logs" }, [saSubject("default")])],
      }));
    expect(hasEdge(mk({ runAsUser: 0 }), "CE_VAR_LOG_SYMLINK", C, N)).toBe(true);
    expect(hasEdge(mk({}), "CE_VAR_LOG_SYMLINK", C, N)).toBe(true);
    expect(edgesOf(mk({ runAsNonRoot: true }), "CE_VAR_LOG_SYMLINK")).toEqual([]);
  });
});

describe("host path exploits", () => {
  const mk = (path: string, readOnly: boolean) =>
    build(snapshot({ nodes: [node("n1")], pods: [pod("p", { volumes: [hostPathVolume("h", path)], containers: [container("app", { volumeMounts: [{ name: "h", mountPath: "/h", readOnly }] })] }), pod("q", { automountServiceAccountToken: true })] }));
  const V = "volume:default/p/h";
  it("EXPLOIT_HOST_READ: sensitive path mounted read-only only", () => {
    expect(hasEdge(mk("/etc", true), "EXPLOIT_HOST_READ", V, N)).toBe(true);
    expect(edgesOf(mk("/etc", false), "EXPLOIT_HOST_READ")).toEqual([]);
    expect(edgesOf(mk("/data/cache", true), "EXPLOIT_HOST_READ")).toEqual([]);
  });
  it("EXPLOIT_HOST_WRITE: sensitive path mounted writable", () => {
    expect(hasEdge(mk("/", false), "EXPLOIT_HOST_WRITE", V, N)).toBe(true);
    expect(edgesOf(mk("/", true), "EXPLOIT_HOST_WRITE")).toEqual([]);
    expect(edgesOf(mk("/tmp/x", false), "EXPLOIT_HOST_WRITE")).toEqual([]);
  });
  it("EXPLOIT_HOST_TRAVERSE: kubelet pods dir (or parent) → other pods' token volumes on the node", () => {
    expect(hasEdge(mk("/var/lib/kubelet", true), "EXPLOIT_HOST_TRAVERSE", V, "volume:default/q/kube-api-access")).toBe(true);
    expect(edgesOf(mk("/var/log", true), "EXPLOIT_HOST_TRAVERSE")).toEqual([]);
  });
  it("EXPLOIT_CONTAINERD_SOCK: runtime socket (even read-only) → other containers on the node", () => {
    expect(hasEdge(mk("/run/containerd/containerd.sock", true), "EXPLOIT_CONTAINERD_SOCK", C, "container:default/q/app")).toBe(true);
    expect(hasEdge(mk("/var/run", true), "EXPLOIT_CONTAINERD_SOCK", C, "container:default/q/app")).toBe(true);
    expect(edgesOf(mk("/var/run/secrets-x", true), "EXPLOIT_CONTAINERD_SOCK")).toEqual([]);
  });
});

describe("identity and token techniques", () => {
  it("IDENTITY_ASSUME: automounted token, not when automount is off", () => {
    const on = build(snapshot({ pods: [pod("p", { automountServiceAccountToken: true, serviceAccountName: "web" })], serviceAccounts: [serviceAccount("web")] }));
    expect(hasEdge(on, "IDENTITY_ASSUME", C, "identity:serviceaccount:default/web")).toBe(true);
    const saOff = build(snapshot({ pods: [pod("p", { automountServiceAccountToken: undefined, serviceAccountName: "web" })], serviceAccounts: [serviceAccount("web", "default", { automountServiceAccountToken: false })] }));
    expect(edgesOf(saOff, "IDENTITY_ASSUME")).toEqual([]);
  });
  it("TOKEN_STEAL: token volume → its service account; VOLUME_DISCOVER and VOLUME_ACCESS reach it", () => {
    const r = build(snapshot({ nodes: [node("n1")], pods: [pod("p", { automountServiceAccountToken: true })] }));
    const tv = "volume:default/p/kube-api-access";
    expect(hasEdge(r, "TOKEN_STEAL", tv, "identity:serviceaccount:default/default")).toBe(true);
    expect(hasEdge(r, "VOLUME_DISCOVER", C, tv)).toBe(true);
    expect(hasEdge(r, "VOLUME_ACCESS", N, tv)).toBe(true);
    const off = build(snapshot({ nodes: [node("n1")], pods: [pod("p")] }));
    expect(edgesOf(off, "TOKEN_STEAL")).toEqual([]);
  });
  it("POD_ATTACH and CONTAINER_ATTACH follow placement", () => {
    const r = build(snapshot({ nodes: [node("n1"), node("n2")], pods: [pod("p")] }));
    expect(hasEdge(r, "POD_ATTACH", N, "pod:default/p")).toBe(true);
    expect(hasEdge(r, "POD_ATTACH", "node:n2", "pod:default/p")).toBe(false);
    expect(hasEdge(r, "CONTAINER_ATTACH", "pod:default/p", C)).toBe(true);
  });
  it("SHARE_PS_NAMESPACE: only with shareProcessNamespace", () => {
    const cs = [container("app"), container("side")];
    expect(hasEdge(build(snapshot({ pods: [pod("p", { shareProcessNamespace: true, containers: cs })] })), "SHARE_PS_NAMESPACE", C, "container:default/p/side")).toBe(true);
    expect(edgesOf(build(snapshot({ pods: [pod("p", { containers: cs })] })), "SHARE_PS_NAMESPACE")).toEqual([]);
  });
});

describe("RBAC techniques", () => {
  const withRole = (rules: ReturnType<typeof rule>[], namespaced = false, extra: Parameters<typeof snapshot>[0] = {}) =>
    build(snapshot({
      nodes: [node("n1")],
      pods: [pod("p"), pod("other", { namespace: "kube-system" })],
      serviceAccounts: [serviceAccount("attacker"), serviceAccount("admin-sa", "kube-system")],
      roles: [namespaced ? role("r", "default", rules) : clusterRole("r", rules), clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"])])],
      roleBindings: [
        namespaced ? roleBinding("rb", "default", { kind: "Role", name: "r" }, [saSubject("attacker")]) : clusterRoleBinding("rb", "r", [saSubject("attacker")]),
        clusterRoleBinding("admins", "cluster-admin", [saSubject("admin-sa", "kube-system")]),
      ],
      ...extra,
    }));
  const PS = "permissionset:r::rb";
  const NPS = "permissionset:default/r::rb";

  it("PERMISSION_DISCOVER: subject → its permission set", () => {
    const r = withRole([rule(["get"], ["pods"])]);
    expect(hasEdge(r, "PERMISSION_DISCOVER", "identity:serviceaccount:default/attacker", PS)).toBe(true);
    expect(hasEdge(r, "PERMISSION_DISCOVER", "identity:serviceaccount:default/attacker", "permissionset:cluster-admin::admins")).toBe(false);
  });
  it("POD_CREATE: create pods → every node; not with get only", () => {
    expect(hasEdge(withRole([rule(["create"], ["pods"])], true), "POD_CREATE", NPS, N)).toBe(true);
    expect(edgesOf(withRole([rule(["get", "list"], ["pods"])]), "POD_CREATE").filter((e) => e.from === PS)).toEqual([]);
  });
  it("POD_EXEC: pods/exec in scope only; plain pods is not enough", () => {
    const ns = withRole([rule(["create"], ["pods/exec"])], true);
    expect(hasEdge(ns, "POD_EXEC", NPS, "pod:default/p")).toBe(true);
    expect(hasEdge(ns, "POD_EXEC", NPS, "pod:kube-system/other")).toBe(false);
    expect(edgesOf(withRole([rule(["create"], ["pods"])]), "POD_EXEC").filter((e) => e.from === PS)).toEqual([]);
  });
  it("POD_PATCH: patch/update pods honouring resourceNames", () => {
    const r = withRole([rule(["patch"], ["pods"], [""], ["p"])]);
    expect(hasEdge(r, "POD_PATCH", PS, "pod:default/p")).toBe(true);
    expect(hasEdge(r, "POD_PATCH", PS, "pod:kube-system/other")).toBe(false);
  });
  it("TOKEN_LIST / TOKEN_BRUTEFORCE: list vs get on secrets, targeting token secrets", () => {
    const secrets = [secret("admin-token", "kube-system", "kubernetes.io/service-account-token", { "kubernetes.io/service-account.name": "admin-sa" })];
    const list = withRole([rule(["list"], ["secrets"])], false, { secrets });
    expect(hasEdge(list, "TOKEN_LIST", PS, "identity:serviceaccount:kube-system/admin-sa")).toBe(true);
    expect(edgesOf(list, "TOKEN_BRUTEFORCE").filter((e) => e.from === PS)).toEqual([]);
    const get = withRole([rule(["get"], ["secrets"])], false, { secrets });
    expect(hasEdge(get, "TOKEN_BRUTEFORCE", PS, "identity:serviceaccount:kube-system/admin-sa")).toBe(true);
    expect(edgesOf(get, "TOKEN_LIST").filter((e) => e.from === PS)).toEqual([]);
    const nsOnly = withRole([rule(["list"], ["secrets"])], true, { secrets });
    expect(edgesOf(nsOnly, "TOKEN_LIST").filter((e) => e.from === NPS)).toEqual([]);
  });
  it("IDENTITY_IMPERSONATE: impersonate users/groups cluster-wide; a namespaced binding cannot", () => {
    const extra = { roleBindings: [clusterRoleBinding("rb", "r", [saSubject("attacker")]), clusterRoleBinding("admins", "cluster-admin", [{ kind: "Group" as const, name: "system:masters" }])] };
    const r = withRole([rule(["impersonate"], ["groups"])], false, extra);
    expect(hasEdge(r, "IDENTITY_IMPERSONATE", PS, "identity:group:system:masters")).toBe(true);
    const limited = withRole([rule(["impersonate"], ["groups"], [""], ["devs"])], false, extra);
    expect(edgesOf(limited, "IDENTITY_IMPERSONATE").filter((e) => e.from === PS)).toEqual([]);
  });
  it("ROLE_BIND: create bindings + bind on the role; create alone is not enough", () => {
    const rb = "rbac.authorization.k8s.io";
    const r = withRole([rule(["create"], ["clusterrolebindings"], [rb]), rule(["bind"], ["clusterroles"], [rb], ["cluster-admin"])]);
    expect(hasEdge(r, "ROLE_BIND", PS, "permissionset:cluster-admin::admins")).toBe(true);
    expect(edgesOf(withRole([rule(["create"], ["clusterrolebindings"], [rb])]), "ROLE_BIND").filter((e) => e.from === PS)).toEqual([]);
    expect(edgesOf(withRole([rule(["create"], ["clusterrolebindings"], [rb]), rule(["bind"], ["clusterroles"], [rb], ["view"])]), "ROLE_BIND").filter((e) => e.from === PS)).toEqual([]);
    // escalate works like bind for the RBAC escalation check
    expect(hasEdge(withRole([rule(["create"], ["clusterrolebindings"], [rb]), rule(["escalate"], ["clusterroles"], [rb])]), "ROLE_BIND", PS, "permissionset:cluster-admin::admins")).toBe(true);
  });
});

describe("Vantage's own edges", () => {
  it("ENDPOINT_EXPLOIT and EXPLOIT_RCE_VULNERABILITY: public LB → container; RCE edge needs an RCE finding", () => {
    const s = snapshot({ nodes: [node("n1")], pods: [pod("p", { labels: { app: "web" } })], services: [service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] })] });
    const rce = build(s, [{ ref: "docker.io/library/nginx:1.25", findings: [finding("CVE-1", { rce: true })] }]);
    expect(hasEdge(rce, "ENDPOINT_EXPLOIT", "endpoint:default/web:http", C)).toBe(true);
    expect(hasEdge(rce, "EXPLOIT_RCE_VULNERABILITY", "endpoint:default/web:http", C)).toBe(true);
    const norce = build(s, [{ ref: "nginx:1.25", findings: [finding("CVE-2", { rce: false })] }]);
    expect(edgesOf(norce, "EXPLOIT_RCE_VULNERABILITY")).toEqual([]);
  });
  it("HOST_NETWORK_EXPOSED: hostNetwork on a node with a public IP only", () => {
    const mk = (ip?: string) => build(snapshot({ nodes: [node("n1", { externalIp: ip })], pods: [pod("p", { hostNetwork: true })] }));
    expect(hasEdge(mk("20.1.1.1"), "HOST_NETWORK_EXPOSED", N, C)).toBe(true);
    expect(edgesOf(mk("10.1.1.1"), "HOST_NETWORK_EXPOSED")).toEqual([]);
    expect(edgesOf(mk(), "HOST_NETWORK_EXPOSED")).toEqual([]);
  });
  it("CLOUD_IDENTITY_ASSUME: workload identity client id and kubelet identity", () => {
    const s = snapshot({
      cluster: { name: "aks1", kubeletIdentity: { clientId: "kubelet-cid" }, workloadIdentityEnabled: true },
      nodes: [node("n1")], serviceAccounts: [serviceAccount("wi", "default", { workloadIdentity: { clientId: "wi-cid" } }), serviceAccount("plain")],
    });
    const r = build(s);
    expect(hasEdge(r, "CLOUD_IDENTITY_ASSUME", "identity:serviceaccount:default/wi", "cloudidentity:wi-cid")).toBe(true);
    expect(hasEdge(r, "CLOUD_IDENTITY_ASSUME", N, "cloudidentity:kubelet-cid")).toBe(true);
    expect(edgesOf(r, "CLOUD_IDENTITY_ASSUME").some((e) => e.from.endsWith("/plain"))).toBe(false);
    const off = build({ ...s, cluster: { name: "aks1", workloadIdentityEnabled: false } });
    expect(edgesOf(off, "CLOUD_IDENTITY_ASSUME")).toEqual([]);
  });
  it("NODE_CLUSTER_ADMIN: node running a pod with an automounted cluster-admin token; not otherwise", () => {
    const base = {
      nodes: [node("n1"), node("n2")], serviceAccounts: [serviceAccount("agent", "kube-system")],
      roles: [clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"])])], roleBindings: [clusterRoleBinding("agent-admin", "cluster-admin", [saSubject("agent", "kube-system")])],
    };
    const r = build(snapshot({ ...base, pods: [pod("agent", { namespace: "kube-system", serviceAccountName: "agent", automountServiceAccountToken: true })] }));
    expect(hasEdge(r, "NODE_CLUSTER_ADMIN", N, "cluster:aks1")).toBe(true);
    expect(hasEdge(r, "NODE_CLUSTER_ADMIN", "node:n2", "cluster:aks1")).toBe(false);
    const off = build(snapshot({ ...base, pods: [pod("agent", { namespace: "kube-system", serviceAccountName: "agent", automountServiceAccountToken: false })] }));
    expect(edgesOf(off, "NODE_CLUSTER_ADMIN")).toEqual([]);
  });
  it("SECRET_ACCESS: RBAC get with resourceNames, volumes and env refs", () => {
    const r = build(snapshot({
      pods: [pod("p", { volumes: [{ name: "s", type: "secret", secretName: "db" }], containers: [container("app", { envSources: [{ kind: "Secret", name: "api" }], volumeMounts: [{ name: "s", mountPath: "/s", readOnly: true }] })] })],
      secrets: [secret("db"), secret("api"), secret("other")], roles: [role("r", "default", [rule(["get"], ["secrets"], [""], ["db"])])],
      roleBindings: [roleBinding("rb", "default", { kind: "Role", name: "r" }, [saSubject("x")])],
    }));
    expect(hasEdge(r, "SECRET_ACCESS", "volume:default/p/s", "secret:default/db")).toBe(true);
    expect(hasEdge(r, "SECRET_ACCESS", C, "secret:default/api")).toBe(true);
    expect(hasEdge(r, "SECRET_ACCESS", "permissionset:default/r::rb", "secret:default/db")).toBe(true);
    expect(hasEdge(r, "SECRET_ACCESS", "permissionset:default/r::rb", "secret:default/other")).toBe(false);
  });
  it("IMAGE_VULNERABLE: image → vulnerability from joined findings only", () => {
    const s = snapshot({ pods: [pod("p")] });
    const r = build(s, [{ ref: "nginx:1.25", findings: [finding("CVE-9")] }, { ref: "redis:7", findings: [finding("CVE-8")] }]);
    expect(hasEdge(r, "IMAGE_VULNERABLE", "image:docker.io/library/nginx:1.25", "vulnerability:CVE-9")).toBe(true);
    expect(r.graph.nodes.some((n) => n.id === "vulnerability:CVE-8")).toBe(false);
    expect(hasEdge(r, "IS_RUNNING", C, "image:docker.io/library/nginx:1.25")).toBe(true);
  });
});
