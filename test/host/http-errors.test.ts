// Typed errors reach the caller with their category's status through the real path: local host HTTP
// server → the product's handler wrapped in withErrors → {"error":{"code","message"}}. Each case is
// raised by product code (scope checks, read model, onboarding trigger), not by a test handler.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { OrchestrationHandler } from "durable-functions";
import { AuthError, ConflictError, InputError, LimitExceededError, NotFoundError, RequestError, requestErrorFrom } from "../../shared/errors.js";
import type { LocalHost } from "../../shared/host/local-host.js";
import { parseAccessMap } from "../../shared/workflows/access.js";
import type { Dependencies } from "../../shared/workflows/dependencies.js";
import { onboardInstanceId } from "../../shared/workflows/instance-ids.js";
import { testHost } from "../support/host.js";

const SUB_A = "11111111-aaaa-4000-8000-000000000001";
const SUB_B = "22222222-bbbb-4000-8000-000000000002";
const READER = "aaaaaaaa-0000-4000-8000-00000000000a";

let host: LocalHost;
let deps: Dependencies;
let base: string;
const logged: string[] = [];
// An activity the test holds open, so an orchestration instance stays Running as long as it needs.
let release: () => void = () => {};
const held = new Promise<void>((resolve) => (release = resolve));
const hold: OrchestrationHandler = function* (context) {
  yield context.df.callActivity("testHold");
  return "done";
};

beforeAll(async () => {
  ({ host, deps } = testHost("he", {
    log: (m) => logged.push(m),
    extra: [
      { name: "testHoldOpen", trigger: { type: "orchestration" }, handler: hold },
      { name: "testHold", trigger: { type: "activity" }, handler: async () => held },
    ],
  }));
  await host.start();
  base = host.http!.url;
  deps.config.access = parseAccessMap(JSON.stringify({ [READER]: [SUB_A] }));
});
afterAll(async () => {
  release();
  await host?.stop();
});

const principal = (oid: string) => ({ "x-ms-client-principal": Buffer.from(JSON.stringify({ claims: [{ typ: "oid", val: oid }] })).toString("base64") });

async function call(path: string, init: RequestInit = {}): Promise<{ status: number; code: string; message: string }> {
  const res = await fetch(`${base}${path}`, init);
  const body = (await res.json()) as { error?: { code: string; message: string } };
  return { status: res.status, code: body.error?.code ?? "", message: body.error?.message ?? "" };
}

describe("HTTP status by error category", () => {
  it("AuthError: 401 without a principal or with a malformed one, 403 for a caller with no grant", async () => {
    expect(await call("/api/clusters")).toMatchObject({ status: 401, code: "Unauthorized", message: expect.stringMatching(/authenticated caller/) });
    expect(await call("/api/clusters", { headers: { "x-ms-client-principal": Buffer.from("[]").toString("base64") } })).toMatchObject({ status: 401, code: "Unauthorized" });
    expect(await call("/api/clusters", { headers: principal("cccccccc-0000-4000-8000-00000000000c") })).toMatchObject({ status: 403, code: "Forbidden" });
    // The same caller with a grant gets through: the 401/403 above are about who asks, not the route.
    expect((await fetch(`${base}/api/clusters`, { headers: principal(READER) })).status).toBe(200);
  });

  it("NotFoundError: 404 for a graph that is not stored, an onboarding never run, and a subscription outside the scope", async () => {
    const as = principal(READER);
    expect(await call("/api/graphs/no-such-cluster", { headers: as })).toMatchObject({ status: 404, code: "NotFound", message: 'no graph for cluster "no-such-cluster"' });
    expect(await call(`/api/onboard/${SUB_A}`, { headers: as })).toMatchObject({ status: 404, code: "NotFound" });
    expect(await call(`/api/onboard/${SUB_B}`, { headers: as })).toMatchObject({ status: 404, code: "NotFound" });
    expect(await call("/api/query", { method: "POST", headers: as, body: JSON.stringify({ query: "MATCH (p:Pod) RETURN p", cluster: "no-such-cluster" }) })).toMatchObject({ status: 404, code: "NotFound" });
  });

  it("ConflictError: 409 when onboarding of the subscription is already running", async () => {
    await host.context.client.startNew("testHoldOpen", { instanceId: onboardInstanceId(SUB_A) });
    for (let i = 0; i < 100 && (await host.context.client.getStatus(onboardInstanceId(SUB_A)))?.runtimeStatus !== "Running"; i++) await new Promise((r) => setTimeout(r, 20));
    const res = await call("/api/onboard", { method: "POST", headers: principal(READER), body: JSON.stringify({ subscriptionId: SUB_A }) });
    expect(res).toMatchObject({ status: 409, code: "OnboardingInProgress", message: expect.stringMatching(/already running/) });
    // Operators see the refusal in the host log with its status and code.
    expect(logged.some((l) => l.startsWith("409 POST /api/onboard: OnboardingInProgress"))).toBe(true);
    release();
    expect((await host.context.client.waitForCompletion(onboardInstanceId(SUB_A), 10_000)).runtimeStatus).toBe("Completed");
  });

  it("InputError: 400 for bad input and 413 for an oversized body", async () => {
    expect(await call("/api/onboard", { method: "POST", headers: principal(READER), body: JSON.stringify({ subscriptionId: "nope" }) })).toMatchObject({ status: 400, code: "InvalidSubscriptionId" });
    expect(await call("/api/onboard", { method: "POST", headers: principal(READER), body: "x".repeat(1024 * 1024 + 1) })).toMatchObject({ status: 413, code: "PayloadTooLarge" });
  });
});

describe("requestErrorFrom (errors crossing the worker-thread boundary)", () => {
  it("rebuilds each category with its code and status", () => {
    const cases: [RequestError, new (...a: never[]) => RequestError][] = [
      [new InputError("bad"), InputError],
      [new LimitExceededError("big"), LimitExceededError],
      [new AuthError("who", 401), AuthError],
      [new AuthError("no", 403), AuthError],
      [new NotFoundError("gone"), NotFoundError],
      [new ConflictError("busy", "InstanceAlreadyRunning"), ConflictError],
    ];
    for (const [err, kind] of cases) {
      const back = requestErrorFrom({ message: err.message, code: err.code, status: err.status });
      expect(back, err.name).toBeInstanceOf(kind);
      expect({ message: back.message, code: back.code, status: back.status }).toEqual({ message: err.message, code: err.code, status: err.status });
    }
    expect([new AuthError("x", 401).code, new AuthError("x", 403).code]).toEqual(["Unauthorized", "Forbidden"]);
    // A status outside the categories (a registry's 502) stays a RequestError with that status.
    const upstream = requestErrorFrom({ message: "registry down", code: "RegistryError", status: 502 });
    expect(upstream).toBeInstanceOf(RequestError);
    expect(upstream).not.toBeInstanceOf(InputError);
    expect(upstream.status).toBe(502);
  });
});
