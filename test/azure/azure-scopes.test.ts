// How Azure scopes are named in the graph: management groups and the root (reached by inherited
// assignments) are not mistaken for resource groups, and a class ending at one says so.
import { describe, expect, it } from "vitest";
import { demoEstateDir } from "../../demo/runtime/kubernetes/demo.js";
import type { AzureIdentityAccess } from "../../shared/azure/model.js";
import { describeScope } from "../../shared/graph/builders/cloud-identities.js";
import { buildSecurityGraph } from "../../shared/graph/index.js";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";
import { SUB1 } from "./helpers.js";

const MG = "/providers/Microsoft.Management/managementGroups/mg-contoso";

describe("Azure scope names", () => {
  it.each([
    [MG, "managementGroup", "mg-contoso"],
    ["/", "managementGroup", "/ (root)"],
    [`/subscriptions/${SUB1}`, "subscription", SUB1],
    [`/subscriptions/${SUB1}/resourceGroups/rg-ml`, "resourceGroup", "rg-ml"],
    [`/subscriptions/${SUB1}/resourceGroups/rg-ml/providers/Microsoft.KeyVault/vaults/kv-ml`, "resource", "kv-ml"],
  ])("%s is a %s named %s", (scope, type, name) => {
    expect(describeScope(scope)).toEqual({ type, name });
  });

  it("a class ending at a management group names it as one; an identity with an unread subscription keeps the caveat", async () => {
    const snapshot = await snapshotFromManifests([`${demoEstateDir()}/aks-ml-prod`]);
    const azure: AzureIdentityAccess[] = [{
      source: "workload-identity", clientId: "7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", principalId: "d4d4d4d4-0000-4000-8000-000000000001", name: "id-ml-inference",
      status: "known", subscriptionsRead: [SUB1], unreadSubscriptions: [{ subscriptionId: "22222222-2222-4222-8222-222222222222", reason: "429 TooManyRequests: slow down" }],
      grants: [{ assignmentId: `${MG}/providers/Microsoft.Authorization/roleAssignments/a1`, scope: MG, roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c", roleName: "Contributor", capabilities: ["write resources"] }],
    }];
    const report = buildSecurityGraph(snapshot, [], { azure });
    const cls = report.pathClasses!.find((c) => c.target === `azurescope:${MG}`)!;
    expect(cls.title).toMatch(/can obtain Contributor on Azure management group mg-contoso$/);
    expect(cls.targetName).toBe("management group mg-contoso");
    expect(cls.notes).toEqual(["Azure permissions unknown in subscription 22222222-2222-4222-8222-222222222222 for id-ml-inference: 429 TooManyRequests: slow down"]);
    expect(report.graph.nodes.find((n) => n.id === `azurescope:${MG}`)!.properties).toMatchObject({ scopeType: "managementGroup", crownJewel: true, capabilities: ["write resources"] });
  });

  it("malformed subscription lists in access read from a file are ignored, not a crash", async () => {
    const snapshot = await snapshotFromManifests([`${demoEstateDir()}/aks-ml-prod`]);
    const azure = [{
      source: "workload-identity", clientId: "7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d", status: "known", grants: [],
      subscriptionsRead: "everything", unreadSubscriptions: ["x", { subscriptionId: 7 }, null, { subscriptionId: "s2", reason: "403 AuthorizationFailed: no" }],
    }] as unknown as AzureIdentityAccess[];
    const report = buildSecurityGraph(snapshot, [], { azure });
    const identity = report.graph.nodes.find((n) => n.kind === "cloudidentity")!;
    expect(identity.properties.azureSubscriptionsRead).toBeUndefined();
    expect(identity.properties.azurePermissionsUnknownIn).toEqual(["s2"]);
  });
});
