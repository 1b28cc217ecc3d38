// The onboarding steps with the real SDK clients against the ARM emulator.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  assessBindability,
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
  ArmError,
  DATA_READ_ACTIONS,
  OPERATOR_ROLE_ACTIONS,
  type ClusterFacts,
} from "../../shared/azure/index.js";
import { InputError } from "../../shared/errors.js";
import { syntheticEstate } from "../../demo/runtime/arm/estate.js";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { DEFENDER_ROLE, DEFENDER_SOURCE, SUB1, SUB2, callsOf, connect, emulator } from "./helpers.js";

let emu: ArmEmulator;
afterEach(async () => emu?.stop());

const IDENTITY = { resourceGroup: "rg-vantage", name: "vantage-operator", location: "westeurope" };
const byName = (clusters: ClusterFacts[], name: string) => clusters.find((c) => c.name === name)!;

describe("discovery", () => {
  beforeEach(async () => {
    emu = await emulator({ pageSize: 2 });
  });

  it("maps every ClusterFacts field of the demo clusters", async () => {
    const clusters = await discoverClusters(connect(emu));
    expect(clusters.map((c) => c.name).sort()).toEqual(["aks-legacy", "aks-ml-prod", "aks-shop-prod"]);
    expect(byName(clusters, "aks-shop-prod")).toEqual({
      id: `/subscriptions/${SUB1}/resourcegroups/rg-shop/providers/microsoft.containerservice/managedclusters/aks-shop-prod`,
      name: "aks-shop-prod",
      subscriptionId: SUB1,
      resourceGroup: "rg-shop",
      location: "westeurope",
      kubernetesVersion: "1.29.4",
      provisioningState: "Succeeded",
      powerState: "Running",
      fqdn: "aks-shop-prod-k8s-3f2a1b.hcp.westeurope.azmk8s.io",
      privateCluster: false,
      authorizedIpRanges: [],
      publicApiServer: true,
      enableRBAC: true,
      aadManaged: true,
      azureRbac: true,
      localAccountsDisabled: true,
      networkPlugin: "azure",
      outboundType: "loadBalancer",
      nodePools: [
        { name: "system", count: 3, vmSize: "Standard_D4s_v5", osType: "Linux", mode: "System", powerState: "Running", nodePublicIp: false },
        { name: "web", count: 4, vmSize: "Standard_D4s_v5", osType: "Linux", mode: "User", powerState: "Running", nodePublicIp: true },
      ],
      kubeletIdentity: {
        clientId: "b2b2b2b2-0000-4000-8000-000000000001",
        objectId: "c3c3c3c3-0000-4000-8000-000000000001",
        resourceId: `/subscriptions/${SUB1}/resourceGroups/MC_rg-shop_aks-shop-prod_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks-shop-prod-agentpool`,
      },
      oidcIssuerUrl: "https://westeurope.oic.prod-aks.azure.com/72f988bf-86f1-41af-91ab-2d7cd011db47/0d5f1f2e-aks-shop-prod/",
      workloadIdentityEnabled: true,
      // System-assigned: ARM gives only the principal id.
      clusterIdentity: { objectId: "a1a1a1a1-0000-4000-8000-000000000001" },
      networkPolicy: "calico",
      kmsEnabled: false,
      defenderEnabled: false,
      azurePolicyEnabled: false,
    });
    const ml = byName(clusters, "aks-ml-prod");
    expect(ml).toMatchObject({ privateCluster: true, publicApiServer: false, privateFqdn: expect.stringContaining("privatelink") });
    expect(ml.fqdn).toBeUndefined();
    expect(byName(clusters, "aks-legacy")).toMatchObject({ aadManaged: false, azureRbac: false, authorizedIpRanges: ["203.0.113.0/24"], publicApiServer: false });
    // Two pages of two: the nextLink was followed.
    expect(callsOf(emu, "ManagedClusters_List")).toHaveLength(2);
  });

  it("decides bindability for every demo cluster in both subscriptions", async () => {
    const all = [...(await discoverClusters(connect(emu))), ...(await discoverClusters(connect(emu, SUB2)))];
    const verdicts = Object.fromEntries(all.map((c) => [c.name, assessBindability(c, "azure-rbac")]));
    expect(Object.fromEntries(Object.entries(verdicts).map(([n, v]) => [n, v.bindable ? "bindable" : v.code]))).toEqual({
      "aks-shop-prod": "bindable",
      "aks-ml-prod": "bindable",
      "aks-legacy": "LocalAccountsOnly",
      "aks-sandbox": "bindable",
      "aks-dev": "ClusterStopped",
      "aks-dev-rbac-off": "AzureRbacDisabled",
    });
  });

  it("pages through many clusters", async () => {
    await emu.stop();
    emu = await emulator({ estate: syntheticEstate(57), pageSize: 5 });
    const clusters = await discoverClusters(connect(emu, "33333333-3333-4333-8333-333333333333"));
    expect(clusters).toHaveLength(57);
    expect(new Set(clusters.map((c) => c.id)).size).toBe(57);
    expect(callsOf(emu, "ManagedClusters_List")).toHaveLength(12);
  });

  it("gets one cluster, undefined when missing, and applies fqdn overrides", async () => {
    await emu.stop();
    emu = await emulator({ fqdnOverrides: { "aks-shop-prod": "127.0.0.1:6443", "aks-ml-prod": "127.0.0.1:6444" } });
    const conn = connect(emu);
    const shop = await getCluster(conn, `/subscriptions/${SUB1}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod`);
    expect(shop?.fqdn).toBe("127.0.0.1:6443");
    const ml = await getCluster(conn, `/subscriptions/${SUB1}/resourceGroups/rg-ml/providers/Microsoft.ContainerService/managedClusters/aks-ml-prod`);
    expect(ml?.privateFqdn).toBe("127.0.0.1:6444");
    expect(await getCluster(conn, `/subscriptions/${SUB1}/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/gone`)).toBeUndefined();
    expect(await getCluster(conn, `/subscriptions/${SUB1}/resourceGroups/rg-nope/providers/Microsoft.ContainerService/managedClusters/x`)).toBeUndefined();
    await expect(getCluster(conn, "/subscriptions/oops")).rejects.toThrow(InputError);
  });

  it("discovers the demo registry", async () => {
    expect(await discoverRegistries(connect(emu))).toEqual([
      {
        id: `/subscriptions/${SUB1}/resourcegroups/rg-shop/providers/microsoft.containerregistry/registries/vantagedemo`,
        name: "vantagedemo",
        subscriptionId: SUB1,
        loginServer: "vantagedemo.azurecr.io",
        adminUserEnabled: false,
        publicNetworkAccess: "Enabled",
        anonymousPullEnabled: false,
      },
    ]);
    expect(await discoverRegistries(connect(emu, SUB2))).toEqual([]);
  });
});

