// Every step survives throttling and transient server errors (the SDK pipeline's retry policies,
// configured by ArmConnection.retry), and honours Retry-After.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  bindCluster,
  discoverClusters,
  discoverRegistries,
  ensureDataReadRole,
  ensureOperatorIdentity,
  ensureOperatorRole,
  ensureRegistryEventSubscription,
  getCluster,
  removeOperatorIdentity,
  removeOperatorRole,
  removeRegistryEventSubscription,
  unbindCluster,
  type ArmConnection,
  type ClusterFacts,
  type OperatorIdentity,
} from "../../shared/azure/index.js";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { DEFENDER_ROLE, DEFENDER_SOURCE, SUB1, callsOf, connect, emulator } from "./helpers.js";

let emu: ArmEmulator;
let conn: ArmConnection;
let identity: OperatorIdentity;
let shop: ClusterFacts;
let ml: ClusterFacts;
const ctx: Record<string, string> = {};

beforeAll(async () => {
  emu = await emulator({ pageSize: 2, lroPolls: 1 });
  conn = connect(emu);
});
afterAll(async () => emu.stop());
beforeEach(() => {
  emu.faults.clear();
  emu.calls.length = 0;
});

/** Each listed operation first answers 429 (Retry-After 0), then 503, then 500, then for real. */
function flaky(...operationIds: string[]) {
  for (const id of operationIds) {
    emu.faults.set(id, { status: 429, code: "TooManyRequests", retryAfterSeconds: 0, times: 1 });
    emu.faults.set(id, { status: 503, times: 1 });
    emu.faults.set(id, { status: 500, times: 1 });
  }
}

function expectSurvived(...operationIds: string[]) {
  for (const id of operationIds) {
    const statuses = callsOf(emu, id).map((c) => c.status);
    expect(statuses.slice(0, 4), id).toEqual([429, 503, 500, expect.any(Number)]);
    expect(statuses[3]! < 300, `${id} finally succeeded`).toBe(true);
  }
}

// Ordered: later steps use what earlier ones created.
const steps: [string, string[], () => Promise<unknown>][] = [
  [
    "ensureOperatorIdentity",
    ["UserAssignedIdentities_CreateOrUpdate"],
    async () => {
      identity = await ensureOperatorIdentity(conn, { resourceGroup: "rg-vantage", name: "vantage-operator", location: "westeurope" });
    },
  ],
  [
    "ensureOperatorRole",
    ["RoleDefinitions_CreateOrUpdate", "RoleAssignments_Create"],
    async () => {
      const r = await ensureOperatorRole(conn, { principalId: identity.principalId });
      ctx["roleAssignmentId"] = r.roleAssignmentId;
      ctx["roleDefinitionId"] = r.roleDefinitionId;
    },
  ],
  [
    "ensureDataReadRole",
    ["RoleDefinitions_CreateOrUpdate"],
    async () => {
      ctx["dataRole"] = await ensureDataReadRole(conn);
    },
  ],
  [
    "discoverClusters",
    ["ManagedClusters_List"],
    async () => {
      const clusters = await discoverClusters(conn);
      expect(clusters).toHaveLength(3);
      shop = clusters.find((c) => c.name === "aks-shop-prod")!;
      ml = clusters.find((c) => c.name === "aks-ml-prod")!;
    },
  ],
  ["getCluster", ["ManagedClusters_Get"], async () => expect((await getCluster(conn, shop.id))?.name).toBe("aks-shop-prod")],
  [
    "bindCluster (azure-rbac)",
    ["RoleAssignments_Create"],
    async () => {
      const r = await bindCluster(conn, ml, { principalId: identity.principalId, dataRoleDefinitionId: ctx["dataRole"]! });
      expect(r.state).toBe("bound");
      ctx["mlAssignment"] = r.roleAssignmentId!;
    },
  ],
  [
    "bindCluster (trusted-access, long-running)",
    ["TrustedAccessRoleBindings_CreateOrUpdate", "AsyncOperation_Get", "TrustedAccessRoleBindings_Get"],
    async () => {
      const r = await bindCluster(conn, shop, {
        strategy: "trusted-access",
        principalId: identity.principalId,
        trustedAccess: { sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE] },
      });
      expect(r.state).toBe("bound");
      ctx["binding"] = r.trustedAccessBindingId!;
    },
  ],
  [
    "discoverRegistries",
    ["Registries_List"],
    async () => {
      const [registry] = await discoverRegistries(conn);
      ctx["registry"] = registry!.id;
    },
  ],
  [
    "ensureRegistryEventSubscription",
    ["EventSubscriptions_CreateOrUpdate", "AsyncOperation_Get"],
    async () => {
      ctx["events"] = (await ensureRegistryEventSubscription(conn, { id: ctx["registry"]! }, { endpointUrl: "https://vantage.example.net/api/events" })).id;
    },
  ],
  [
    "unbindCluster",
    ["RoleAssignments_Delete", "TrustedAccessRoleBindings_Delete"],
    async () => {
      expect((await unbindCluster(conn, { roleAssignmentId: ctx["mlAssignment"]!, trustedAccessBindingId: ctx["binding"]! })).removed).toHaveLength(2);
    },
  ],
  ["removeRegistryEventSubscription", ["EventSubscriptions_Delete"], async () => expect(await removeRegistryEventSubscription(conn, ctx["events"]!)).toBe(true)],
  [
    "removeOperatorRole",
    ["RoleAssignments_Delete", "RoleDefinitions_Delete"],
    async () => {
      const r = await removeOperatorRole(conn, { roleAssignmentId: ctx["roleAssignmentId"]!, roleDefinitionIds: [ctx["roleDefinitionId"]!, ctx["dataRole"]!] });
      expect(r.removed).toHaveLength(3);
    },
  ],
  ["removeOperatorIdentity", ["UserAssignedIdentities_Delete"], async () => expect(await removeOperatorIdentity(conn, identity.resourceId)).toBe(true)],
];

