// GET /api/attack-paths filters over path-class rows: each filter keeps exactly the classes with
// that value, and targetType knows every target the path search produces (secretfinding included).
import { describe, expect, it } from "vitest";
import type { Dependencies } from "../../shared/workflows/dependencies.js";
import { listAttackPaths, PATH_FILTER_VALUES } from "../../shared/workflows/read-model.js";
import type { PathRecord } from "../../shared/workflows/state.js";
import { build, finding, node, pod, service, snapshot } from "../graph/builders.js";

const CLUSTER = "/subscriptions/s1/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1";

/** Rows as the graph repository writes them: one per class, its first member's path fields. */
function rowsOf(): PathRecord[] {
  const r = build(
    snapshot({ nodes: [node("n1")], pods: [pod("p", { labels: { app: "web" } })], services: [service("web", { type: "LoadBalancer", loadBalancerIngress: [{ ip: "20.1.2.3" }] })] }),
    [{ ref: "nginx:1.25", findings: [finding("CVE-2024-0001", { rce: true })], secrets: [{ path: "root/.ssh/id_ed25519", rule: "private-key", title: "Private key", severity: "high", line: 1, fingerprint: "sha256:ff", hint: "", layerDigest: "sha256:l1", layerIndex: 0, deleted: false }] }],
  );
  const byId = new Map(r.paths.map((p) => [p.id, p]));
  return r.pathClasses.map((c) => ({
    ...byId.get(c.paths[0]!)!, clusterId: CLUSTER, clusterName: "aks1", firstSeen: "2024-01-01T00:00:00Z", lastSeen: "2024-01-01T00:00:00Z",
    classId: c.id, count: c.count, members: c.paths, entryName: c.entryName, targetName: c.targetName, entryType: c.entryType, targetType: c.targetType, hops: c.hops, reachesAzure: c.reachesAzure,
  }));
}

const depsOver = (rows: PathRecord[]) => ({ state: { paths: { all: async () => rows.map((value) => ({ value })) } } }) as unknown as Dependencies;

describe("attack path filters", () => {
  it("targetType=secretfinding keeps exactly the classes ending at a credential baked into an image", async () => {
    const rows = rowsOf();
    expect(PATH_FILTER_VALUES.targetType).toContain("secretfinding");
    const kept = await listAttackPaths(depsOver(rows), { targetType: "secretfinding" });
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.map((r) => r.classId).sort()).toEqual(rows.filter((r) => r.targetType === "secretfinding").map((r) => r.classId).sort());
    expect(kept.every((r) => r.target.startsWith("secretfinding:"))).toBe(true);
    // The other filters narrow the same way.
    const images = await listAttackPaths(depsOver(rows), { targetType: "secretfinding", entryType: "vulnerable-image" });
    expect(images.map((r) => r.entryType)).toEqual(["vulnerable-image"]);
  });
  it("every target type the path search produces is a value the filter accepts", async () => {
    for (const t of new Set(rowsOf().map((r) => r.targetType!))) expect(PATH_FILTER_VALUES.targetType).toContain(t);
    await expect(listAttackPaths(depsOver([]), { targetType: "secrets" })).rejects.toMatchObject({ status: 400 });
  });
});
