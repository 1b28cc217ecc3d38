// Azure blast-radius reads through the real SDK clients against the ARM emulator: assignedTo()
// filter with nextLink paging, role definitions (built-in and custom) read once each, workload
// identities resolved by client id; 403/404/429 leave the identity "unknown" and the read goes on.
// Across onboarded subscriptions: grants found where they are, management-group assignments seen
// from every subscription kept once, one unreadable subscription listed without hiding the others.
import { afterEach, describe, expect, it } from "vitest";
import { loadEstate, type EstateFile } from "../../demo/runtime/arm/estate.js";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { armClients } from "../../shared/azure/connection.js";
import { OPERATOR_ROLE_ACTIONS } from "../../shared/azure/permissions.js";
import { readAzureAccess, type AccessTargets } from "../../shared/azure/role-access.js";
import { callsOf, connect, emulator, SUB1, SUB2 } from "./helpers.js";

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

const ML = { source: "workload-identity" as const, clientId: ML_CLIENT };
const ML_PRINCIPAL = "d4d4d4d4-0000-4000-8000-000000000001";
const MG = "/providers/Microsoft.Management/managementGroups/mg-contoso";
const both = (emu: ArmEmulator, subscriptions = [SUB1, SUB2]): AccessTargets => ({ arm: (s) => connect(emu, s), home: SUB1, subscriptions });

/** The demo estate plus: a management group over both subscriptions with a User Access Administrator
 * assignment of the shop kubelet identity, and a platform identity that lives in SUB2 but holds a
 * Key Vault role in SUB1. */
function crossEstate(): EstateFile {
  const estate = structuredClone(loadEstate());
  estate.managementGroups = [{ name: "mg-contoso", subscriptions: [SUB1, SUB2], roleAssignments: [{ role: "User Access Administrator", principalId: SHOP_KUBELET.principalId }] }];
  const sub2 = estate.subscriptions.find((s) => s.subscriptionId === SUB2)!;
  sub2.identities = [...(sub2.identities ?? []), { resourceGroup: "rg-platform", name: "id-platform", clientId: PLATFORM_CLIENT, principalId: PLATFORM_PRINCIPAL }];
  sub2.roleAssignments = [...(sub2.roleAssignments ?? []), { scope: `/subscriptions/${SUB1}/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv-ml`, role: "Key Vault Secrets User", principalId: PLATFORM_PRINCIPAL }];
  return estate;
}
const PLATFORM_CLIENT = "e5e5e5e5-0000-4000-8000-000000000001";
const PLATFORM_PRINCIPAL = "f6f6f6f6-0000-4000-8000-000000000001";

async function listAll(emu: ArmEmulator, sub: string, filter?: string): Promise<{ scope?: string; principalId?: string }[]> {
  const out = [];
  for await (const a of armClients(connect(emu, sub)).authorization.roleAssignments.listForSubscription(filter ? { filter } : {})) out.push(a);
  return out;
}

describe("the emulator's role-assignment list semantics", () => {
  it("assignedTo() and principalId eq: at, above and below the subscription for that principal; atScope(): at or above only; no filter: everything that applies", async () => {
    emu = await emulator({ estate: crossEstate(), pageSize: 1 });
    const scopes = (list: { scope?: string }[]) => list.map((a) => a.scope).sort();
    // The shop kubelet: two resource-group assignments in SUB1 (below) and one at the management group (above).
    expect(scopes(await listAll(emu, SUB1, `assignedTo('${SHOP_KUBELET.principalId}')`))).toEqual([MG, `/subscriptions/${SUB1}/resourceGroups/rg-shop`, `/subscriptions/${SUB1}/resourceGroups/rg-shop`]);
    expect(scopes(await listAll(emu, SUB1, `principalId eq '${SHOP_KUBELET.principalId}'`))).toEqual(scopes(await listAll(emu, SUB1, `assignedTo('${SHOP_KUBELET.principalId}')`)));
    // From SUB2 only the inherited one: SUB1's resource groups are not below SUB2.
    expect(scopes(await listAll(emu, SUB2, `assignedTo('${SHOP_KUBELET.principalId}')`))).toEqual([MG]);
    // The ML identity: Owner in SUB1, Contributor in SUB2 — each only from its own subscription.
    expect(scopes(await listAll(emu, SUB2, `assignedTo('${ML_PRINCIPAL}')`))).toEqual([`/subscriptions/${SUB2}/resourceGroups/rg-dev`]);
    expect((await listAll(emu, SUB1, "atScope()")).map((a) => a.scope)).toEqual([MG]);
    const all = await listAll(emu, SUB1);
    expect(all.some((a) => a.scope === MG)).toBe(true);
    expect(all.some((a) => a.scope?.startsWith(`/subscriptions/${SUB1}/resourceGroups/`))).toBe(true);
    expect(all.some((a) => a.scope?.startsWith(`/subscriptions/${SUB2}`))).toBe(false);
  });
});

