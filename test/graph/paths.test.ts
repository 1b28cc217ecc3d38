import { describe, expect, it } from "vitest";
import { DEFENDER_TITLES } from "../../shared/graph/index.js";
import {
  build, clusterRole, clusterRoleBinding, container, finding, node, pod, role, roleBinding, rule, saSubject, service, serviceAccount, snapshot,
} from "./builders.js";

const rceImage = [{ ref: "nginx:1.25", findings: [finding("CVE-2024-0001", { rce: true })] }];
const lb = service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] });

describe("Defender's Kubernetes attack paths", () => {
  it("Internet exposed Kubernetes pod is running a container with RCE vulnerabilities", () => {
    const r = build(snapshot({ nodes: [node("n1")], pods: [pod("p", { labels: { app: "web" } })], services: [lb] }), rceImage);
    const p = r.paths.find((x) => x.title === DEFENDER_TITLES.exposedPodRce);
    expect(p).toBeDefined();
    expect(p!.entry).toBe("endpoint:default/web:http");
    expect(p!.target).toBe("container:default/p/app");
    expect(p!.edges.map(({ kind, from, to }) => ({ kind, from, to }))).toEqual([{ kind: "EXPLOIT_RCE_VULNERABILITY", from: "endpoint:default/web:http", to: "container:default/p/app" }]);
    expect(p!.risk).toBe("high");
    expect(p!.fix).toEqual({
      text: "Pod default/p: rebuild docker.io/library/nginx:1.25 with the fixed packages (openssl → 1.1 (CVE-2024-0001)) and update spec.containers[app].image",
      object: "pod:default/p", field: "spec.containers[app].image",
    });
    // No RCE finding: no Defender path.
    const clean = build(snapshot({ nodes: [node("n1")], pods: [pod("p", { labels: { app: "web" } })], services: [lb] }), [{ ref: "nginx:1.25", findings: [finding("CVE-X")] }]);
    expect(clean.paths.some((x) => x.title === DEFENDER_TITLES.exposedPodRce)).toBe(false);
  });
  it("Kubernetes pod running on an internet exposed node uses host network is running a container with RCE vulnerabilities", () => {
    const s = snapshot({ nodes: [node("n1", { externalIp: "20.5.5.5" })], pods: [pod("p", { hostNetwork: true })] });
    const p = build(s, rceImage).paths.find((x) => x.title === DEFENDER_TITLES.hostNetworkRce);
    expect(p).toBeDefined();
    expect(p!.entry).toBe("node:n1");
    expect(p!.edges.map(({ kind, from, to }) => ({ kind, from, to }))).toEqual([{ kind: "HOST_NETWORK_EXPOSED", from: "node:n1", to: "container:default/p/app" }]);
    expect(p!.edges[0]!.evidence).toEqual([
      "pod default/p: hostNetwork: true", "node n1: ExternalIP 20.5.5.5",
      "CVE-2024-0001 (CVSS 9.8, EPSS 0.9, not in KEV, fixed in 1.1) in openssl of docker.io/library/nginx:1.25",
    ]);
    const privateNode = snapshot({ nodes: [node("n1")], pods: [pod("p", { hostNetwork: true })] });
    expect(build(privateNode, rceImage).paths.some((x) => x.title === DEFENDER_TITLES.hostNetworkRce)).toBe(false);
  });
});

