// Real Azure payloads against the event router: documented ResourceWriteSuccess and container
// registry events, with the ARM emulator answering the pricing reads.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startArmEmulator, type ArmEmulator } from "../../demo/runtime/arm/server.js";
import type { OrchestrationClient } from "../../shared/platform/orchestration.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { handleEvent as route } from "../../shared/workflows/events.js";
import { ORCHESTRATIONS } from "../../shared/workflows/names.js";
import { testStorage, uniqueName } from "../support/storage.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/vantagedemo`;
const HOST = "vantagedemo.azurecr.io";

let emu: ArmEmulator;
let deps: Dependencies;
const handleEvent = (event: never, c: OrchestrationClient) => route(deps, event, c);
const started: { name: string; instanceId?: string }[] = [];
const client = {
  getStatus: async () => undefined,
  startNew: async (name: string, options?: { instanceId?: string }) => {
    started.push({ name, instanceId: options?.instanceId });
    return options?.instanceId ?? name;
  },
  waitForCompletion: async () => {
    throw new Error("not used");
  },
} as unknown as OrchestrationClient;

beforeAll(async () => {
  emu = await startArmEmulator();
  deps = createDependencies({ storage: testStorage(), config: { tablePrefix: uniqueName("ev"), armEndpoint: emu.endpoint, credential: emu.credential, armCa: emu.caCert } });
  await deps.state.registries.upsert("registry", HOST, { id: REGISTRY_ID, name: "vantagedemo", subscriptionId: SUB, loginServer: HOST });
});
afterAll(async () => emu?.stop());

function pricingWrite(plan: string, sub = SUB) {
  const resourceUri = `/subscriptions/${sub}/providers/Microsoft.Security/pricings/${plan}`;
  return {
    id: randomUUID(), topic: `/subscriptions/${sub}`, subject: resourceUri, eventType: "Microsoft.Resources.ResourceWriteSuccess", eventTime: new Date().toISOString(),
    data: { operationName: "Microsoft.Security/pricings/write", resourceUri, subscriptionId: sub, status: "Succeeded" }, dataVersion: "2", metadataVersion: "1",
  };
}

function setTier(plan: string, tier: "Free" | "Standard") {
  emu.state.put({ id: `/subscriptions/${SUB}/providers/Microsoft.Security/pricings/${plan}`, name: plan, type: "Microsoft.Security/pricings", properties: { pricingTier: tier } });
}

function registryEvent(type: "ImagePushed" | "ImageDeleted", digest: string, topic = REGISTRY_ID) {
  return {
    id: randomUUID(), topic, subject: "shop/storefront:9.9.9", eventType: `Microsoft.ContainerRegistry.${type}`, eventTime: new Date().toISOString(),
    data: { id: randomUUID(), timestamp: new Date().toISOString(), action: type === "ImagePushed" ? "push" : "delete", target: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest, repository: "shop/storefront", tag: "9.9.9" }, request: { id: randomUUID(), host: HOST, method: type === "ImagePushed" ? "PUT" : "DELETE", useragent: "docker/24" } },
    dataVersion: "1.0", metadataVersion: "1",
  };
}

const pricingReads = () => emu.calls.filter((c) => c.operationId === "Pricings_Get").length;

describe("Defender plan writes", () => {
  it("ignores every plan but Containers, without even reading it", async () => {
    started.length = 0;
    const before = pricingReads();
    const outcome = await handleEvent(pricingWrite("VirtualMachines") as never, client);
    expect(outcome).toMatchObject({ action: "ignored", reason: expect.stringContaining("VirtualMachines is not the Defender for Containers plan") });
    expect(started).toEqual([]);
    expect(pricingReads()).toBe(before);
  });

  it("onboards when ARM reports the Containers plan Standard", async () => {
    started.length = 0;
    setTier("Containers", "Standard");
    const outcome = await handleEvent(pricingWrite("Containers") as never, client);
    expect(outcome).toEqual({ action: "started", instanceId: `onboard-${SUB}` });
    expect(started).toEqual([{ name: ORCHESTRATIONS.onboardSubscription, instanceId: `onboard-${SUB}` }]);
  });

  it("turning the plan off (Free) offboards an onboarded subscription and is ignored otherwise", async () => {
    setTier("Containers", "Free");
    started.length = 0;
    expect(await handleEvent(pricingWrite("Containers") as never, client)).toMatchObject({ action: "ignored", reason: expect.stringContaining("Free") });
    expect(started).toEqual([]);
    await deps.state.subscriptions.upsert("subscription", SUB, { subscriptionId: SUB, state: "onboarded" });
    const outcome = await handleEvent(pricingWrite("Containers") as never, client);
    expect(outcome).toEqual({ action: "started", instanceId: `offboard-${SUB}` });
    expect(started).toEqual([{ name: ORCHESTRATIONS.offboardSubscription, instanceId: `offboard-${SUB}` }]);
    await deps.state.subscriptions.delete("subscription", SUB);
  });

  it("a failed pricing read leaves the event retryable (Event Grid redelivers it)", async () => {
    emu.faults.set("Pricings_Get", { status: 503, code: "ServiceUnavailable", times: 100 });
    const event = pricingWrite("Containers");
    try {
      await expect(handleEvent(event as never, client)).rejects.toThrow();
    } finally {
      emu.faults.clear("Pricings_Get");
    }
    setTier("Containers", "Standard");
    expect(await handleEvent(event as never, client)).toMatchObject({ action: "started" });
  });
});

