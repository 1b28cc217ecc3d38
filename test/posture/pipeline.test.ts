// The posture activity against real Azurite: results land in Table with first-seen, an unchanged
// snapshot rewrites zero rows (observed on the stored entities' ETags), resolved results are
// removed, the score history grows only on change, and the read model serves them.
import { beforeAll, describe, expect, it } from "vitest";
import type { ClusterRecord } from "../../shared/azure/model.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { runExplorerQuery } from "../../shared/workflows/explore.js";
import { graphActivities } from "../../shared/workflows/graph.js";
import { ACTIVITIES } from "../../shared/workflows/names.js";
import { evaluatePostureActivity, compliance, listRecommendations, listExceptions } from "../../shared/workflows/posture.js";
import { testStorage, uniqueName } from "../support/storage.js";
import { HARDENED_CLUSTER, snapshotOf, withDeployment } from "./fixtures.js";

const sub = HARDENED_CLUSTER.subscriptionId;
const record: ClusterRecord = { ...HARDENED_CLUSTER, state: "bound" };

async function entities(): Promise<Map<string, string>> {
  const client = deps.storage.tableClient(`${deps.config.tablePrefix}PostureResults`);
  const out = new Map<string, string>();
  for await (const e of client.listEntities()) out.set(`${e.partitionKey}/${e.rowKey}`, String(e.etag));
  return out;
}

let deps: Dependencies;

beforeAll(async () => {
  deps = createDependencies({ storage: testStorage(), config: { tablePrefix: uniqueName("p"), credential: { getToken: async () => null } as never }, env: {} });
  deps.config.posture = { exceptions: "- {control: VANTAGE-K8S-HOST-IPC, namespace: shop, reason: legacy shared memory, expires: '2999-01-01'}" };
  for (const t of Object.values(deps.state)) if (t && typeof t === "object" && "ensure" in t) await (t as { ensure(): Promise<void> }).ensure();
  await deps.state.clusters.upsert(sub, record.id, record);
});

