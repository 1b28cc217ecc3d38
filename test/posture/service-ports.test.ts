// Services on an allow-list of ports: the setting's syntax, which Services are judged, and that the
// fix, applied the way `kubectl patch` merges Service ports (by port number), clears the finding.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { main } from "../../shared/cli/main.js";
import { InputError } from "../../shared/errors.js";
import { evaluatePosture } from "../../shared/posture/evaluate.js";
import { annotateGraph, failingResults } from "../../shared/posture/graph-join.js";
import type { ServiceInfo } from "../../shared/kubernetes/model.js";
import { servicePorts } from "../../shared/posture/controls/service-ports.js";
import { freeAllowedPorts, parsePortList, portAllowed } from "../../shared/posture/ports.js";
import { HARDENED_CLUSTER, hardenedEstate, snapshotOf } from "./fixtures.js";

type Obj = Record<string, any>;
const ID = "VANTAGE-K8S-SERVICE-PORTS";

const service = (name: string, spec: Obj, namespace = "shop"): Obj => ({ apiVersion: "v1", kind: "Service", metadata: { name, namespace }, spec: { selector: { app: "api" }, ...spec } });

function control(objects: Obj[], allowedServicePorts?: string[]) {
  const snapshot = snapshotOf(objects, HARDENED_CLUSTER);
  return evaluatePosture({ snapshot, options: { trustedRegistries: ["contoso.azurecr.io"], allowedServicePorts } }).controls.find((c) => c.id === ID)!;
}

/** Strategic merge of a Service ports patch: entries merge by port; `$patch: delete` removes one. */
function applyPortsPatch(svc: Obj, fix: string): Obj {
  const patch = parseYaml(fix) as { spec: { ports: Obj[] } };
  let ports: Obj[] = svc.spec.ports.map((p: Obj) => ({ ...p }));
  for (const entry of patch.spec.ports) {
    if (entry.$patch === "delete") ports = ports.filter((p) => p.port !== entry.port);
    else ports = [...ports.filter((p) => p.port !== entry.port), entry];
  }
  return { ...svc, spec: { ...svc.spec, ports } };
}

describe("the allowed Service ports setting", () => {
  it("takes ports and inclusive ranges, and rejects anything else by name", () => {
    const ranges = parsePortList(["443", " 8000-8099 "], "X");
    expect([80, 443, 7999, 8000, 8099, 8100].map((p) => portAllowed(p, ranges))).toEqual([false, true, false, true, true, false]);
    for (const bad of ["http", "0", "65536", "90-80", "80-", "-80", "8o", "1e3", ""]) {
      expect(() => parsePortList([bad], "--allowed-service-ports"), bad).toThrow(InputError);
      expect(() => parsePortList([bad], "--allowed-service-ports"), bad).toThrow(/--allowed-service-ports/);
    }
  });

  it("offers the allowed ports a Service does not use yet, lowest first, each once", () => {
    const ranges = parsePortList(["8443", "80-82", "81-83"], "X");
    expect([...freeAllowedPorts(ranges, new Set())]).toEqual([80, 81, 82, 83, 8443]);
    expect([...freeAllowedPorts(ranges, new Set([80, 82]))]).toEqual([81, 83, 8443]);
    expect([...freeAllowedPorts(ranges, new Set([80, 81, 82, 83, 8443]))]).toEqual([]);
  });
});