describe("events for subscriptions that are not onboarded", () => {
  it("a plan write for a subscription ARM does not show Vantage is recorded as ignored and creates no subscription row", async () => {
    started.length = 0;
    const stranger = randomUUID();
    const event = pricingWrite("Containers", stranger);
    const outcome = await handleEvent(event as never, client);
    expect(outcome).toMatchObject({ action: "ignored", reason: expect.stringContaining("SubscriptionNotFound") });
    expect(started).toEqual([]);
    expect(await deps.state.subscriptions.get("subscription", stranger)).toBeUndefined();
    expect((await deps.state.subscriptions.all()).map((r) => r.rowKey)).not.toContain(stranger);
    // The event's own row says what was done; a redelivery is a duplicate, not a second read.
    expect((await deps.state.seenEvents.get("event", event.id))?.value).toMatchObject({ eventType: "Microsoft.Resources.ResourceWriteSuccess", action: "ignored" });
    expect(await handleEvent(event as never, client)).toMatchObject({ action: "duplicate" });
  });

  it("a 403 on the pricing read of a subscription that is not onboarded is ignored; on an onboarded one it stays retryable", async () => {
    started.length = 0;
    emu.faults.set("Pricings_Get", { status: 403, code: "AuthorizationFailed", times: 100 });
    try {
      expect(await handleEvent(pricingWrite("Containers") as never, client)).toMatchObject({ action: "ignored", reason: expect.stringContaining("AuthorizationFailed") });
      expect(await deps.state.subscriptions.get("subscription", SUB)).toBeUndefined();
      await deps.state.subscriptions.upsert("subscription", SUB, { subscriptionId: SUB, state: "onboarded" });
      const event = pricingWrite("Containers");
      await expect(handleEvent(event as never, client)).rejects.toThrow(/AuthorizationFailed|authoriz/i);
      expect(await deps.state.seenEvents.get("event", event.id)).toBeUndefined();
    } finally {
      emu.faults.clear("Pricings_Get");
      await deps.state.subscriptions.delete("subscription", SUB);
    }
    expect(started).toEqual([]);
  });
});

describe("registry events", () => {
  it("answers unknown for an ImageDeleted of a digest Vantage never scanned", async () => {
    const outcome = await handleEvent(registryEvent("ImageDeleted", `sha256:${"a".repeat(64)}`) as never, client);
    expect(outcome).toEqual({ action: "unknown", reason: expect.stringContaining("never scanned") });
  });

  it("ignores an event whose topic is not the registry that owns the login server", async () => {
    started.length = 0;
    const other = `/subscriptions/${SUB}/resourceGroups/rg-evil/providers/Microsoft.ContainerRegistry/registries/evil`;
    const outcome = await handleEvent(registryEvent("ImagePushed", `sha256:${"b".repeat(64)}`, other) as never, client);
    expect(outcome).toMatchObject({ action: "ignored", reason: expect.stringContaining("is not the registry vantagedemo.azurecr.io") });
    expect(started).toEqual([]);
    const ok = await handleEvent(registryEvent("ImagePushed", `sha256:${"c".repeat(64)}`, REGISTRY_ID.toUpperCase()) as never, client);
    expect(ok).toMatchObject({ action: "started" });
  });
});
