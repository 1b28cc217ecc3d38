// The graph activity on the demo's aks-ml-prod (subscription 1) with both demo subscriptions
// onboarded, against real Azurite and the ARM emulator: the workload identity's Contributor
// assignment in subscription 2 becomes an attack path class ending at that resource group, beside
// the Owner one at home; with subscription 2 unreadable its paths carry the caveat naming it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ArmEmulator } from "../../demo/runtime/arm/server.js";
import { demoEstateDir } from "../../demo/runtime/kubernetes/demo.js";
import { discoverClusters } from "../../shared/azure/clusters.js";
import type { ClusterRecord } from "../../shared/azure/model.js";
import type { AttackPath, PathsReport } from "../../shared/graph/model.js";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { graphActivities } from "../../shared/workflows/graph.js";
import { ACTIVITIES } from "../../shared/workflows/names.js";
import { loadGraphs } from "../../shared/workflows/read-model.js";
import { testStorage, uniqueName } from "../support/storage.js";
import { connect, emulator, SUB1, SUB2 } from "./helpers.js";

let emu: ArmEmulator;
let deps: Dependencies;
let record: ClusterRecord;
const HOME_SCOPE = `azurescope:/subscriptions/${SUB1}/resourceGroups/rg-ml`;
const OTHER_SCOPE = `azurescope:/subscriptions/${SUB2}/resourceGroups/rg-dev`;

beforeAll(async () => {
  emu = await emulator();
  deps = createDependencies({
    storage: testStorage(),
    config: { tablePrefix: uniqueName("x"), credential: emu.credential, armEndpoint: emu.endpoint, armCa: emu.caCert, armRetryDelayMs: 10 },
    env: {},
  });
  for (const t of Object.values(deps.state)) if (t && typeof t === "object" && "ensure" in t) await (t as { ensure(): Promise<void> }).ensure();
  for (const subscriptionId of [SUB1, SUB2]) await deps.state.subscriptions.upsert("subscription", subscriptionId, { subscriptionId, state: "onboarded" });
  const facts = (await discoverClusters(connect(emu, SUB1))).find((c) => c.name === "aks-ml-prod")!;
  record = { ...facts, state: "bound" };
  await deps.state.clusters.upsert(SUB1, record.id, record);
  const snapshot = await snapshotFromManifests([`${demoEstateDir()}/aks-ml-prod`], { clusterName: record.name });
  await deps.snapshots.store(SUB1, record, { ...snapshot, cluster: { ...facts }, source: "live" });
});

afterAll(async () => emu?.stop());

async function build() {
  expect(await graphActivities(deps)[ACTIVITIES.buildGraph]!({ clusterId: record.id })).toMatchObject({ ok: true });
  const [graph] = await loadGraphs(deps, record.name);
  const report = graph!.report;
  return { ...report, pathClasses: report.pathClasses ?? [] };
}

function pathOf(report: PathsReport, id: string): AttackPath {
  const path = report.paths.find((p) => p.id === id);
  if (!path) throw new Error(`no member path ${id}`);
  return path;
}

describe("Azure blast radius across onboarded subscriptions, in the graph activity", () => {
  it("a path class ends at the other subscription's resource group, beside the home Owner class", async () => {
    const report = await build();
    const other = report.pathClasses.find((c) => c.target === OTHER_SCOPE);
    expect(other).toBeDefined();
    // Named with its subscription: resource group names repeat across subscriptions.
    expect(other!.title).toMatch(new RegExp(`can obtain Contributor on Azure resource group rg-dev \\(subscription ${SUB2}\\)$`));
    expect(other!.targetName).toBe(`resource group rg-dev (subscription ${SUB2})`);
    expect(other!.reachesAzure).toBe(true);
    expect(other!.notes ?? []).toEqual([]);
    const last = pathOf(report, other!.paths[0]!).edges.at(-1)!;
    expect(last.kind).toBe("AZURE_ROLE_ASSIGNMENT");
    expect(last.evidence?.[0]).toMatch(new RegExp(`^role Contributor assigned to id-ml-inference at resourceGroup /subscriptions/${SUB2}/resourceGroups/rg-dev — allows write resources`));
    expect(report.pathClasses.find((c) => c.target === HOME_SCOPE)!.title).toMatch(/can obtain Owner on Azure resource group rg-ml$/);
    const identity = report.graph.nodes.find((n) => n.kind === "cloudidentity" && n.name === "id-ml-inference")!;
    expect(identity.properties).toMatchObject({ azurePermissions: "known", azureSubscriptionsRead: [SUB1, SUB2] });
    expect(identity.properties.azurePermissionsUnknownIn).toBeUndefined();
  });

  it("with the other subscription unreadable, the home class stays and every path through the identity says where permissions are unknown", async () => {
    emu.faults.set("RoleAssignments_ListForSubscription", { status: 403, message: "no read here", match: SUB2 });
    try {
      const report = await build();
      expect(report.pathClasses.some((c) => c.target === OTHER_SCOPE)).toBe(false);
      const home = report.pathClasses.find((c) => c.target === HOME_SCOPE)!;
      expect(home.notes).toEqual([`Azure permissions unknown in subscription ${SUB2} for id-ml-inference: 403 AuthorizationFailed: no read here`]);
      const identity = report.graph.nodes.find((n) => n.kind === "cloudidentity" && n.name === "id-ml-inference")!;
      expect(identity.properties).toMatchObject({
        azurePermissions: "known", azureSubscriptionsRead: [SUB1], azurePermissionsUnknownIn: [SUB2],
        azurePermissionsUnknownReasons: [`${SUB2}: 403 AuthorizationFailed: no read here`],
      });
      // The identity itself stays a major target: what it may do in subscription 2 is unknown.
      const token = report.pathClasses.find((c) => c.target === identity.id)!;
      expect(token.risk).toBe("high");
      expect(pathOf(report, token.paths[0]!).edges.find((e) => e.kind === "CLOUD_IDENTITY_ASSUME")!.evidence).toContain(`Azure permissions unknown in subscription ${SUB2}: 403 AuthorizationFailed: no read here`);
    } finally {
      emu.faults.clear();
    }
  });
});