describe("multi-hop paths, risk and fixes", () => {
  const escapeToAdmin = () => snapshot({
    cluster: { name: "aks1", kubeletIdentity: { clientId: "kubelet-cid" } },
    nodes: [node("n1")],
    pods: [
      pod("p", { labels: { app: "web" }, containers: [container("app", { securityContext: { privileged: true } })] }),
      pod("agent", { namespace: "kube-system", serviceAccountName: "agent", automountServiceAccountToken: true }),
    ],
    services: [lb],
    serviceAccounts: [serviceAccount("agent", "kube-system")],
    roles: [clusterRole("cluster-admin", [rule(["*"], ["*"], ["*"])])],
    roleBindings: [clusterRoleBinding("agent-admin", "cluster-admin", [saSubject("agent", "kube-system")])],
  });
  it("internet + RCE + crown jewel is critical; escape → node → agent token → cluster admin", () => {
    const r = build(escapeToAdmin(), rceImage);
    const toAdmin = r.paths.find((p) => p.target === "permissionset:cluster-admin::agent-admin");
    expect(toAdmin).toBeDefined();
    expect(toAdmin!.risk).toBe("critical");
    expect(toAdmin!.edges[0]!.kind).toBe("EXPLOIT_RCE_VULNERABILITY");
    expect(toAdmin!.edges.some((e) => e.kind.startsWith("CE_") && e.to === "node:n1")).toBe(true);
    expect(toAdmin!.title).toMatch(/^Internet exposed Kubernetes pod is running a container with RCE vulnerabilities that can obtain cluster-admin/);
    const toNode = r.paths.find((p) => p.target === "node:n1")!;
    expect(toNode.edges.length).toBe(2);
    // consecutive edges chain
    for (const p of r.paths) for (let i = 1; i < p.edges.length; i++) expect(p.edges[i]!.from).toBe(p.edges[i - 1]!.to);
    // ids stable and unique
    expect(new Set(r.paths.map((p) => p.id)).size).toBe(r.paths.length);
    expect(build(escapeToAdmin(), rceImage).paths.map((p) => p.id)).toEqual(r.paths.map((p) => p.id));
  });
  it("without the RCE finding the same path is high, not critical", () => {
    const r = build(escapeToAdmin());
    const toAdmin = r.paths.find((p) => p.target === "permissionset:cluster-admin::agent-admin")!;
    expect(toAdmin.risk).toBe("high");
    expect(toAdmin.edges[0]!.kind).toBe("ENDPOINT_EXPLOIT");
  });
  it("reaches the kubelet cloud identity and a workload identity", () => {
    const s = escapeToAdmin();
    s.serviceAccounts.push(serviceAccount("wi", "default", { workloadIdentity: { clientId: "wi-cid" } }));
    s.pods.push(pod("wi-pod", { serviceAccountName: "wi", automountServiceAccountToken: true, labels: { app: "web" }, containers: [container("app", { image: "busybox:1.36" })] }));
    const r = build(s, rceImage);
    const kubelet = r.paths.find((p) => p.target === "cloudidentity:kubelet-cid")!;
    expect(kubelet.edges.at(-1)!.kind).toBe("CLOUD_IDENTITY_ASSUME");
    const wi = r.paths.find((p) => p.target === "cloudidentity:wi-cid")!;
    expect(wi.edges.map((e) => e.kind)).toEqual(["ENDPOINT_EXPLOIT", "IDENTITY_ASSUME", "CLOUD_IDENTITY_ASSUME"]);
    expect(wi.title).toBe("Internet exposed Kubernetes pod can obtain an Azure managed identity token");
  });
  it("choke points count the member paths each intermediate node cuts, sorted; the fix removing the most classes comes first", () => {
    const r = build(escapeToAdmin(), rceImage);
    expect(r.chokePoints.length).toBeGreaterThan(0);
    for (let i = 1; i < r.chokePoints.length; i++) expect(r.chokePoints[i - 1]!.pathsCut).toBeGreaterThanOrEqual(r.chokePoints[i]!.pathsCut);
    const top = r.chokePoints[0]!;
    expect(top.pathsCut).toBe(r.paths.filter((p) => p.edges.slice(1).some((e) => e.from === top.node)).length);
    expect(["container:default/p/app", "node:n1"]).toContain(top.node);
    // Dropping privileged breaks every route through the escape: each class whose members all escape.
    const best = r.fixes[0]!;
    expect(best).toMatchObject({ object: "pod:default/p", field: "spec.containers[app].securityContext.privileged" });
    const escaping = r.pathClasses.filter((c) => c.paths.every((id) => r.paths.find((p) => p.id === id)!.edges.some((e) => e.kind === "CE_PRIV_MOUNT" || e.kind === "CE_MODULE_LOAD")));
    expect(best.classesCut).toBe(escaping.length);
    expect(escaping.length).toBeGreaterThan(2);
    const multi = r.paths.find((p) => p.edges.length > 2)!;
    expect(multi.fix).toEqual({ text: best.text, object: best.object, field: best.field });
  });
});

