import { describe, expect, it } from "vitest";
import { InputError } from "../../shared/errors.js";
import { deterministicGuid, parseResourceId, parseResourceIdOfType, parseSubscriptionId, uuidV5 } from "../../shared/azure/ids.js";

const CLUSTER = "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop-prod";

describe("parseSubscriptionId", () => {
  it("accepts a GUID and lower-cases it", () => {
    expect(parseSubscriptionId(" 11111111-1111-4111-8111-11111111111A ")).toBe("11111111-1111-4111-8111-11111111111a");
  });
  it.each(["", "not-a-guid", "11111111-1111-4111-8111-1111111111", "11111111111141118111111111111111", 42, null, undefined])(
    "rejects %j with an InputError",
    (value) => {
      expect(() => parseSubscriptionId(value)).toThrow(InputError);
    },
  );
});

describe("parseResourceId", () => {
  it("splits a cluster id", () => {
    const id = parseResourceId(CLUSTER);
    expect(id).toMatchObject({
      subscriptionId: "11111111-1111-4111-8111-111111111111",
      resourceGroup: "rg-shop",
      provider: "Microsoft.ContainerService",
      type: "Microsoft.ContainerService/managedClusters",
      name: "aks-shop-prod",
    });
  });
  it("handles child and extension resources and case-insensitive keywords", () => {
    const child = parseResourceId(`${CLUSTER.replace("resourceGroups", "resourcegroups")}/trustedAccessRoleBindings/vantage-posture/`);
    expect(child.type).toBe("Microsoft.ContainerService/managedClusters/trustedAccessRoleBindings");
    expect(child.name).toBe("vantage-posture");
    const ext = parseResourceId(`${CLUSTER}/providers/Microsoft.Authorization/roleAssignments/0b0c1d2e-0000-5000-8000-000000000000`);
    expect(ext.type).toBe("Microsoft.Authorization/roleAssignments");
    expect(parseResourceId("/subscriptions/11111111-1111-4111-8111-111111111111").resourceGroup).toBeUndefined();
  });
  it.each([
    "",
    "subscriptions/11111111-1111-4111-8111-111111111111",
    "/subscriptions/nope/resourceGroups/rg",
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups",
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.ContainerService",
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters",
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/providers/nonamespace/x/y",
    "/subscriptions/11111111-1111-4111-8111-111111111111//resourceGroups/rg",
    "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg/extra/seg",
  ])("rejects %j", (value) => {
    expect(() => parseResourceId(value)).toThrow(InputError);
  });
  it("checks the type when asked", () => {
    expect(parseResourceIdOfType(CLUSTER, "microsoft.containerservice/managedclusters").name).toBe("aks-shop-prod");
    expect(() => parseResourceIdOfType(CLUSTER, "Microsoft.ContainerRegistry/registries")).toThrow(/not a Microsoft.ContainerRegistry/);
  });
});

describe("deterministic names", () => {
  it("implements RFC 4122 version-5 UUIDs", () => {
    // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "www.example.com")
    expect(uuidV5("www.example.com", "6ba7b810-9dad-11d1-80b4-00c04fd430c8")).toBe("2ed6657d-e927-568b-95e1-2665a8aea6a2");
  });
  it("is stable, case-insensitive on scope, and distinct per purpose", () => {
    const a = deterministicGuid("operator-role", "/subscriptions/11111111-1111-4111-8111-111111111111");
    expect(deterministicGuid("operator-role", "/SUBSCRIPTIONS/11111111-1111-4111-8111-111111111111")).toBe(a);
    expect(deterministicGuid("data-read-role", "/subscriptions/11111111-1111-4111-8111-111111111111")).not.toBe(a);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });
});