describe("onboarding", () => {
  beforeEach(async () => {
    emu = await emulator();
  });

  it("creates identity, least-privilege roles and assignments; a re-run changes nothing", async () => {
    const conn = connect(emu);
    const run = async () => {
      const identity = await ensureOperatorIdentity(conn, IDENTITY);
      const role = await ensureOperatorRole(conn, { principalId: identity.principalId });
      const dataRole = await ensureDataReadRole(conn);
      const clusters = await discoverClusters(conn);
      const bound = await Promise.all(clusters.map((c) => bindCluster(conn, c, { principalId: identity.principalId, dataRoleDefinitionId: dataRole })));
      return { identity, role, dataRole, bound };
    };
    const first = await run();
    // The demo estate declares 4 assignments of its own (workload and kubelet identities, one in subscription 2).
    const created = () => emu!.state.list("Microsoft.Authorization/roleAssignments").filter((a) => a.properties["description"] === "Created by Vantage (container security posture)");
    const assignmentsAfterFirst = created().length;
    const second = await run();

    expect(second).toEqual(first);
    expect(first.identity.createdByVantage).toBe(true);
    expect(first.bound.map((b) => b.state).sort()).toEqual(["bound", "bound", "unbindable"]);
    // 1 operator assignment at subscription scope + 2 cluster-scope data assignments, not duplicated.
    expect(assignmentsAfterFirst).toBe(3);
    expect(created()).toHaveLength(3);
    expect(emu.state.list("Microsoft.Authorization/roleAssignments")).toHaveLength(7);
    expect(callsOf(emu, "RoleAssignments_Create").filter((c) => c.status === 409)).toHaveLength(3);

    const operatorRole = emu.state.get(first.role.roleDefinitionId)!;
    expect(operatorRole.properties["permissions"]).toEqual([{ actions: [...OPERATOR_ROLE_ACTIONS], notActions: [], dataActions: [], notDataActions: [] }]);
    const dataRole = emu.state.get(first.dataRole)!;
    const dataActions = (dataRole.properties["permissions"] as { dataActions: string[] }[])[0]!.dataActions;
    expect(dataActions).toEqual([...DATA_READ_ACTIONS]);
    expect(dataActions.some((a) => /secrets|\*/i.test(a))).toBe(false);
    expect(dataActions.every((a) => a.endsWith("/read"))).toBe(true);

    const operatorAssignment = emu.state.get(first.role.roleAssignmentId)!;
    expect(operatorAssignment.properties).toMatchObject({
      principalId: first.identity.principalId,
      principalType: "ServicePrincipal",
      scope: `/subscriptions/${SUB1}`,
    });
    const shop = first.bound.find((b) => b.roleAssignmentId?.includes("aks-shop-prod"))!;
    expect(emu.state.get(shop.roleAssignmentId!)!.properties["roleDefinitionId"]).toBe(first.dataRole);
  });

  it("reuses a configured identity without claiming it", async () => {
    const conn = connect(emu);
    const created = await ensureOperatorIdentity(conn, IDENTITY);
    const reused = await ensureOperatorIdentity(conn, { resourceId: created.resourceId });
    expect(reused).toEqual({ ...created, createdByVantage: false });
    await expect(ensureOperatorIdentity(conn, { resourceGroup: "rg-missing", name: "x", location: "westeurope" })).rejects.toMatchObject({
      name: "ArmError",
      code: "ResourceGroupNotFound",
      status: 404,
    });
  });

  it("names roles per subscription so two subscriptions of one tenant do not collide", async () => {
    const a = await ensureOperatorIdentity(connect(emu), IDENTITY);
    const b = await ensureOperatorIdentity(connect(emu, SUB2), IDENTITY);
    const roleA = await ensureOperatorRole(connect(emu), { principalId: a.principalId });
    const roleB = await ensureOperatorRole(connect(emu, SUB2), { principalId: b.principalId });
    expect(roleA.roleDefinitionId).not.toBe(roleB.roleDefinitionId);
    // A fixed name shared by both subscriptions is refused by ARM, surfaced as ArmError.
    await expect(ensureOperatorRole(connect(emu, SUB2), { principalId: b.principalId, roleName: `Vantage Posture Operator (${SUB1})` })).rejects.toMatchObject({
      code: "RoleDefinitionWithSameNameExists",
      status: 409,
    });
  });

  it("binds with trusted access through the long-running PUT", async () => {
    const conn = connect(emu);
    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const clusters = await discoverClusters(conn);
    const trustedAccess = { sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE] };
    const legacy = await bindCluster(conn, byName(clusters, "aks-legacy"), { strategy: "trusted-access", principalId: identity.principalId, trustedAccess });
    expect(legacy).toMatchObject({ state: "bound", strategy: "trusted-access" });
    const binding = emu.state.get(legacy.trustedAccessBindingId!)!;
    expect(binding.properties).toEqual({ sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE], provisioningState: "Succeeded" });
    // lroPolls=2: two InProgress answers, then Succeeded, then the final GET.
    expect(callsOf(emu, "AsyncOperation_Get").map((c) => c.status)).toEqual([200, 200, 200]);
    expect(callsOf(emu, "TrustedAccessRoleBindings_Get")).toHaveLength(1);

    const wrongRole = await bindCluster(conn, byName(clusters, "aks-shop-prod"), {
      strategy: "trusted-access",
      principalId: identity.principalId,
      trustedAccess: { sourceResourceId: DEFENDER_SOURCE, roles: ["Microsoft.MachineLearningServices/workspaces/mlworkload"] },
    });
    expect(wrongRole).toMatchObject({ state: "failed", errorCode: "InvalidTrustedAccessRole" });
    const unconfigured = await bindCluster(conn, byName(clusters, "aks-shop-prod"), { strategy: "trusted-access", principalId: identity.principalId });
    expect(unconfigured).toMatchObject({ state: "failed", errorCode: "TrustedAccessNotConfigured" });
  });

  it("subscribes the registry to image events idempotently", async () => {
    const conn = connect(emu);
    const [registry] = await discoverRegistries(conn);
    const first = await ensureRegistryEventSubscription(conn, registry!, { endpointUrl: "https://vantage.example.net/api/events?code=secret" });
    const second = await ensureRegistryEventSubscription(conn, registry!, { endpointUrl: "https://vantage.example.net/api/events?code=secret" });
    expect(second).toEqual(first);
    const subs = emu.state.list("Microsoft.EventGrid/eventSubscriptions");
    expect(subs).toHaveLength(1);
    expect(subs[0]!.properties).toMatchObject({
      provisioningState: "Succeeded",
      filter: { includedEventTypes: ["Microsoft.ContainerRegistry.ImagePushed", "Microsoft.ContainerRegistry.ImageDeleted"] },
      destination: { endpointType: "WebHook", properties: { endpointBaseUrl: "https://vantage.example.net/api/events" } },
    });
  });
});