describe(ID, () => {
  const estate = (...services: Obj[]) => [...hardenedEstate(), ...services];

  it("is not assessed without an allow-list, never passed", () => {
    for (const list of [undefined, []]) {
      const r = control(estate(service("web", { ports: [{ port: 443 }] })), list);
      expect([r.status, r.passed, r.failed.length]).toEqual(["not-assessed", 0, 0]);
      expect(r.reason).toMatch(/allowed Service port/);
    }
  });

  it("passes Services whose every port is allowed and fails the one with a port outside the list", () => {
    const r = control(estate(service("web", { type: "LoadBalancer", ports: [{ port: 443 }, { port: 80 }] }), service("db", { ports: [{ port: 443 }, { name: "redis", port: 6379, targetPort: "redis" }] })), ["80", "443"]);
    expect([r.status, r.passed]).toEqual(["fail", 1]);
    expect(r.failed).toHaveLength(1);
    expect(r.failed[0]!.resource).toEqual({ kind: "Service", namespace: "shop", name: "db" });
    expect(r.failed[0]!.detail).toBe("port 6379/TCP not in the allowed list (80, 443)");
    // 443 is taken by the Service itself, so the port moves to 80 and keeps its name and named target.
    expect(parseYaml(r.failed[0]!.fix)).toEqual({ spec: { ports: [{ port: 6379, $patch: "delete" }, { name: "redis", port: 80, targetPort: "redis", protocol: "TCP" }] } });
  });

  it("judges ranges, and its fix applied clears the finding while traffic still reaches the same target port", () => {
    const db = service("db", { ports: [{ port: 6379 }, { port: 9121, protocol: "UDP" }] });
    const r = control(estate(db), ["8000-8099"]);
    expect(r.failed.map((f) => f.detail)).toEqual(["port 6379/TCP, 9121/UDP not in the allowed list (8000-8099)"]);
    const fixed = applyPortsPatch(db, r.failed[0]!.fix);
    expect(fixed.spec.ports).toEqual([{ port: 8000, targetPort: 6379, protocol: "TCP" }, { port: 8001, targetPort: 9121, protocol: "UDP" }]);
    expect(control(estate(fixed), ["8000-8099"])).toMatchObject({ status: "pass", passed: 1 });
  });

  it("when no allowed port is free, the fix only removes the disallowed ones", () => {
    const db = service("db", { ports: [{ port: 443 }, { port: 6379 }] });
    const r = control(estate(db), ["443"]);
    expect(parseYaml(r.failed[0]!.fix)).toEqual({ spec: { ports: [{ port: 6379, $patch: "delete" }] } });
    expect(control(estate(applyPortsPatch(db, r.failed[0]!.fix)), ["443"]).status).toBe("pass");
  });

  it("moves every port of a Service listing thousands, each to its own allowed port, in bounded time", () => {
    // Straight into the control (the normalizer and the rest of the catalog are not what is measured).
    const ports = Array.from({ length: 20_000 }, (_, i) => ({ name: `p${i}`, port: i + 1, protocol: "TCP" }));
    const many: ServiceInfo = { meta: { name: "many", namespace: "shop", labels: {}, annotations: {}, ownerReferences: [] }, type: "ClusterIP", ports, selector: {}, externalIPs: [], loadBalancerIngress: [], loadBalancerSourceRanges: [], internal: false };
    const snapshot = { ...snapshotOf(hardenedEstate(), HARDENED_CLUSTER), services: [many] };
    const started = Date.now();
    const r = servicePorts.evaluate({ snapshot, options: { trustedRegistries: [], allowedServicePorts: ["30000-65535"] } });
    expect(Date.now() - started).toBeLessThan(10_000); // liveness only: about a second here, a quadratic walk took minutes
    expect(r.failed).toHaveLength(1);
    // The 2 MB patch read entry by entry (a YAML parser takes seconds over it; small fixes above are parsed whole).
    const entries = r.failed[0]!.fix.split("\n    - ").slice(1).map((e) => Object.fromEntries(e.split(/\n\s+/).map((l) => l.split(": ") as [string, string])));
    const added = entries.filter((e) => e.$patch === undefined);
    expect(entries.filter((e) => e.$patch === "delete")).toHaveLength(20_000);
    expect(added).toHaveLength(20_000);
    expect(new Set(added.map((e) => e.port)).size).toBe(20_000);
    expect(added.every((e) => Number(e.port) >= 30_000 && Number(e.port) === 29_999 + Number(e.targetPort) && e.name === `p${Number(e.targetPort) - 1}`)).toBe(true);
  });

  it("leaves out Services nothing listens on and the ones AKS runs", () => {
    const skipped = [
      service("alias", { type: "ExternalName", externalName: "db.example.com", ports: [{ port: 5432 }] }),
      service("peers", { clusterIP: "None", ports: [{ port: 7000 }] }),
      service("kube-dns", { ports: [{ port: 53, protocol: "UDP" }] }, "kube-system"),
      service("kubernetes", { ports: [{ port: 443, targetPort: 6443 }] }, "default"),
    ];
    expect(control(estate(...skipped), ["80"]).status).toBe("not-applicable");
    // The same ports on an ordinary Service in the cluster owner's namespace are judged.
    expect(control(estate(...skipped, service("other", { ports: [{ port: 7000 }] })), ["80"]).failed.map((f) => f.resource.name)).toEqual(["other"]);
  });

  it("a malformed allow-list is the control's error, and every other control still runs", () => {
    const snapshot = snapshotOf(estate(service("web", { ports: [{ port: 443 }] })), HARDENED_CLUSTER);
    const report = evaluatePosture({ snapshot, options: { trustedRegistries: ["contoso.azurecr.io"], allowedServicePorts: ["443", "https"] } });
    const r = report.controls.find((c) => c.id === ID)!;
    expect([r.status, r.reason]).toEqual(["error", expect.stringContaining('"https" is not a port')]);
    expect(report.controls.find((c) => c.id === "VANTAGE-K8S-PRIVILEGED")!.status).toBe("pass");
  });

  it("puts its failure on the Service's graph node", async () => {
    const { buildSecurityGraph } = await import("../../shared/graph/index.js");
    const snapshot = snapshotOf(estate(service("db", { ports: [{ port: 6379 }] }), service("web", { ports: [{ port: 443 }] })), HARDENED_CLUSTER);
    const report = evaluatePosture({ snapshot, options: { trustedRegistries: ["contoso.azurecr.io"], allowedServicePorts: ["443"] } });
    const { graph } = buildSecurityGraph(snapshot, []);
    annotateGraph(graph.nodes, failingResults(report).filter((f) => f.controlId === ID));
    const services = graph.nodes.filter((n) => n.kind === "service");
    expect(services.map((n) => [n.name, n.properties.failingControls])).toEqual(expect.arrayContaining([["db", [ID]], ["web", undefined]]));
    expect(graph.nodes.filter((n) => n.kind !== "service" && n.properties.failingControls)).toEqual([]);
  });
});

