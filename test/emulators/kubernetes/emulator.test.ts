import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startKubernetesEmulator, type KubernetesEmulator } from "../../../demo/runtime/kubernetes/server.js";
import { demoEstateDir } from "../../../demo/runtime/kubernetes/demo.js";
import { join } from "node:path";

let emu: KubernetesEmulator;
const get = async (path: string, headers: Record<string, string> = {}) => {
  const res = await fetch(emu.url + path, { headers: { authorization: "Bearer good", ...headers } });
  return { status: res.status, body: (await res.json()) as any };
};

beforeAll(async () => {
  emu = await startKubernetesEmulator({ objects: join(demoEstateDir(), "aks-shop-prod"), token: "good", imageDigests: { "vantagedemo.azurecr.io/shop/cart:2.0.1": "sha256:" + "c".repeat(64) } });
});
afterAll(async () => {
  await emu.stop();
});

describe("Kubernetes API emulator", () => {
  it("serves discovery documents", async () => {
    expect((await get("/api")).body.versions).toEqual(["v1"]);
    const groups = (await get("/apis")).body.groups.map((g: { name: string }) => g.name);
    expect(groups).toEqual(expect.arrayContaining(["apps", "batch", "networking.k8s.io", "discovery.k8s.io", "rbac.authorization.k8s.io", "admissionregistration.k8s.io"]));
    const core = (await get("/api/v1")).body;
    expect(core.resources.find((r: { name: string }) => r.name === "pods")).toMatchObject({ kind: "Pod", namespaced: true });
    expect((await get("/apis/batch/v1beta1")).status).toBe(404);
  });

  it("simulates controllers: ReplicaSets and Pods with status, digests, round-robin nodes, EndpointSlices", async () => {
    const pods = (await get("/api/v1/namespaces/shop/pods")).body;
    expect(pods.kind).toBe("PodList");
    const storefront = pods.items.filter((p: any) => p.metadata.labels.app === "storefront");
    expect(storefront).toHaveLength(3);
    expect(new Set(storefront.map((p: any) => p.spec.nodeName)).size).toBe(3);
    expect(storefront[0].status.phase).toBe("Running");
    expect(storefront[0].status.containerStatuses[0].imageID).toMatch(/^vantagedemo\.azurecr\.io\/shop\/storefront@sha256:[0-9a-f]{64}$/);
    expect(storefront[0].metadata.ownerReferences[0].kind).toBe("ReplicaSet");
    expect(storefront[0].kind).toBeUndefined(); // list items carry no kind on the wire
    const cart = pods.items.find((p: any) => p.metadata.labels.app === "cart");
    expect(cart.status.containerStatuses[0].imageID).toBe(`vantagedemo.azurecr.io/shop/cart@sha256:${"c".repeat(64)}`);
    const agents = (await get("/api/v1/namespaces/monitoring/pods")).body.items;
    expect(agents).toHaveLength(8); // one per node
    const slices = (await get("/apis/discovery.k8s.io/v1/namespaces/shop/endpointslices")).body.items;
    expect(slices.find((s: any) => s.metadata.labels["kubernetes.io/service-name"] === "storefront").endpoints).toHaveLength(3);
    const single = await get(`/api/v1/namespaces/shop/pods/${storefront[0].metadata.name}`);
    expect(single.body.kind).toBe("Pod");
  });

  it("pages lists with limit/continue/remainingItemCount and answers 410 for an expired token", async () => {
    const all = (await get("/api/v1/pods")).body.items.length;
    const names: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = (await get(`/api/v1/pods?limit=7${token ? `&continue=${token}` : ""}`)).body;
      names.push(...page.items.map((p: any) => p.metadata.name));
      if (page.metadata.continue) expect(page.metadata.remainingItemCount).toBe(all - names.length);
      token = page.metadata.continue;
      pages++;
    } while (token);
    expect(names).toHaveLength(all);
    expect(new Set(names).size).toBe(all);
    expect(pages).toBe(Math.ceil(all / 7));
    const first = (await get("/api/v1/pods?limit=2")).body;
    emu.setFaults({ expireContinue: 1 });
    const expired = await get(`/api/v1/pods?limit=2&continue=${first.metadata.continue}`);
    expect(expired.status).toBe(410);
    expect(expired.body).toMatchObject({ kind: "Status", reason: "Expired", code: 410 });
    expect((await get(`/api/v1/pods?limit=2&continue=${first.metadata.continue}`)).status).toBe(200);
    expect((await get("/api/v1/pods?limit=2&continue=garbage")).status).toBe(400);
  });

  it("serves Secrets with data, and metadata only for the PartialObjectMetadataList Accept header", async () => {
    const full = JSON.stringify((await get("/api/v1/secrets")).body);
    expect(full).toContain("VANTAGE-SECRET-MARKER");
    const meta = (await get("/api/v1/secrets", { accept: "application/json;as=PartialObjectMetadataList;g=meta.k8s.io;v=v1" })).body;
    expect(meta.kind).toBe("PartialObjectMetadataList");
    expect(meta.items[0]).toMatchObject({ kind: "PartialObjectMetadata", apiVersion: "meta.k8s.io/v1" });
    expect(meta.items[0].data).toBeUndefined();
    // Like a real server, the last-applied annotation (which embeds the data) is still in metadata.
    expect(JSON.stringify(meta)).toContain("kubectl.kubernetes.io/last-applied-configuration");
  });

  it("faults: 401 for a bad token, 403 per resource, injected 5xx, latency; GET only", async () => {
    expect((await get("/api/v1/pods", { authorization: "Bearer bad" })).status).toBe(401);
    emu.setFaults({ forbidden: ["secrets", "rbac.authorization.k8s.io/clusterroles"], serverErrors: { count: 1, resource: "pods" }, latencyMs: 150 });
    const t0 = Date.now();
    expect((await get("/api/v1/secrets")).body).toMatchObject({ reason: "Forbidden", code: 403 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(140);
    expect((await get("/apis/rbac.authorization.k8s.io/v1/clusterroles")).status).toBe(403);
    expect((await get("/apis/rbac.authorization.k8s.io/v1/roles")).status).toBe(200);
    expect((await get("/api/v1/pods")).status).toBe(503);
    expect((await get("/api/v1/pods")).status).toBe(200);
    emu.setFaults({});
    const del = await fetch(emu.url + "/api/v1/namespaces/shop/pods/x", { method: "DELETE", headers: { authorization: "Bearer good" } });
    expect(del.status).toBe(405);
    expect(emu.requests.log.at(-1)).toMatchObject({ method: "DELETE", status: 405 });
  });

  it("can leave optional APIs unserved and serve CronJobs from batch/v1beta1", async () => {
    const old = await startKubernetesEmulator({ objects: [{ apiVersion: "batch/v1beta1", kind: "CronJob", metadata: { name: "c", namespace: "x" }, spec: { schedule: "* * * * *", jobTemplate: { spec: { template: { spec: { containers: [{ name: "c", image: "c" }] } } } } } }], disabledApis: ["batch/v1/cronjobs", "discovery.k8s.io/v1"] });
    try {
      const groups = ((await (await fetch(old.url + "/apis")).json()) as { groups: { name: string }[] }).groups.map((g) => g.name);
      expect(groups).not.toContain("discovery.k8s.io");
      expect((await fetch(old.url + "/apis/batch/v1/cronjobs")).status).toBe(404);
      const list = (await (await fetch(old.url + "/apis/batch/v1beta1/cronjobs")).json()) as { items: unknown[] };
      expect(list.items).toHaveLength(1);
    } finally {
      await old.stop();
    }
  });
});
