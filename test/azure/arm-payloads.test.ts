// Documented ARM answers the emulator serves besides its richer ones: a trusted-access binding PUT
// that completes at once, role definitions named in the tenant form, and a managed cluster with
// Kubernetes RBAC off (as in the published ManagedClusters list example).
import { afterEach, describe, expect, it } from "vitest";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { assessBindability } from "../../shared/azure/bindability.js";
import { bindCluster } from "../../shared/azure/binding.js";
import { discoverClusters } from "../../shared/azure/clusters.js";
import { ensureOperatorIdentity } from "../../shared/azure/identity.js";
import { ensureDataReadRole, ensureRoleAssignment } from "../../shared/azure/roles.js";
import { callsOf, connect, DEFENDER_ROLE, DEFENDER_SOURCE, emulator, SUB1 } from "./helpers.js";

const IDENTITY = { resourceGroup: "rg-vantage", name: "vantage-operator", location: "westeurope" };
let emu: ArmEmulator | undefined;
afterEach(async () => {
  await emu?.stop();
  emu = undefined;
});

describe("trusted-access binding PUT, both ways ARM answers", () => {
  for (const mode of ["sync", "lro"] as const) {
    it(`binds when the PUT answers ${mode === "sync" ? "200/201 at once (documented example)" : "as a long-running operation"}`, async () => {
      emu = await emulator({ trustedAccessPut: mode });
      const conn = connect(emu);
      const identity = await ensureOperatorIdentity(conn, IDENTITY);
      const clusters = await discoverClusters(conn);
      const legacy = clusters.find((c) => c.name === "aks-legacy")!;
      const put = { strategy: "trusted-access" as const, principalId: identity.principalId, trustedAccess: { sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE] } };
      const bound = await bindCluster(conn, legacy, put);
      expect(bound).toMatchObject({ state: "bound", strategy: "trusted-access" });
      expect(emu.state.get(bound.trustedAccessBindingId!)!.properties).toMatchObject({ sourceResourceId: DEFENDER_SOURCE, roles: [DEFENDER_ROLE], provisioningState: "Succeeded" });
      const putCall = callsOf(emu, "TrustedAccessRoleBindings_CreateOrUpdate")[0]!;
      expect(putCall.status).toBe(201);
      expect(callsOf(emu, "AsyncOperation_Get").length > 0).toBe(mode === "lro");
      // Idempotent: a second run updates in place (200).
      expect(await bindCluster(conn, legacy, put)).toMatchObject({ state: "bound" });
      expect(callsOf(emu, "TrustedAccessRoleBindings_CreateOrUpdate").map((c) => c.status)).toEqual([201, 200]);
    });
  }
});

describe("role definition ids in both forms", () => {
  it("treats /providers/…/roleDefinitions/{id} and /subscriptions/{s}/providers/…/roleDefinitions/{id} as one role", async () => {
    emu = await emulator();
    const conn = connect(emu);
    const identity = await ensureOperatorIdentity(conn, IDENTITY);
    const definition = await ensureDataReadRole(conn);
    const guid = definition.split("/").pop()!;
    expect(definition.toLowerCase()).toBe(`/subscriptions/${SUB1}/providers/microsoft.authorization/roledefinitions/${guid}`.toLowerCase());
    const scope = `/subscriptions/${SUB1}`;
    const first = await ensureRoleAssignment(conn, { scope, roleDefinitionId: definition, principalId: identity.principalId, purpose: "a" });
    expect(first.created).toBe(true);
    // Another assignment name, the tenant form of the same definition: ARM's duplicate check answers 409.
    const tenantForm = `/providers/Microsoft.Authorization/roleDefinitions/${guid}`;
    const second = await ensureRoleAssignment(conn, { scope, roleDefinitionId: tenantForm, principalId: identity.principalId, purpose: "b" });
    expect(second.created).toBe(false);
    expect(callsOf(emu, "RoleAssignments_Create").map((c) => c.status)).toEqual([201, 409]);
    // The estate seeds other identities' assignments; this principal holds exactly one.
    const mine = emu.state.list("Microsoft.Authorization/roleAssignments").filter((a) => (a as { properties?: { principalId?: string } }).properties?.principalId === identity.principalId);
    expect(mine).toHaveLength(1);
  });
});

describe("Kubernetes RBAC off", () => {
  it("records enableRBAC: false from ARM and makes the cluster unbindable for azure-rbac, with the reason", async () => {
    emu = await emulator();
    const stored = emu.state.list("Microsoft.ContainerService/ManagedClusters").find((c) => c.name === "aks-ml-prod")!;
    stored.properties["enableRBAC"] = false;
    const clusters = await discoverClusters(connect(emu));
    const ml = clusters.find((c) => c.name === "aks-ml-prod")!;
    expect(ml.enableRBAC).toBe(false);
    expect(clusters.find((c) => c.name === "aks-shop-prod")!.enableRBAC).toBe(true);
    expect(assessBindability(ml, "azure-rbac")).toMatchObject({ bindable: false, code: "KubernetesRbacDisabled", reason: expect.stringContaining("enableRBAC: false") });
    // Omitted by ARM: unknown, not assumed off.
    delete stored.properties["enableRBAC"];
    const omitted = (await discoverClusters(connect(emu))).find((c) => c.name === "aks-ml-prod")!;
    expect(omitted.enableRBAC).toBeUndefined();
  });
});
