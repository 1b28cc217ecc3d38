import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LocalHost } from "../../shared/host/local-host.js";
import { parseCron } from "../../shared/host/cron.js";
import { testHost } from "../support/host.js";
import { uniqueName } from "../support/storage.js";

let host: LocalHost;
let base: string;
const logged: string[] = [];

beforeAll(async () => {
  ({ host } = testHost("h", { log: (m) => logged.push(m) }));
  await host.start();
  base = host.http!.url;
});
afterAll(async () => host?.stop());

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${base}${path}`, { method: "POST", body, headers: { "content-type": "application/json", ...headers } });

describe("local Functions host", () => {
  it("serves the health endpoint and JSON 404/405 errors", async () => {
    const health = await fetch(`${base}/api/health`);
    expect(health.status).toBe(200);
    expect((await health.json()) as any).toMatchObject({ status: "ok" });
    const missing = await fetch(`${base}/api/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("NotFound");
    const wrongMethod = await fetch(`${base}/api/health`, { method: "POST" });
    expect(wrongMethod.status).toBe(405);
  });

  it("answers the Event Grid subscription-validation handshake", async () => {
    const res = await post("/api/events", JSON.stringify([{
      id: "v1", topic: "/subscriptions/x", subject: "", eventType: "Microsoft.EventGrid.SubscriptionValidationEvent",
      eventTime: new Date().toISOString(), data: { validationCode: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" }, dataVersion: "1", metadataVersion: "1",
    }]));
    expect(res.status).toBe(200);
    expect((await res.json()) as any).toEqual({ validationResponse: "512d38b6-c7b8-40c8-89fe-f46f9e9622b6" });
  });

  it("rejects malformed, oversized and empty event deliveries with 4xx JSON", async () => {
    const bad = await post("/api/events", "{not json");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/not JSON/);
    const missing = await post("/api/events", JSON.stringify([{ id: "1", eventType: "X" }]));
    expect(missing.status).toBe(400);
    const empty = await post("/api/events", "[]");
    expect(empty.status).toBe(400);
    const huge = await post("/api/events", JSON.stringify([{ pad: "x".repeat(1_100_000) }]));
    expect(huge.status).toBe(413);
    // The host keeps serving after bad input, and logged each rejection.
    expect((await fetch(`${base}/api/health`)).status).toBe(200);
    expect(logged.some((m) => /^400 POST \/api\/events: BadInput: event body is not JSON/.test(m))).toBe(true);
  });

  it("answers the CloudEvents OPTIONS handshake and rejects bad ids and escapes with 400", async () => {
    const options = await fetch(`${base}/api/events`, { method: "OPTIONS", headers: { "WebHook-Request-Origin": "eventgrid.azure.net" } });
    expect(options.status).toBe(200);
    expect(options.headers.get("webhook-allowed-origin")).toBe("eventgrid.azure.net");
    const longId = await post("/api/events", JSON.stringify([{ id: "x".repeat(300), topic: "t", subject: "s", eventType: "X", eventTime: new Date().toISOString(), data: {}, dataVersion: "1" }]));
    expect(longId.status).toBe(400);
    expect((await fetch(`${base}/api/onboard/%E0%A4%A`)).status).toBe(400);
    // A registry event with non-string fields is ignored, not a 500.
    const odd = await post("/api/events", JSON.stringify([{ id: uniqueName("odd"), topic: "t", subject: "s", eventType: "Microsoft.ContainerRegistry.ImagePushed", eventTime: new Date().toISOString(), data: { request: { host: { toString: 1 } }, target: [] }, dataVersion: "1" }]));
    expect(odd.status).toBe(200);
    expect(((await odd.json()) as any).outcomes[0].action).toBe("ignored");
  });

  it("ignores unknown event types and makes redelivered events harmless", async () => {
    const event = { id: uniqueName("e"), topic: "/subscriptions/11111111-1111-4111-8111-111111111111", subject: "s", eventType: "Contoso.Unknown", eventTime: new Date().toISOString(), data: {}, dataVersion: "1", metadataVersion: "1" };
    const first = ((await (await post("/api/events", JSON.stringify([event]))).json()) as any);
    expect(first.outcomes[0].action).toBe("ignored");
    const again = ((await (await post("/api/events", JSON.stringify([event]))).json()) as any);
    expect(again.outcomes[0].action).toBe("duplicate");
  });

  it("ignores cluster writes in subscriptions that are not onboarded", async () => {
    const event = {
      id: uniqueName("e"), topic: "/subscriptions/99999999-9999-4999-8999-999999999999", subject: "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c",
      eventType: "Microsoft.Resources.ResourceWriteSuccess", eventTime: new Date().toISOString(),
      data: { operationName: "Microsoft.ContainerService/managedClusters/write", resourceUri: "/subscriptions/99999999-9999-4999-8999-999999999999/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/c" },
      dataVersion: "2", metadataVersion: "1",
    };
    const res = ((await (await post("/api/events", JSON.stringify(event))).json()) as any);
    expect(res.outcomes[0]).toMatchObject({ action: "ignored" });
    expect(res.outcomes[0].reason).toMatch(/not onboarded/);
  });

  it("validates onboarding requests", async () => {
    const res = await post("/api/onboard", JSON.stringify({ subscriptionId: "not-a-guid" }));
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("InvalidSubscriptionId");
    expect((await post("/api/onboard", "")).status).toBe(400);
  });

  it("filters findings and rejects bad filters", async () => {
    const ok = await fetch(`${base}/api/findings?severity=critical`);
    expect(ok.status).toBe(200);
    expect((await ok.json()) as any).toEqual({ findings: [] });
    const bad = await fetch(`${base}/api/findings?severity=apocalyptic`);
    expect(bad.status).toBe(400);
  });
});

describe("NCRONTAB schedules", () => {
  it("computes the next occurrence in UTC", () => {
    const from = new Date("2026-11-27T08:15:30Z");
    expect(parseCron("0 0 * * * *").next(from).toISOString()).toBe("2026-11-27T09:00:00.000Z");
    expect(parseCron("0 30 2 * * *").next(from).toISOString()).toBe("2026-11-28T02:30:00.000Z");
    expect(parseCron("*/15 * * * * *").next(from).toISOString()).toBe("2026-11-27T08:15:45.000Z");
    expect(parseCron("0 0 */6 * * *").next(from).toISOString()).toBe("2026-11-27T12:00:00.000Z");
    expect(parseCron("0 0 9 * * 1").next(from).toISOString()).toBe("2026-11-30T09:00:00.000Z");
    expect(() => parseCron("0 0 * * *")).toThrow(/six fields/);
    expect(() => parseCron("0 61 * * * *")).toThrow(/out of range/);
  });
});
