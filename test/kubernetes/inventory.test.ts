import { describe, expect, it } from "vitest";
import { diffInventory, inventoryKey, inventoryOf } from "../../shared/kubernetes/inventory.js";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";
import type { Snapshot } from "../../shared/kubernetes/model.js";

const load = () => snapshotFromManifests(["demo/estate/aks-shop-prod"], { clusterName: "aks-shop-prod" });
const stored = (s: Snapshot) => inventoryOf(s).map(({ key, hash }) => ({ key, hash }));

describe("inventory", () => {
  it("has one row per object with unique, RowKey-safe keys and flat summaries", async () => {
    const s = await load();
    const items = inventoryOf(s);
    const objects = s.nodes.length + s.namespaces.length + s.pods.length + s.workloads.length + s.services.length + s.endpointSlices.length + s.ingresses.length + s.networkPolicies.length + s.serviceAccounts.length + s.roles.length + s.roleBindings.length + s.secrets.length + s.webhooks.length;
    expect(items).toHaveLength(objects);
    expect(new Set(items.map((i) => i.key)).size).toBe(items.length);
    for (const i of items) {
      expect(i.key).not.toMatch(/[/\\#?\u0000-\u001f]/);
      expect(i.hash).toMatch(/^[0-9a-f]{64}$/);
      for (const v of Object.values(i.summary)) expect(["string", "number", "boolean"]).toContain(typeof v);
    }
    const agent = items.find((i) => i.kind === "Pod" && i.name === "log-agent")!;
    expect(agent.summary).toMatchObject({ namespace: "monitoring", privileged: true, hostPID: true, images: "vantagedemo.azurecr.io/tools/log-agent:0.9.0" });
    expect(JSON.stringify(items)).not.toContain("VANTAGE-SECRET-MARKER");
  });

  it("escapes forbidden characters injectively", () => {
    expect(inventoryKey("ClusterRole", "", "system:controller:a/b#c?d\\e|f%")).toBe("ClusterRole||system:controller:a%2Fb%23c%3Fd%5Ce%7Cf%25");
    expect(inventoryKey("Pod", "a|b", "c")).not.toBe(inventoryKey("Pod", "a", "b|c"));
  });

  it("an unchanged snapshot needs zero writes, even when resourceVersions and collectedAt move", async () => {
    const first = await load();
    const second = await load();
    second.collectedAt = "2030-01-01T00:00:00.000Z";
    for (const p of second.pods) p.meta.resourceVersion = "99999";
    const diff = diffInventory(stored(first), inventoryOf(second));
    expect(diff.upserts).toHaveLength(0);
    expect(diff.deletes).toHaveLength(0);
    expect(diff.unchanged).toBe(inventoryOf(first).length);
    // First run: everything is an upsert.
    expect(diffInventory([], inventoryOf(first)).upserts).toHaveLength(inventoryOf(first).length);
  });

  it("upserts changed and new objects and deletes removed ones", async () => {
    const before = await load();
    const after = await load();
    after.pods.find((p) => p.meta.name === "storefront")!.containers[0]!.image = "vantagedemo.azurecr.io/shop/storefront:1.4.3";
    after.secrets = after.secrets.filter((s) => s.meta.name !== "cart-redis");
    after.namespaces.push({ meta: { name: "new-ns", labels: {}, annotations: {}, ownerReferences: [] }, phase: "Active" });
    const diff = diffInventory(stored(before), inventoryOf(after));
    expect(diff.upserts.map((u) => `${u.kind}/${u.namespace}/${u.name}`).sort()).toEqual(["Namespace//new-ns", "Pod/shop/storefront"]);
    expect(diff.deletes).toEqual([inventoryKey("Secret", "shop", "cart-redis")]);
    expect(diff.unchanged).toBe(inventoryOf(before).length - 2);
  });
});
