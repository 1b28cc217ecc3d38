import { describe, expect, it } from "vitest";
import { build, clusterRole, clusterRoleBinding, container, finding, hostPathVolume, node, pod, rule, saSubject, serviceAccount, snapshot } from "./builders.js";

describe("insights", () => {
  it("reports each kind on the right node", () => {
    const r = build(snapshot({
      nodes: [node("n1", { externalIp: "20.1.1.1" })],
      pods: [pod("p", {
        hostNetwork: true, hostPID: true, hostIPC: true, automountServiceAccountToken: true, serviceAccountName: "ops",
        volumes: [hostPathVolume("root", "/")],
        containers: [container("app", { securityContext: { privileged: true, runAsUser: 0, capabilities: { add: ["NET_ADMIN"], drop: [] } }, volumeMounts: [{ name: "root", mountPath: "/host", readOnly: false }] })],
      })],
      serviceAccounts: [serviceAccount("ops")],
      roles: [clusterRole("exec", [rule(["create"], ["pods/exec"])])],
      roleBindings: [clusterRoleBinding("ops-exec", "exec", [saSubject("ops")])],
    }), [{ ref: "nginx:1.25", findings: [finding("CVE-1", { rce: true, kev: true })] }]);
    const has = (kind: string, node: string) => r.insights.some((i) => i.kind === kind && i.node === node);
    const C = "container:default/p/app";
    const P = "pod:default/p";
    expect(has("exposed-to-internet", P)).toBe(true);
    expect(has("exposed-to-internet", "node:n1")).toBe(true);
    for (const k of ["host-network", "host-pid", "host-ipc", "automounted-token-with-powerful-rbac"]) expect(has(k, P)).toBe(true);
    for (const k of ["privileged-container", "runs-as-root", "dangerous-capabilities", "high-severity-vulnerabilities", "vulnerable-to-rce", "known-exploited"]) expect(has(k, C)).toBe(true);
    expect(has("sensitive-host-path", "volume:default/p/root")).toBe(true);
    expect(r.insights.find((i) => i.kind === "automounted-token-with-powerful-rbac")!.evidence).toMatch(/exec into pods/);
  });
  it("a hardened pod has none", () => {
    const r = build(snapshot({ nodes: [node("n1")], pods: [pod("p")] }));
    expect(r.insights).toEqual([]);
  });
});
