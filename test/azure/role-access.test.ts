// Azure blast-radius reads through the real SDK clients against the ARM emulator: assignedTo()
// filter with nextLink paging, role definitions (built-in and custom) read once each, workload
// identities resolved by client id; 403/404/429 leave the identity "unknown" and the read goes on.
import { afterEach, describe, expect, it } from "vitest";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { armClients } from "../../shared/azure/connection.js";
import { readAzureAccess } from "../../shared/azure/role-access.js";
import { callsOf, connect, emulator, SUB1 } from "./helpers.js";

const ML_CLIENT = "7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d";
const SHOP_KUBELET = { source: "kubelet" as const, clientId: "b2b2b2b2-0000-4000-8000-000000000001", principalId: "c3c3c3c3-0000-4000-8000-000000000001" };

let emu: ArmEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe("readAzureAccess", () => {
  it("resolves a workload identity by client id and evaluates its Owner assignment; pages through nextLink", async () => {
    emu = await emulator({ pageSize: 1 });
    const [ml, kubelet] = await readAzureAccess(connect(emu), [{ source: "workload-identity", clientId: ML_CLIENT }, SHOP_KUBELET]);
    expect(ml).toMatchObject({
      status: "known", principalId: "d4d4d4d4-0000-4000-8000-000000000001", name: "id-ml-inference",
      resourceId: expect.stringMatching(/\/userAssignedIdentities\/id-ml-inference$/),
    });
    expect(ml!.grants).toEqual([{
      assignmentId: expect.stringContaining("/providers/Microsoft.Authorization/roleAssignments/"),
      scope: `/subscriptions/${SUB1}/resourceGroups/rg-ml`,
      roleDefinitionId: `/subscriptions/${SUB1}/providers/Microsoft.Authorization/roleDefinitions/8e3af657-a8ff-443c-a75c-2fe8c4bcb635`,
      roleName: "Owner",
      capabilities: ["assign roles", "write resources", "read storage data", "push images"],
    }]);
    expect(kubelet!.status).toBe("known");
    expect(kubelet!.grants.map((g) => [g.roleName, g.capabilities])).toEqual([["Reader", []], ["AcrPull", []]]);
    // Two assignments at one per page: the second came through nextLink, with the filter kept.
    const lists = callsOf(emu, "RoleAssignments_ListForSubscription");
    expect(lists.length).toBe(3);
    expect(callsOf(emu, "RoleDefinitions_Get")).toHaveLength(3);
  });

  it("filters exactly: only the principal's assignments, and an unsupported $filter is a 400", async () => {
    emu = await emulator();
    const [other] = await readAzureAccess(connect(emu), [{ source: "kubelet", principalId: "c3c3c3c3-0000-4000-8000-000000000002" }]);
    expect(other).toMatchObject({ status: "known", grants: [] });
    const list = armClients(connect(emu)).authorization.roleAssignments.listForSubscription({ filter: "roleName eq 'Owner'" });
    await expect((async () => { for await (const _ of list) void _; })()).rejects.toMatchObject({ statusCode: 400 });
  });

  it.each([
    ["403 on the assignment list", "RoleAssignments_ListForSubscription", 403, /^403 AuthorizationFailed/],
    ["404 on a role definition", "RoleDefinitions_Get", 404, /^404 /],
    ["429 that outlasts the retries", "RoleAssignments_ListForSubscription", 429, /^429 TooManyRequests/],
  ])("%s: identity unknown with the reason, the others still read", async (_name, op, status, reason) => {
    emu = await emulator();
    emu.faults.set(op, { status, retryAfterSeconds: 0, times: status === 429 ? 4 : 1 });
    const [first, second] = await readAzureAccess(connect(emu), [SHOP_KUBELET, { source: "workload-identity", clientId: ML_CLIENT }]);
    expect(first!.status).toBe("unknown");
    expect(first!.reason).toMatch(reason);
    expect(first!.grants).toEqual([]);
    expect(second!.status).toBe("known");
    expect(second!.grants[0]!.roleName).toBe("Owner");
  });

  it("an unknown client id is unknown, not guessed", async () => {
    emu = await emulator();
    const [x] = await readAzureAccess(connect(emu), [{ source: "workload-identity", clientId: "00000000-0000-4000-8000-00000000dead" }]);
    expect(x).toMatchObject({ status: "unknown", reason: expect.stringMatching(/no user-assigned identity with client id/) });
  });
});