describe("vantage posture --allowed-service-ports", () => {
  const work = mkdtempSync(join(tmpdir(), "vantage-ports-"));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  writeFileSync(join(work, "estate.yaml"), [...hardenedEstate(), service("db", { ports: [{ port: 6379 }] })].map((o) => stringify(o)).join("---\n"));
  const capture = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), isTTY: false, cwd: work }, out: () => out.join(""), err: () => err.join("") };
  };

  it("judges the manifests' Services against the flag's list", async () => {
    const c = capture();
    expect(await main(["posture", "--manifests", "estate.yaml", "--format", "json", "--allowed-service-ports", "80, 443,8000-8099"], c.io)).toBe(0);
    const r = JSON.parse(c.out()).controls.find((x: { id: string }) => x.id === ID);
    expect(r).toMatchObject({ status: "fail", references: { defender: "Services should listen on allowed ports only" } });
    expect(r.failed.map((f: { detail: string }) => f.detail)).toEqual(["port 6379/TCP not in the allowed list (80, 443, 8000-8099)"]);
    const without = capture();
    await main(["posture", "--manifests", "estate.yaml", "--format", "json"], without.io);
    expect(JSON.parse(without.out()).controls.find((x: { id: string }) => x.id === ID).status).toBe("not-assessed");
  });

  it("a malformed list is one line on stderr and exit 2, before any input is read", async () => {
    const c = capture();
    expect(await main(["posture", "--manifests", "missing.yaml", "--allowed-service-ports", "80,44x"], c.io)).toBe(2);
    expect(c.err()).toMatch(/--allowed-service-ports: "44x" is not a port/);
    expect(c.err().trim().split("\n")).toHaveLength(1);
    expect(c.out()).toBe("");
  });
});

describe("VANTAGE_ALLOWED_SERVICE_PORTS", () => {
  it("is read as a list, and a malformed value stops the configuration with the setting's name", async () => {
    const { configFromEnv } = await import("../../shared/workflows/config.js");
    const credential = { getToken: async () => null } as never;
    expect(configFromEnv({ VANTAGE_ALLOWED_SERVICE_PORTS: "80, 443,8000-8099" }, { credential }).posture.allowedServicePorts).toEqual(["80", "443", "8000-8099"]);
    expect(configFromEnv({}, { credential }).posture.allowedServicePorts).toBeUndefined();
    expect(() => configFromEnv({ VANTAGE_ALLOWED_SERVICE_PORTS: "80,ssh" }, { credential })).toThrow(/VANTAGE_ALLOWED_SERVICE_PORTS: "ssh" is not a port/);
  });

  it("reaches the pipeline's evaluation: the failing Service is stored with its fix", async () => {
    const { createDependencies } = await import("../../shared/workflows/dependencies.js");
    const { evaluatePostureActivity } = await import("../../shared/workflows/posture.js");
    const { testStorage, uniqueName } = await import("../support/storage.js");
    const deps = createDependencies({ storage: testStorage(), config: { tablePrefix: uniqueName("sp"), credential: { getToken: async () => null } as never }, env: {} });
    deps.config.posture = { allowedServicePorts: ["443"] };
    for (const t of Object.values(deps.state)) if (t && typeof t === "object" && "ensure" in t) await (t as { ensure(): Promise<void> }).ensure();
    const record = { ...HARDENED_CLUSTER, state: "bound" as const };
    await deps.state.clusters.upsert(record.subscriptionId, record.id, record);
    await deps.snapshots.store(record.subscriptionId, record, { ...snapshotOf([...hardenedEstate(), service("db", { ports: [{ port: 6379 }] })], HARDENED_CLUSTER), source: "live" });
    expect(await evaluatePostureActivity(deps, { clusterId: record.id })).toMatchObject({ ok: true });
    const rows = (await deps.state.postureResults.all({ partitionKey: record.id })).map((r) => r.value).filter((r) => r.controlId === ID);
    expect(rows.map((r) => [r.status, r.resource, r.detail])).toEqual([["fail", { kind: "Service", namespace: "shop", name: "db" }, "port 6379/TCP not in the allowed list (443)"]]);
    expect(parseYaml(rows[0]!.fix!)).toEqual({ spec: { ports: [{ port: 6379, $patch: "delete" }, { port: 443, targetPort: 6379, protocol: "TCP" }] } });
  });
});