describe("bounds, partial snapshots, dangling references", () => {
  const big = () => {
    const pods = Array.from({ length: 30 }, (_, i) => pod(`p${i}`, { labels: { app: "web" }, nodeName: `n${i}`, containers: [container("app", { securityContext: { privileged: true } })] }));
    return snapshot({ nodes: pods.map((_, i) => node(`n${i}`)), pods, services: [lb] });
  };
  it("no class is dropped: 30 public privileged pods give every class; membersPerClass bounds members, count stays exact", () => {
    const r = build(big());
    expect(r.truncated).toBe(false);
    expect(r.pathClasses.filter((c) => c.targetType === "node")).toHaveLength(30);
    const one = build(big(), [], { membersPerClass: 1 });
    expect(one.pathClasses.map((c) => [c.id, c.count])).toEqual(r.pathClasses.map((c) => [c.id, c.count]));
    for (const c of one.pathClasses) expect(c.paths).toHaveLength(1);
    const node0 = r.pathClasses.find((c) => c.target === "node:n0")!;
    // ENDPOINT_EXPLOIT then CE_PRIV_MOUNT or CE_MODULE_LOAD: two shortest routes.
    expect(node0.count).toBe(2);
    expect(node0.paths).toHaveLength(2);
  });
  it("maxHops limits path length and flags truncation", () => {
    const s = snapshot({
      nodes: [node("n1")],
      pods: [pod("p", { labels: { app: "web" }, automountServiceAccountToken: true, serviceAccountName: "web" })],
      services: [lb], serviceAccounts: [serviceAccount("web")],
      roles: [role("r", "default", [rule(["create"], ["pods"])])],
      roleBindings: [roleBinding("rb", "default", { kind: "Role", name: "r" }, [saSubject("web")])],
    });
    const full = build(s);
    expect(full.paths.find((p) => p.target === "node:n1")!.edges.map((e) => e.kind)).toEqual(["ENDPOINT_EXPLOIT", "IDENTITY_ASSUME", "PERMISSION_DISCOVER", "POD_CREATE"]);
    const short = build(s, [], { maxHops: 2 });
    expect(short.paths.every((p) => p.edges.length <= 2)).toBe(true);
    expect(short.paths.some((p) => p.target === "node:n1")).toBe(false);
    expect(short.truncated).toBe(true);
  });
  it("time budget stops the search and marks truncated", () => {
    let t = 0;
    const r = build(big(), [], { timeBudgetMs: 10, now: () => (t += 1000) });
    expect(r.truncated).toBe(true);
  });
  it("partial snapshot → incomplete: true", () => {
    expect(build(snapshot({ partial: true, notVisible: ["roles"] })).incomplete).toBe(true);
    expect(build(snapshot()).incomplete).toBe(false);
  });
  it("dangling references become warnings, not crashes", () => {
    const r = build(snapshot({
      nodes: [node("n1")],
      pods: [pod("p", { nodeName: "ghost-node", containers: [container("app", { volumeMounts: [{ name: "nope", mountPath: "/x", readOnly: false }] })] })],
      roleBindings: [clusterRoleBinding("crb", "no-such-role", [saSubject("x")])],
      ingresses: [{ meta: { name: "i", namespace: "default", labels: {}, annotations: {}, ownerReferences: [] }, rules: [{ paths: [{ serviceName: "missing" }] }], tls: [], loadBalancerIngress: [] }],
    }));
    const w = r.warnings!.join("\n");
    expect(w).toMatch(/unknown node ghost-node/);
    expect(w).toMatch(/missing ClusterRole no-such-role/);
    expect(w).toMatch(/undeclared volume nope/);
    expect(w).toMatch(/unknown service missing/);
    expect(r.graph.nodes.some((n) => n.id === "node:ghost-node" && n.properties.synthetic === true)).toBe(true);
  });
  it("JSON shape: node properties are scalars or arrays of scalars; every edge joins existing nodes", () => {
    const r = build(big(), rceImage);
    const ids = new Set(r.graph.nodes.map((n) => n.id));
    for (const n of r.graph.nodes) for (const v of Object.values(n.properties)) {
      const ok = (x: unknown) => x === null || ["string", "number", "boolean"].includes(typeof x);
      expect(Array.isArray(v) ? v.every(ok) : ok(v)).toBe(true);
    }
    for (const e of r.graph.edges) expect(ids.has(e.from) && ids.has(e.to)).toBe(true);
  });
});
