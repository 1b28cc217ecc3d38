// The ARM emulator itself, over raw HTTPS: auth, api-versions, errors, paging, LRO headers, faults.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { X509Certificate } from "node:crypto";
import { RawArmClient } from "../../../demo/runtime/arm/client.js";
import { createLoopbackCertificate, integer } from "../../../demo/runtime/arm/tls.js";
import { EMULATOR_TOKEN, startArmEmulator, type ArmEmulator } from "../../../demo/runtime/arm/server.js";
import { discoverClusters } from "../../../shared/azure/clusters.js";

const SUB1 = "11111111-1111-4111-8111-111111111111";
const CS = "api-version=2024-02-01";
const AUTHZ = "api-version=2022-04-01";
const CLUSTER = `/subscriptions/${SUB1}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod`;

let emu: ArmEmulator;
let arm: RawArmClient;
beforeAll(async () => {
  emu = await startArmEmulator({ pageSize: 2, lroPolls: 1 });
  arm = new RawArmClient(emu.endpoint, emu.caCert, EMULATOR_TOKEN);
});
afterAll(async () => {
  arm.close();
  await emu.stop();
});
beforeEach(() => emu.faults.clear());

const errorCode = (body: unknown) => (body as { error: { code: string } }).error.code;

describe("ARM emulator", () => {
  it("serves HTTPS that only clients trusting its CA accept", async () => {
    expect(emu.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const untrusting = { endpoint: emu.endpoint, credential: emu.credential, subscriptionId: SUB1, retry: { maxRetries: 0 } };
    await expect(discoverClusters(untrusting)).rejects.toThrow(/self[- ]signed|certificate/i);
  });

  it("requires a bearer token", async () => {
    const anonymous = new RawArmClient(emu.endpoint, emu.caCert, undefined);
    const res = await anonymous.send("GET", `${CLUSTER}?${CS}`);
    expect(res.status).toBe(401);
    expect(errorCode(res.body)).toBe("AuthenticationFailed");
    const wrong = new RawArmClient(emu.endpoint, emu.caCert, "not-the-token");
    expect((await wrong.send("GET", `${CLUSTER}?${CS}`)).status).toBe(401);
    anonymous.close();
    wrong.close();
  });

  it("checks api-versions like ARM", async () => {
    const missing = await arm.send("GET", CLUSTER);
    expect([missing.status, errorCode(missing.body)]).toEqual([400, "MissingApiVersionParameter"]);
    const wrong = await arm.send("GET", `${CLUSTER}?api-version=2019-01-01`);
    expect([wrong.status, errorCode(wrong.body)]).toEqual([400, "NoRegisteredProviderFound"]);
    expect((await arm.send("GET", `${CLUSTER}?${CS}`)).status).toBe(200);
  });

  it("answers 404 with ARM's codes", async () => {
    const sub = await arm.send("GET", `/subscriptions/99999999-9999-4999-8999-999999999999/providers/Microsoft.ContainerService/managedClusters?${CS}`);
    expect([sub.status, errorCode(sub.body)]).toEqual([404, "SubscriptionNotFound"]);
    const rg = await arm.send("GET", `/subscriptions/${SUB1}/resourceGroups/rg-nope/providers/Microsoft.ContainerService/managedClusters/x?${CS}`);
    expect([rg.status, errorCode(rg.body)]).toEqual([404, "ResourceGroupNotFound"]);
    const res = await arm.send("GET", `/subscriptions/${SUB1}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/x?${CS}`);
    expect([res.status, errorCode(res.body)]).toEqual([404, "ResourceNotFound"]);
    const method = await arm.send("PATCH", `${CLUSTER}?${CS}`, {});
    expect(method.status).toBe(405);
  });

  it("pages lists with absolute nextLinks", async () => {
    const first = await arm.send("GET", `/subscriptions/${SUB1}/providers/Microsoft.ContainerService/managedClusters?${CS}`);
    const body = first.body as { value: { name: string; properties: unknown }[]; nextLink: string };
    expect(body.value).toHaveLength(2);
    expect(body.value[0]!.properties).toMatchObject({ aadProfile: { managed: true, enableAzureRBAC: true } });
    expect(body.nextLink.startsWith(`${emu.endpoint}/subscriptions/${SUB1}/`)).toBe(true);
    const second = (await arm.send("GET", body.nextLink)).body as { value: unknown[]; nextLink?: string };
    expect(second.value).toHaveLength(1);
    expect(second.nextLink).toBeUndefined();
  });

  it("runs trusted-access PUT as an Azure-AsyncOperation", async () => {
    const put = await arm.send("PUT", `${CLUSTER}/trustedAccessRoleBindings/raw-test?${CS}`, {
      properties: { sourceResourceId: `/subscriptions/${SUB1}/providers/Microsoft.Security/pricings/Containers`, roles: ["Microsoft.Security/pricings/microsoft-defender-operator"] },
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ properties: { provisioningState: "Updating" } });
    const op = String(put.headers["azure-asyncoperation"]);
    expect(put.headers["location"]).toBeDefined();
    expect((await arm.send("GET", op)).body).toMatchObject({ status: "InProgress" });
    expect((await arm.send("GET", op)).body).toMatchObject({ status: "Succeeded" });
    expect((await arm.send("GET", `${CLUSTER}/trustedAccessRoleBindings/raw-test?${CS}`)).body).toMatchObject({ properties: { provisioningState: "Succeeded" } });
  });

  it("rejects duplicate role assignments with 409 RoleAssignmentExists and unknown principals", async () => {
    const identity = await arm.send("PUT", `/subscriptions/${SUB1}/resourceGroups/rg-vantage/providers/Microsoft.ManagedIdentity/userAssignedIdentities/raw?api-version=2023-01-31`, {
      location: "westeurope",
    });
    expect(identity.status).toBe(201);
    const principalId = (identity.body as { properties: { principalId: string } }).properties.principalId;
    const roleId = `/subscriptions/${SUB1}/providers/Microsoft.Authorization/roleDefinitions/00000000-0000-4000-8000-00000000abcd`;
    expect(
      (await arm.send("PUT", `${roleId}?${AUTHZ}`, {
        properties: { roleName: "raw", permissions: [{ actions: ["Microsoft.ContainerService/managedClusters/read"] }], assignableScopes: [`/subscriptions/${SUB1}`] },
      })).status,
    ).toBe(201);
    const assign = (name: string, principal = principalId) =>
      arm.send("PUT", `${CLUSTER}/providers/Microsoft.Authorization/roleAssignments/${name}?${AUTHZ}`, {
        properties: { roleDefinitionId: roleId, principalId: principal, principalType: "ServicePrincipal" },
      });
    expect((await assign("00000000-0000-4000-8000-000000000001")).status).toBe(201);
    const dup = await assign("00000000-0000-4000-8000-000000000002");
    expect([dup.status, errorCode(dup.body)]).toEqual([409, "RoleAssignmentExists"]);
    const ghost = await assign("00000000-0000-4000-8000-000000000003", "12345678-1234-4234-8234-123456789012");
    expect([ghost.status, errorCode(ghost.body)]).toEqual([400, "PrincipalNotFound"]);
  });

  it("injects faults per operation, with times, match, delay, and logs every call", async () => {
    emu.calls.length = 0;
    emu.faults.set("ManagedClusters_Get", { status: 429, retryAfterSeconds: 1, times: 1 });
    emu.faults.set("ManagedClusters_List", { status: 403, code: "AuthorizationFailed", match: "nomatch" });
    const throttled = await arm.send("GET", `${CLUSTER}?${CS}`);
    expect([throttled.status, throttled.headers["retry-after"], errorCode(throttled.body)]).toEqual([429, "1", "TooManyRequests"]);
    expect((await arm.send("GET", `${CLUSTER}?${CS}`)).status).toBe(200);
    expect((await arm.send("GET", `/subscriptions/${SUB1}/providers/Microsoft.ContainerService/managedClusters?${CS}`)).status).toBe(200);

    emu.faults.set("*", { delayMs: 150, times: 1 });
    const started = Date.now();
    expect((await arm.send("GET", `${CLUSTER}?${CS}`)).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);

    emu.faults.set("*", { status: 500 });
    expect((await arm.send("GET", `${CLUSTER}?${CS}`)).status).toBe(500);
    emu.faults.clear();
    expect((await arm.send("GET", `${CLUSTER}?${CS}`)).status).toBe(200);

    expect(emu.calls.map((c) => [c.operationId, c.status, Boolean(c.injected)])).toEqual([
      ["ManagedClusters_Get", 429, true],
      ["ManagedClusters_Get", 200, false],
      ["ManagedClusters_List", 200, false],
      ["ManagedClusters_Get", 200, false],
      ["ManagedClusters_Get", 500, true],
      ["ManagedClusters_Get", 200, false],
    ]);
  });
});

describe("loopback certificate", () => {
  it("encodes DER integers minimally, whatever the random serial (leading zero bytes are 1 in 256)", () => {
    expect(integer(Buffer.from([0, 0, 0x12]))).toEqual(Buffer.from([0x02, 1, 0x12]));
    expect(integer(Buffer.from([0, 0x92]))).toEqual(Buffer.from([0x02, 2, 0, 0x92]));
    expect(integer(Buffer.from([0x92]))).toEqual(Buffer.from([0x02, 2, 0, 0x92]));
    expect(integer(Buffer.from([0]))).toEqual(Buffer.from([0x02, 1, 0]));
    // Many certificates, each parsed by OpenSSL through node:crypto.
    for (let i = 0; i < 300; i++) expect(() => new X509Certificate(createLoopbackCertificate().cert)).not.toThrow();
  });
});