describe("readAzureAccess across onboarded subscriptions", () => {
  it("finds a grant in another onboarded subscription that the cluster's own subscription does not show", async () => {
    emu = await emulator();
    const [alone] = await readAzureAccess(connect(emu), [ML]);
    expect(alone!.grants.map((g) => g.roleName)).toEqual(["Owner"]);
    const [ml] = await readAzureAccess(both(emu), [ML]);
    expect(ml).toMatchObject({ status: "known", name: "id-ml-inference", subscriptionsRead: [SUB1, SUB2] });
    expect(ml!.unreadSubscriptions).toBeUndefined();
    expect(ml!.grants.map((g) => [g.roleName, g.scope, g.capabilities])).toEqual([
      ["Owner", `/subscriptions/${SUB1}/resourceGroups/rg-ml`, ["assign roles", "write resources", "read storage data", "push images"]],
      ["Contributor", `/subscriptions/${SUB2}/resourceGroups/rg-dev`, ["write resources", "read storage data", "push images"]],
    ]);
    expect(callsOf(emu, "RoleAssignments_ListForSubscription").map((c) => c.path.split("/")[2])).toEqual([SUB1, SUB1, SUB2]);
  });

  it("keeps a management-group assignment seen from both subscriptions once, and reads its role definition once", async () => {
    emu = await emulator({ estate: crossEstate() });
    const [kubelet] = await readAzureAccess(both(emu), [SHOP_KUBELET]);
    expect(kubelet!.status).toBe("known");
    const inherited = kubelet!.grants.filter((g) => g.scope === MG);
    expect(inherited).toEqual([{
      assignmentId: expect.stringMatching(new RegExp(`^${MG}/providers/Microsoft.Authorization/roleAssignments/`)),
      scope: MG,
      roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/18d7d88d-d35e-4fb5-a5c3-7773c20a72d9",
      roleName: "User Access Administrator",
      capabilities: ["assign roles"],
    }]);
    expect(kubelet!.grants.map((g) => g.roleName).sort()).toEqual(["AcrPull", "Reader", "User Access Administrator"]);
    // Both subscriptions listed it; one definition read per role, always through a subscription
    // path (the tenant-level id is not read at the tenant, where the operator role is not assigned).
    expect(callsOf(emu, "RoleAssignments_ListForSubscription")).toHaveLength(2);
    const gets = callsOf(emu, "RoleDefinitions_Get").map((c) => c.path);
    expect(gets).toHaveLength(3);
    for (const path of gets) expect(path).toMatch(new RegExp(`^/subscriptions/(${SUB1}|${SUB2})/providers/Microsoft.Authorization/roleDefinitions/[0-9a-f-]{36}$`, "i"));
  });

  it("one subscription answering 403: the identity stays known for the other, lists the unread one", async () => {
    emu = await emulator();
    emu.faults.set("RoleAssignments_ListForSubscription", { status: 403, message: "no read in dev", match: SUB2 });
    const [ml, kubelet] = await readAzureAccess(both(emu), [ML, SHOP_KUBELET]);
    expect(ml).toMatchObject({ status: "known", subscriptionsRead: [SUB1], unreadSubscriptions: [{ subscriptionId: SUB2, reason: "403 AuthorizationFailed: no read in dev" }] });
    expect(ml!.grants.map((g) => g.roleName)).toEqual(["Owner"]);
    expect(kubelet).toMatchObject({ status: "known", unreadSubscriptions: [{ subscriptionId: SUB2 }] });
    expect(kubelet!.grants.map((g) => g.roleName)).toEqual(["Reader", "AcrPull"]);
  });

  it("a role definition unreadable through one subscription is read again through the next (a failure is not cached)", async () => {
    emu = await emulator({ estate: crossEstate() });
    emu.faults.set("RoleDefinitions_Get", { status: 403, match: "18d7d88d-d35e-4fb5-a5c3-7773c20a72d9", times: 1 });
    const [kubelet] = await readAzureAccess(both(emu), [SHOP_KUBELET], { concurrency: 1 });
    expect(kubelet).toMatchObject({ status: "known", subscriptionsRead: [SUB2], unreadSubscriptions: [{ subscriptionId: SUB1, reason: expect.stringMatching(/^403 AuthorizationFailed/) }] });
    expect(kubelet!.grants.map((g) => g.roleName)).toEqual(["User Access Administrator"]);
  });

  it("every subscription unreadable: unknown, with each subscription's reason", async () => {
    emu = await emulator();
    emu.faults.set("RoleAssignments_ListForSubscription", { status: 403 });
    const [ml] = await readAzureAccess(both(emu), [ML]);
    expect(ml).toMatchObject({ status: "unknown", reason: expect.stringMatching(/^403 AuthorizationFailed/), grants: [], subscriptionsRead: [] });
    expect(ml!.unreadSubscriptions!.map((u) => u.subscriptionId)).toEqual([SUB1, SUB2]);
  });

  it("resolves a workload identity's client id in another subscription, after the cluster's own", async () => {
    emu = await emulator({ estate: crossEstate() });
    const [platform] = await readAzureAccess(both(emu), [{ source: "workload-identity", clientId: PLATFORM_CLIENT }]);
    expect(platform).toMatchObject({
      status: "known", principalId: PLATFORM_PRINCIPAL, name: "id-platform",
      resourceId: expect.stringMatching(new RegExp(`^/subscriptions/${SUB2}/resourcegroups/rg-platform/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-platform$`, "i")),
    });
    expect(platform!.grants.map((g) => [g.roleName, g.capabilities])).toEqual([["Key Vault Secrets User", ["read Key Vault secrets"]]]);
    expect(callsOf(emu, "UserAssignedIdentities_ListBySubscription").map((c) => c.path.split("/")[2])).toEqual([SUB1, SUB2]);
  });

  it("a client id not found where identities could be listed, with one subscription unlisted: unknown, naming both", async () => {
    emu = await emulator({ estate: crossEstate() });
    emu.faults.set("UserAssignedIdentities_ListBySubscription", { status: 403, match: SUB2 });
    const [platform] = await readAzureAccess(both(emu), [{ source: "workload-identity", clientId: PLATFORM_CLIENT }]);
    expect(platform!.status).toBe("unknown");
    expect(platform!.reason).toMatch(new RegExp(`^no user-assigned identity with client id ${PLATFORM_CLIENT} in subscriptions ${SUB1}, ${SUB2}; identities could not be listed in ${SUB2} \\(403 AuthorizationFailed`));
  });

  it("bounds identity × subscription reads: past the cap a subscription is unread with the reason, nothing is guessed", async () => {
    emu = await emulator();
    const [ml, kubelet] = await readAzureAccess(both(emu), [ML, SHOP_KUBELET], { maxReads: 3 });
    expect(ml!.subscriptionsRead).toEqual([SUB1, SUB2]);
    expect(kubelet).toMatchObject({ status: "known", subscriptionsRead: [SUB1], unreadSubscriptions: [{ subscriptionId: SUB2, reason: "not read: more than 3 identity × subscription reads in one cluster" }] });
    expect(callsOf(emu, "RoleAssignments_ListForSubscription")).toHaveLength(3);
  });

  it("stays within the operator role: only GETs at the onboarded subscriptions, each an action the role already lists", async () => {
    emu = await emulator({ estate: crossEstate() });
    await readAzureAccess(both(emu), [ML, SHOP_KUBELET, { source: "workload-identity", clientId: PLATFORM_CLIENT }]);
    const action: Record<string, string> = {
      RoleAssignments_ListForSubscription: "Microsoft.Authorization/roleAssignments/read",
      RoleDefinitions_Get: "Microsoft.Authorization/roleDefinitions/read",
      UserAssignedIdentities_ListBySubscription: "Microsoft.ManagedIdentity/userAssignedIdentities/read",
    };
    expect(emu.calls.length).toBeGreaterThan(0);
    for (const c of emu.calls) {
      expect(c.method).toBe("GET");
      // Subscription scope, where onboarding assigns the operator role — never a management group or the tenant.
      expect(c.path).toMatch(new RegExp(`^/subscriptions/(${SUB1}|${SUB2})/`, "i"));
      expect(OPERATOR_ROLE_ACTIONS).toContain(action[c.operationId ?? ""]);
    }
  });

  it("a malformed onboarded subscription id is unread with the reason; the rest is read", async () => {
    emu = await emulator();
    const [ml] = await readAzureAccess(both(emu, [SUB1, "not-a-subscription"]), [ML]);
    expect(ml).toMatchObject({ status: "known", subscriptionsRead: [SUB1], unreadSubscriptions: [{ subscriptionId: "not-a-subscription" }] });
  });
});
