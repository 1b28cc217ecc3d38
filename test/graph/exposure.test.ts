import { describe, expect, it } from "vitest";
import { build, container, ingress, networkPolicy, node, pod, service, snapshot } from "./builders.js";

const web = () => pod("p", { labels: { app: "web" } });
const exposed = (r: ReturnType<typeof build>) => r.graph.nodes.find((n) => n.id === "pod:default/p")!.properties.exposed;

describe("internet exposure", () => {
  it("public LoadBalancer exposes; internal or private-ranged does not; ranges are noted", () => {
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] })] })))).toBe(true);
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web", { type: "LoadBalancer", internal: true, loadBalancerIngress: [{ ip: "10.0.0.9" }] })] })))).toBe(false);
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web", { type: "LoadBalancer", loadBalancerSourceRanges: ["10.0.0.0/8"] })] })))).toBe(false);
    const narrowed = build(snapshot({ pods: [web()], services: [service("web", { type: "LoadBalancer", loadBalancerSourceRanges: ["203.0.113.0/24"] })] }));
    expect(exposed(narrowed)).toBe(true);
    expect(String(narrowed.graph.nodes.find((n) => n.id === "endpoint:default/web:http")!.properties.evidence)).toMatch(/narrowed to 203.0.113.0\/24/);
  });
  it("ClusterIP is not exposed; NodePort only when nodes have public IPs", () => {
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web")] })))).toBe(false);
    expect(exposed(build(snapshot({ nodes: [node("n1")], pods: [web()], services: [service("web", { type: "NodePort" })] })))).toBe(false);
    expect(exposed(build(snapshot({ nodes: [node("n1", { externalIp: "20.9.9.9" })], pods: [web()], services: [service("web", { type: "NodePort" })] })))).toBe(true);
  });
  it("Ingress behind a public controller exposes its backends; behind an internal one it does not", () => {
    const ctrl = (internal: boolean) => ({ ...service("ingress-nginx-controller", { namespace: "ingress-nginx", type: "LoadBalancer", internal, selector: { app: "ingress-nginx" } }) });
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web"), ctrl(false)], ingresses: [ingress("i", "web")] })))).toBe(true);
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web"), ctrl(true)], ingresses: [ingress("i", "web")] })))).toBe(false);
    expect(exposed(build(snapshot({ pods: [web()], services: [service("web")], ingresses: [ingress("i", "web", { loadBalancerIngress: [{ ip: "10.1.1.1" }] })] })))).toBe(false);
  });
  it("hostPort on a public node exposes; NetworkPolicy isolation removes LB exposure", () => {
    const hp = pod("p", { containers: [container("app", { ports: [{ containerPort: 8080, hostPort: 8080, protocol: "TCP", name: "web" }] })] });
    const r = build(snapshot({ nodes: [node("n1", { externalIp: "20.1.1.1" })], pods: [hp] }));
    expect(exposed(r)).toBe(true);
    expect(r.graph.nodes.some((n) => n.id === "endpoint:default/p:web" && n.properties.exposed === true)).toBe(true);
    const lb = service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] });
    const isolated = networkPolicy("deny", { app: "web" }, [{ peers: [{ podSelector: { matchLabels: { role: "frontend" } } }], ports: [] }]);
    expect(exposed(build(snapshot({ pods: [web()], services: [lb], networkPolicies: [isolated] })))).toBe(false);
    const open = networkPolicy("open", { app: "web" }, [{ peers: [{ ipBlock: { cidr: "0.0.0.0/0" } }], ports: [] }]);
    expect(exposed(build(snapshot({ pods: [web()], services: [lb], networkPolicies: [open] })))).toBe(true);
  });
  it("public API server is an insight on the cluster node", () => {
    const r = build(snapshot({ cluster: { name: "aks1", publicApiServer: true, authorizedIpRanges: [] } }));
    expect(r.insights).toContainEqual(expect.objectContaining({ kind: "exposed-to-internet", node: "cluster:aks1" }));
  });
});