describe("permanent failures", () => {
  beforeEach(async () => {
    emu = await emulator();
  });

  it("a 403 on one cluster fails that cluster only, with ARM's code and message", async () => {
    const conn = connect(emu);
    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const dataRole = await ensureDataReadRole(conn);
    const clusters = await discoverClusters(conn);
    emu.faults.set("RoleAssignments_Create", {
      status: 403,
      code: "AuthorizationFailed",
      message: "The client 'x' does not have authorization to perform action 'Microsoft.Authorization/roleAssignments/write'.",
      match: "aks-ml-prod",
    });
    const results = await Promise.all(clusters.map((c) => bindCluster(conn, c, { principalId: identity.principalId, dataRoleDefinitionId: dataRole })));
    const byCluster = Object.fromEntries(clusters.map((c, i) => [c.name, results[i]!]));
    expect(byCluster["aks-ml-prod"]).toMatchObject({
      state: "failed",
      errorCode: "AuthorizationFailed",
      reason: expect.stringContaining("does not have authorization"),
      remediation: expect.stringContaining("Role Based Access Control Administrator"),
    });
    expect(byCluster["aks-shop-prod"]!.state).toBe("bound");
    expect(byCluster["aks-legacy"]!.state).toBe("unbindable");
    // 403 is permanent: exactly one attempt.
    expect(callsOf(emu, "RoleAssignments_Create").filter((c) => c.path.includes("aks-ml-prod"))).toHaveLength(1);
  });

  it("a resource lock surfaces as failed ScopeLocked", async () => {
    await emu.stop();
    const estate = syntheticEstate(2);
    estate.subscriptions[0]!.managedClusters![1]!.locks = ["ReadOnly"];
    emu = await emulator({ estate });
    const conn = connect(emu, "33333333-3333-4333-8333-333333333333");
    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const clusters = await discoverClusters(conn);
    const results = await Promise.all(clusters.map((c) => bindCluster(conn, c, { principalId: identity.principalId })));
    expect(results.map((r) => r.state)).toEqual(["bound", "failed"]);
    expect(results[1]).toMatchObject({ errorCode: "ScopeLocked", reason: expect.stringContaining("locked") });
  });

  it("steps other than bind throw a typed ArmError", async () => {
    emu.faults.set("ManagedClusters_List", { status: 403, code: "AuthorizationFailed", message: "no read" });
    const err = await discoverClusters(connect(emu)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ArmError);
    expect(err).toMatchObject({ code: "AuthorizationFailed", message: "no read", status: 403 });
  });
});

