// `vantage paths` end to end, in-process.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { main } from "../../shared/cli/main.js";
import { DEFENDER_TITLES, TECHNIQUES } from "../../shared/graph/index.js";
import { node, pod, service, snapshot } from "./builders.js";

const FIXTURES = join(import.meta.dirname, "fixtures");

async function cli(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, { stdout: (t) => out.push(t), stderr: (t) => err.push(t), isTTY: false, cwd: process.cwd() });
  return { code, out: out.join(""), err: err.join("") };
}

function snapshotFile(): string {
  const dir = mkdtempSync(join(tmpdir(), "vantage-paths-"));
  const file = join(dir, "snap.json");
  writeFileSync(file, JSON.stringify(snapshot({
    nodes: [node("n1")],
    pods: [pod("p", { labels: { app: "web" }, containers: [{ name: "app", kind: "container", image: "registry.example.com/shop/web:1.0", securityContext: { privileged: true }, ports: [], volumeMounts: [], envSources: [] }] })],
    services: [service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] })],
  })));
  return file;
}

describe("vantage paths", () => {
  it("--snapshot --findings --format json gives the §5 shape with the Defender path", async () => {
    const r = await cli(["paths", "--snapshot", snapshotFile(), "--findings", join(FIXTURES, "findings.json")]);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(["graph", "insights", "paths", "chokePoints"]));
    expect(report.graph.nodes[0]).toEqual(expect.objectContaining({ id: expect.any(String), kind: expect.any(String), name: expect.any(String), properties: expect.any(Object) }));
    // Every node carries "namespace": "" for cluster-scoped ones.
    for (const n of report.graph.nodes) expect(typeof n.namespace).toBe("string");
    expect(report.graph.nodes.find((n: { kind: string }) => n.kind === "node").namespace).toBe("");
    expect(report.graph.nodes.find((n: { kind: string }) => n.kind === "pod").namespace).not.toBe("");
    expect(report.paths.map((p: { title: string }) => p.title)).toContain(DEFENDER_TITLES.exposedPodRce);
    for (const p of report.paths) expect(["critical", "high", "medium", "low"]).toContain(p.risk);
  });
  it("--format table ranks paths then lists choke points; --format dot is Graphviz", async () => {
    const file = snapshotFile();
    const table = await cli(["paths", "--snapshot", file, "--format", "table"]);
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/\d+ attack path class\(es\), \d+ member path\(s\)/);
    expect(table.out).toMatch(/fix: /);
    expect(table.out.indexOf("Choke points")).toBeGreaterThan(table.out.indexOf("HIGH"));
    const dot = await cli(["paths", "--snapshot", file, "--format", "dot"]);
    expect(dot.out.startsWith("digraph attack_paths {")).toBe(true);
    expect(dot.out).toMatch(/"endpoint:default\/web:http" -> "container:default\/p\/app" \[label="ENDPOINT_EXPLOIT"\]/);
  });
  it("bad input: one line, exit 2", async () => {
    for (const args of [["paths"], ["paths", "--snapshot", "/nonexistent.json"], ["paths", "--snapshot", snapshotFile(), "--format", "xml"], ["paths", "--snapshot", join(FIXTURES, "findings.json")], ["paths", "--snapshot", snapshotFile(), "--findings", snapshotFile()]]) {
      const r = await cli(args);
      expect(r.code).toBe(2);
      expect(r.err.trim().split("\n")).toHaveLength(1);
    }
  });
  it("--manifests over the technique fixtures yields every technique's edge", async () => {
    const r = await cli(["paths", "--manifests", join(FIXTURES, "techniques"), "--findings", join(FIXTURES, "findings.json"), "--azure", join(FIXTURES, "azure-access.json")]);
    expect(r.err).not.toMatch(/not implemented/);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.out);
    const kinds = new Set(report.graph.edges.map((e: { kind: string }) => e.kind));
    const missing = TECHNIQUES.map((t) => t.kind).filter((k) => !kinds.has(k));
    const keys = report.graph.edges.map((e: { kind: string; from: string; to: string }) => `${e.kind}|${e.from}|${e.to}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(missing).toEqual([]);
    const titles = report.paths.map((p: { title: string }) => p.title);
    expect(titles).toContain(DEFENDER_TITLES.exposedPodRce);
    expect(titles).toContain(DEFENDER_TITLES.hostNetworkRce);
    expect(report.paths.some((p: { risk: string; target: string }) => p.risk === "critical" && p.target.startsWith("cloudidentity:"))).toBe(true);
    const azure = report.pathClasses.find((c: { target: string }) => c.target.startsWith("azurescope:"));
    expect(azure.title).toMatch(/can obtain Contributor on Azure resource group rg-shop$/);
    for (const p of report.paths) for (const e of p.edges) expect(e.evidence.length).toBeGreaterThan(0);
  });
});