describe("posture in the pipeline", () => {
  it("writes failures once, then nothing for an unchanged snapshot, and removes resolved ones", async () => {
    const insecure = snapshotOf(withDeployment((_d, p, c) => {
      c.securityContext.privileged = true;
      p.hostIPC = true;
    }), { ...HARDENED_CLUSTER });
    await deps.snapshots.store(sub, record, { ...insecure, source: "live" });
    const first = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(first).toMatchObject({ ok: true, historyAdded: true });
    expect(first.writes).toBeGreaterThan(0);
    const rows = (await deps.state.postureResults.all({ partitionKey: record.id })).map((r) => r.value);
    expect(rows.find((r) => r.controlId === "VANTAGE-K8S-PRIVILEGED")).toMatchObject({ status: "fail", resource: { kind: "Deployment", namespace: "shop", name: "api", container: "api" } });
    expect(rows.find((r) => r.controlId === "VANTAGE-K8S-HOST-IPC")).toMatchObject({ status: "exempted", reason: "legacy shared memory" });
    const before = await entities();

    const again = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(again).toMatchObject({ ok: true, writes: 0, historyAdded: false });
    expect(await entities()).toEqual(before); // same rows, same ETags: nothing rewritten
    expect((await deps.state.postureScores.all({ partitionKey: record.id })).length).toBe(1);

    // Fix the privileged container: that row goes, the others keep their first-seen time.
    const fixed = snapshotOf(withDeployment((_d, p) => (p.hostIPC = true)), { ...HARDENED_CLUSTER });
    await deps.snapshots.store(sub, record, { ...fixed, source: "live" });
    const third = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(third.historyAdded).toBe(true);
    const after = (await deps.state.postureResults.all({ partitionKey: record.id })).map((r) => r.value);
    expect(after.some((r) => r.controlId === "VANTAGE-K8S-PRIVILEGED")).toBe(false);
    const ipc = rows.find((r) => r.controlId === "VANTAGE-K8S-HOST-IPC")!;
    expect(after.find((r) => r.controlId === "VANTAGE-K8S-HOST-IPC")!.firstSeen).toBe(ipc.firstSeen);
  });

  it("re-judges cluster settings when ARM facts change without a new snapshot", async () => {
    await deps.state.clusters.upsert(sub, record.id, { ...record, localAccountsDisabled: false });
    const r = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(r.historyAdded).toBe(true);
    const recs = await listRecommendations(deps, { control: "VANTAGE-AKS-LOCAL-ACCOUNTS" });
    expect(recs[0]).toMatchObject({ status: "fail", failedCount: 1 });
    expect(recs[0]!.failed[0]!.fix).toMatch(/^az aks update --resource-group rg --name aks1 --disable-local-accounts/);
  });

  it("serves recommendations with filters, compliance with history, and the exceptions", async () => {
    const fails = await listRecommendations(deps, { status: "fail" });
    expect(fails.every((r) => r.status === "fail")).toBe(true);
    const exempted = await listRecommendations(deps, { status: "exempted" });
    expect(exempted.map((r) => r.id)).toEqual(["VANTAGE-K8S-HOST-IPC"]);
    expect(exempted[0]!.exempted[0]).toMatchObject({ reason: "legacy shared memory", lastSeen: expect.any(String) });
    expect((await listRecommendations(deps, { severity: "critical" })).every((r) => r.severity === "critical")).toBe(true);
    await expect(listRecommendations(deps, { severity: "urgent" })).rejects.toThrow(/severity must be one of/);
    await expect(listRecommendations(deps, { control: "NOPE" })).rejects.toThrow(/not in the catalog/);
    const view = await compliance(deps, "cis-aks");
    expect(view.clusters).toHaveLength(1);
    expect(view.clusters[0]!.history.length).toBe(3);
    expect(view.clusters[0]!.score).toBeLessThan(100);
    expect(view.subscriptions).toEqual([{ subscriptionId: sub, score: view.clusters[0]!.score, clusters: 1 }]);
    await expect(compliance(deps, "nist")).rejects.toThrow(/standard must be one of/);
    expect(await listExceptions(deps)).toEqual([{ control: "VANTAGE-K8S-HOST-IPC", namespace: "shop", reason: "legacy shared memory", expires: "2999-01-01", expired: false }]);
  });

  it("the graph built after the evaluation carries the failing controls: hasControl finds them, exempted ones stay off", async () => {
    const built = await graphActivities(deps)[ACTIVITIES.buildGraph]!({ clusterId: record.id });
    expect(built).toMatchObject({ ok: true });
    const q = (query: string) => runExplorerQuery(deps, { query, cluster: record.name });
    // The cluster's ARM failure (local accounts) sits on the cluster node.
    expect((await q('MATCH (k:Cluster) WHERE hasControl(k, "VANTAGE-AKS-LOCAL-ACCOUNTS") RETURN k.id')).rows).toEqual([[`cluster:${record.name}`]]);
    // hostIPC on shop/api is exempted: not on the pod, while the pod's real failures are.
    const pods = await q('MATCH (p:Pod) WHERE p.namespace = "shop" RETURN p.failingControls, hasControl(p, "VANTAGE-K8S-HOST-IPC"), hasControl(p, "VANTAGE-K8S-HOST-*")');
    expect(pods.rows.length).toBeGreaterThan(0);
    for (const [controls, ipc, host] of pods.rows) {
      expect(ipc).toBe(false);
      expect(host).toBe(false);
      expect(controls === null || Array.isArray(controls)).toBe(true);
    }
  });

  it("reads exceptions from the blob the settings name; a malformed, missing or oversized blob fails with one line and writes nothing", async () => {
    const container = deps.storage.blobService.getContainerClient(uniqueName("exc"));
    await container.createIfNotExists();
    const put = (name: string, text: string) => container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text));
    await put("posture/exceptions.yaml", "exceptions:\n  - control: VANTAGE-K8S-HOST-IPC\n    namespace: shop\n    reason: from the blob\n    expires: 2999-01-01\n");
    deps.config.posture = { exceptionsBlob: `${container.containerName}/posture/exceptions.yaml` };
    const ok = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(ok).toMatchObject({ ok: true });
    const ipc = (await deps.state.postureResults.all({ partitionKey: record.id })).map((r) => r.value).find((r) => r.controlId === "VANTAGE-K8S-HOST-IPC");
    expect(ipc).toMatchObject({ status: "exempted", reason: "from the blob" });
    expect((await listExceptions(deps)).map((e) => e.reason)).toEqual(["from the blob"]);

    const before = await entities();
    await put("posture/bad.yaml", "- {control: X}");
    await put("posture/huge.yaml", `# ${"x".repeat(1024 * 1024)}\n[]`);
    const cases: [string, RegExp][] = [
      [`${container.containerName}/posture/bad.yaml`, /^VANTAGE_POSTURE_EXCEPTIONS_BLOB [^ ]+\/posture\/bad\.yaml: exception 1: reason is required/],
      [`${container.containerName}/posture/missing.yaml`, /: no such blob$/],
      [`${container.containerName}/posture/huge.yaml`, /more than the 1048576 an exceptions document may have$/],
      ["no-slash", /expected "container\/path/],
    ];
    for (const [spec, message] of cases) {
      deps.config.posture = { exceptionsBlob: spec };
      const r = await evaluatePostureActivity(deps, { clusterId: record.id });
      expect(r).toMatchObject({ ok: false, error: expect.stringMatching(message) });
      expect(r.error).not.toContain("\n");
    }
    deps.config.posture = { exceptions: "[]", exceptionsBlob: `${container.containerName}/posture/exceptions.yaml` };
    expect(await evaluatePostureActivity(deps, { clusterId: record.id })).toMatchObject({ ok: false, error: expect.stringMatching(/not both/) });
    expect(await entities()).toEqual(before);
    deps.config.posture = { exceptions: "- {control: VANTAGE-K8S-HOST-IPC, namespace: shop, reason: legacy shared memory, expires: '2999-01-01'}" };
    expect(await evaluatePostureActivity(deps, { clusterId: record.id })).toMatchObject({ ok: true });
  });

  it("a malformed exceptions setting fails the evaluation with one message and writes nothing", async () => {
    const before = await entities();
    deps.config.posture = { exceptions: "- {control: X}" };
    const r = await evaluatePostureActivity(deps, { clusterId: record.id });
    expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/VANTAGE_POSTURE_EXCEPTIONS: exception 1: reason is required/) });
    expect(await entities()).toEqual(before);
    deps.config.posture = {};
  });
});