describe("offboarding", () => {
  beforeEach(async () => {
    emu = await emulator();
  });

  it("removes exactly what onboarding created, and a second pass finds nothing", async () => {
    const conn = connect(emu);
    // Something Vantage did not create must survive offboarding.
    emu.state.principals.add("99999999-9999-4999-8999-999999999999");
    const foreignRole = emu.state.put({
      id: `/subscriptions/${SUB1}/providers/Microsoft.Authorization/roleDefinitions/acdd72a7-3385-48ef-bd42-f606fba81ae7`,
      name: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
      type: "Microsoft.Authorization/roleDefinitions",
      properties: { roleName: "Reader", type: "BuiltInRole", permissions: [{ actions: ["*/read"] }], assignableScopes: ["/"] },
    });
    const before = new Set(emu.state.list().map((r) => r.id.toLowerCase()));

    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const role = await ensureOperatorRole(conn, { principalId: identity.principalId });
    const dataRole = await ensureDataReadRole(conn);
    const clusters = await discoverClusters(conn);
    const bound = await Promise.all(
      clusters.map((c, i) =>
        bindCluster(conn, c, {
          strategy: i === 0 ? "trusted-access" : "azure-rbac",
          principalId: identity.principalId,
          dataRoleDefinitionId: dataRole,
          trustedAccess: { sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE] },
        }),
      ),
    );
    const [registry] = await discoverRegistries(conn);
    const events = await ensureRegistryEventSubscription(conn, registry!, { endpointUrl: "https://vantage.example.net/api/events" });
    expect(emu.state.list().length).toBeGreaterThan(before.size);

    const offboard = async () => {
      const unbound = await Promise.all(bound.map((b) => unbindCluster(conn, b)));
      const registryRemoved = await removeRegistryEventSubscription(conn, events.id);
      const roles = await removeOperatorRole(conn, { roleAssignmentId: role.roleAssignmentId, roleDefinitionIds: [role.roleDefinitionId, dataRole] });
      const identityRemoved = identity.createdByVantage ? await removeOperatorIdentity(conn, identity.resourceId) : false;
      return { unbound, registryRemoved, roles, identityRemoved };
    };
    const first = await offboard();
    expect(first.unbound.every((u) => u.state === "unbound")).toBe(true);
    expect(first.unbound.flatMap((u) => u.removed)).toHaveLength(2);
    expect(first.registryRemoved).toBe(true);
    expect(first.roles.removed).toHaveLength(3);
    expect(first.identityRemoved).toBe(true);
    expect(new Set(emu.state.list().map((r) => r.id.toLowerCase()))).toEqual(before);
    expect(emu.state.get(foreignRole.id)).toBeDefined();

    const second = await offboard();
    expect(second.unbound.flatMap((u) => u.removed)).toEqual([]);
    expect(second).toMatchObject({ registryRemoved: false, roles: { removed: [] }, identityRemoved: false });
  });

  it("refuses to delete a role definition that still has assignments", async () => {
    const conn = connect(emu);
    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const role = await ensureOperatorRole(conn, { principalId: identity.principalId });
    await expect(removeOperatorRole(conn, { roleDefinitionIds: [role.roleDefinitionId] })).rejects.toMatchObject({ code: "RoleDefinitionHasAssignments" });
  });
});
