import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectSnapshot, KubernetesAuthError } from "../../shared/kubernetes/collect/index.js";
import { inventoryOf } from "../../shared/kubernetes/inventory.js";
import { demoEstateDir } from "../../demo/runtime/kubernetes/demo.js";
import { startKubernetesEmulator, type KubernetesEmulator } from "../../demo/runtime/kubernetes/server.js";

const MARKER = "VANTAGE-SECRET-MARKER";
const cluster = { name: "aks-shop-prod" };
const token = async () => "good";
let emu: KubernetesEmulator;

beforeAll(async () => {
  emu = await startKubernetesEmulator({ objects: join(demoEstateDir(), "aks-shop-prod"), token: "good" });
});
afterAll(async () => {
  await emu.stop();
});

describe("live collection against the emulator", () => {
  it("collects everything through small pages, read-only, with bounded concurrency", async () => {
    emu.requests.reset();
    const s = await collectSnapshot({ server: emu.url, token }, { cluster, pageSize: 3, concurrency: 2, now: () => new Date("2025-03-01T00:00:00Z") });
    expect(s).toMatchObject({ source: "live", cluster, collectedAt: "2025-03-01T00:00:00.000Z", partial: false, notVisible: [] });
    const servedPods = emu.objects.filter((o) => o.kind === "Pod").length;
    expect(s.pods).toHaveLength(servedPods);
    expect(new Set(s.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`)).size).toBe(servedPods);
    expect(s.nodes).toHaveLength(8);
    expect(s.workloads.map((w) => w.kind)).toEqual(expect.arrayContaining(["Deployment", "ReplicaSet", "DaemonSet", "CronJob", "Job"]));
    expect(s.endpointSlices.length).toBeGreaterThan(0);
    const storefront = s.pods.filter((p) => p.workload?.name === "storefront");
    expect(storefront).toHaveLength(3);
    expect(storefront[0]).toMatchObject({ workload: { kind: "Deployment", name: "storefront" }, phase: "Running" });
    expect(storefront[0]!.containers[0]!.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(s.pods.find((p) => p.workload?.kind === "CronJob")!.workload!.name).toBe("cart-cleanup");
    expect(s.roles.find((r) => r.meta.name === "shop-operator")!.aggregatedFrom).toEqual(["shop-operator-exec", "shop-operator-secrets"]);
    // Paging really happened, only GETs were made, never more than 2 at once.
    expect(emu.requests.log.filter((r) => r.path === "/api/v1/pods").length).toBe(Math.ceil(servedPods / 3));
    expect(emu.requests.log.every((r) => r.method === "GET")).toBe(true);
    expect(emu.requests.maxInFlight).toBeLessThanOrEqual(2);
  });

  it("secret hygiene: Secrets are only ever requested metadata-only; no value reaches the snapshot or inventory", async () => {
    emu.requests.reset();
    const s = await collectSnapshot({ server: emu.url, token }, { cluster, pageSize: 4 });
    const secretRequests = emu.requests.log.filter((r) => /\/secrets$/.test(r.path));
    expect(secretRequests.length).toBeGreaterThan(0);
    for (const r of secretRequests) expect(r.accept).toBe("application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1");
    expect(emu.requests.log.some((r) => /configmaps/.test(r.path))).toBe(false);
    expect(s.secrets.map((x) => x.meta.name)).toEqual(expect.arrayContaining(["ledger-db", "ledger-api-keys", "ci-runner-token"]));
    expect(s.secrets.find((x) => x.meta.name === "ci-runner-token")!.type).toBe("kubernetes.io/service-account-token");
    const everything = JSON.stringify(s) + JSON.stringify(inventoryOf(s));
    expect(everything).not.toContain(MARKER);
    expect(everything).not.toContain(Buffer.from(MARKER).toString("base64").slice(0, 20));
    expect(everything).not.toContain("last-applied-configuration");
  });

  it("restarts a list from scratch when its continue token expires (410)", async () => {
    emu.setFaults({ expireContinue: 2 });
    try {
      emu.requests.reset();
      const s = await collectSnapshot({ server: emu.url, token }, { cluster, pageSize: 5, concurrency: 1 });
      expect(emu.requests.log.filter((r) => r.status === 410)).toHaveLength(2);
      expect(s.pods).toHaveLength(emu.objects.filter((o) => o.kind === "Pod").length);
      expect(new Set(s.pods.map((p) => p.meta.name)).size).toBe(s.pods.length);
      expect(new Set(s.nodes.map((p) => p.meta.name)).size).toBe(s.nodes.length);
      expect(s.partial).toBe(false);
    } finally {
      emu.setFaults({});
    }
  });

  it("a 403 on some resources makes those kinds not visible and the snapshot partial, never a failure", async () => {
    emu.setFaults({ forbidden: ["secrets", "rbac.authorization.k8s.io/clusterroles"] });
    try {
      const s = await collectSnapshot({ server: emu.url, token }, { cluster });
      expect(s.partial).toBe(true);
      expect(s.notVisible.sort()).toEqual(["roles", "secrets"]);
      expect(s.secrets).toHaveLength(0);
      expect(s.roles.every((r) => r.kind === "Role")).toBe(true);
      expect(s.warnings.join("\n")).toMatch(/Secret: forbidden \(403\)/);
      expect(s.pods.length).toBeGreaterThan(0);
    } finally {
      emu.setFaults({});
    }
  });

  it("a 401 fails clearly; a token refreshed by the callback after one 401 succeeds", async () => {
    const err = await collectSnapshot({ server: emu.url, token: async () => "expired" }, { cluster }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KubernetesAuthError);
    expect((err as Error).message).toContain(`${emu.url} rejected the credentials (401`);
    let calls = 0;
    const rotating = async () => (++calls === 1 ? "stale" : "good");
    const s = await collectSnapshot({ server: emu.url, token: rotating }, { cluster });
    expect(s.nodes).toHaveLength(8);
    expect(calls).toBeGreaterThan(2); // the callback is asked for every request
  });

  it("retries transient 5xx; a resource that keeps timing out or failing fails the collection; an unreachable server fails", async () => {
    emu.setFaults({ serverErrors: { count: 2, resource: "pods" } });
    const s = await collectSnapshot({ server: emu.url, token }, { cluster });
    expect(s.partial).toBe(false);
    expect(s.pods.length).toBeGreaterThan(0);
    emu.setFaults({ slow: { pods: 5000 } });
    try {
      const t0 = Date.now();
      // Not a partial snapshot: without pods it would read as "every pod deleted" downstream.
      const timedOut = await collectSnapshot({ server: emu.url, token }, { cluster, timeoutMs: 200 }).catch((e: Error) => e);
      expect(timedOut).toBeInstanceOf(Error);
      expect((timedOut as Error).message).toMatch(/Pod: GET \/api\/v1\/pods\?limit=500: no answer within 200 ms/);
      emu.setFaults({ serverErrors: { count: 1000, status: 503, resource: "pods" } });
      const erroring = await collectSnapshot({ server: emu.url, token }, { cluster }).catch((e: Error) => e);
      expect((erroring as Error).message).toMatch(/^Pod: .*503/);
      emu.setFaults({ latencyMs: 300 });
      const failed = await collectSnapshot({ server: emu.url, token }, { cluster, timeoutMs: 100 }).catch((e: Error) => e);
      expect((failed as Error).message).toMatch(/no answer within 100 ms/);
      expect(Date.now() - t0).toBeLessThan(10_000);
    } finally {
      emu.setFaults({});
    }
  });

  it("discovers optional kinds: no EndpointSlices API, CronJobs only in batch/v1beta1", async () => {
    const old = await startKubernetesEmulator({ objects: join(demoEstateDir(), "aks-shop-prod"), disabledApis: ["batch/v1/cronjobs", "discovery.k8s.io/v1"] });
    try {
      const s = await collectSnapshot({ server: old.url }, { cluster });
      expect(s.partial).toBe(false);
      expect(s.endpointSlices).toHaveLength(0);
      expect(s.warnings.join("\n")).toMatch(/EndpointSlice: not served/);
      expect(s.workloads.find((w) => w.kind === "CronJob")).toMatchObject({ meta: { name: "cart-cleanup" }, schedule: "0 * * * *" });
      expect(old.requests.log.some((r) => r.path === "/apis/batch/v1beta1/cronjobs")).toBe(true);
      expect(old.requests.log.some((r) => r.path.includes("endpointslices"))).toBe(false);
    } finally {
      await old.stop();
    }
  });
});
