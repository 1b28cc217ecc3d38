import { describe, expect, it } from "vitest";
import { assessBindability } from "../../shared/azure/bindability.js";
import type { ClusterFacts } from "../../shared/azure/model.js";

function cluster(overrides: Partial<ClusterFacts> = {}): ClusterFacts {
  return {
    id: "/subscriptions/11111111-1111-4111-8111-111111111111/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/c",
    name: "c",
    subscriptionId: "11111111-1111-4111-8111-111111111111",
    resourceGroup: "rg",
    powerState: "Running",
    provisioningState: "Succeeded",
    privateCluster: false,
    authorizedIpRanges: [],
    publicApiServer: true,
    aadManaged: true,
    azureRbac: true,
    localAccountsDisabled: true,
    nodePools: [],
    workloadIdentityEnabled: false,
    ...overrides,
  };
}

describe("assessBindability", () => {
  it("binds an Entra ID + Azure RBAC cluster, public or private", () => {
    expect(assessBindability(cluster())).toEqual({ bindable: true });
    expect(assessBindability(cluster({ privateCluster: true, publicApiServer: false }))).toEqual({ bindable: true });
  });

  it("refuses a stopped cluster for every strategy, with a start command", () => {
    for (const strategy of ["azure-rbac", "trusted-access"] as const) {
      const v = assessBindability(cluster({ powerState: "Stopped" }), strategy);
      expect(v).toMatchObject({ bindable: false, code: "ClusterStopped" });
      if (!v.bindable) expect(v.remediation).toContain("az aks start --resource-group rg --name c");
    }
  });

  it("refuses local-accounts-only clusters for azure-rbac but not trusted-access", () => {
    const legacy = cluster({ aadManaged: false, azureRbac: false, localAccountsDisabled: false });
    const v = assessBindability(legacy, "azure-rbac");
    expect(v).toMatchObject({ bindable: false, code: "LocalAccountsOnly" });
    if (!v.bindable) expect(v.remediation).toMatch(/--enable-aad --enable-azure-rbac.*trusted-access/);
    expect(assessBindability(legacy, "trusted-access")).toEqual({ bindable: true });
  });

  it("refuses Azure RBAC disabled, suggesting to enable it or use trusted-access", () => {
    const v = assessBindability(cluster({ azureRbac: false }));
    expect(v).toMatchObject({ bindable: false, code: "AzureRbacDisabled" });
    if (!v.bindable) expect(v.remediation).toMatch(/--enable-azure-rbac.*trusted-access/);
  });

  it("refuses a cluster being deleted", () => {
    expect(assessBindability(cluster({ provisioningState: "Deleting" }))).toMatchObject({ bindable: false, code: "ClusterDeleting" });
  });
});