describe("every step survives 429 + 503 + 500 on each of its ARM calls", () => {
  for (const [name, operations, run] of steps) {
    it(name, async () => {
      flaky(...operations);
      await run();
      expectSurvived(...operations);
    });
  }
});

describe("Retry-After and retry limits", () => {
  it("waits as long as Retry-After says before retrying", async () => {
    emu.faults.set("ManagedClusters_List", { status: 429, retryAfterSeconds: 1, times: 1 });
    await discoverClusters(conn);
    const [throttled, retried] = callsOf(emu, "ManagedClusters_List");
    expect(throttled!.status).toBe(429);
    expect(retried!.at - throttled!.at).toBeGreaterThanOrEqual(950);
  });

  it("honours Retry-After on 503 too, and backs off exponentially without it", async () => {
    emu.faults.set("ManagedClusters_Get", { status: 503, retryAfterSeconds: 1, times: 1 });
    await getCluster(conn, `/subscriptions/${SUB1}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod`);
    const [first, second] = callsOf(emu, "ManagedClusters_Get");
    expect(second!.at - first!.at).toBeGreaterThanOrEqual(950);
  });

  it("gives up after maxRetries: a step throws ArmError, a binding reports failed", async () => {
    emu.faults.set("ManagedClusters_List", { status: 503 });
    await expect(discoverClusters(conn)).rejects.toMatchObject({ name: "ArmError", status: 503, code: "ServiceUnavailable" });
    expect(callsOf(emu, "ManagedClusters_List")).toHaveLength(4);

    const id = await ensureOperatorIdentity(conn, { resourceGroup: "rg-vantage", name: "vantage-operator-2", location: "westeurope" });
    emu.faults.set("RoleAssignments_Create", { status: 500, match: "aks-ml-prod" });
    const r = await bindCluster(conn, ml, { principalId: id.principalId });
    expect(r).toMatchObject({ state: "failed", errorCode: "InternalServerError", remediation: expect.stringContaining("Transient") });
  });

  it("does not retry permanent errors", async () => {
    emu.faults.set("ManagedClusters_Get", { status: 400, code: "BadRequest", times: 1 });
    await expect(getCluster(conn, shop.id)).rejects.toMatchObject({ status: 400 });
    expect(callsOf(emu, "ManagedClusters_Get")).toHaveLength(1);
  });
});
