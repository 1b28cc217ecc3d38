// Orchestrations and activities, registered under the names in shared/workflows/names.ts. The
// activities are built from the host's dependencies; orchestrators need none (they are pure).
import type { OrchestrationHandler } from "durable-functions";
import type { FunctionDefinition } from "../shared/platform/functions.js";
import type { ActivityHandler } from "../shared/platform/orchestration.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { graphActivities } from "../shared/workflows/graph.js";
import { inventoryActivities, inventoryRegistries, inventoryScanChunk } from "../shared/workflows/inventory.js";
import { ACTIVITIES, ORCHESTRATIONS } from "../shared/workflows/names.js";
import { offboardSubscription, onboardActivities, onboardSubscription } from "../shared/workflows/onboard.js";
import { postureActivities } from "../shared/workflows/posture.js";
import { refreshFindings, scanActivities, scanImages } from "../shared/workflows/scan.js";
import { snapshotActivities, snapshotSubscription } from "../shared/workflows/snapshot.js";

const orchestrations: Record<(typeof ORCHESTRATIONS)[keyof typeof ORCHESTRATIONS], OrchestrationHandler> = {
  [ORCHESTRATIONS.onboardSubscription]: onboardSubscription,
  [ORCHESTRATIONS.offboardSubscription]: offboardSubscription,
  [ORCHESTRATIONS.snapshotSubscription]: snapshotSubscription,
  [ORCHESTRATIONS.scanImages]: scanImages,
  [ORCHESTRATIONS.refreshFindings]: refreshFindings,
  [ORCHESTRATIONS.inventoryRegistries]: inventoryRegistries,
  [ORCHESTRATIONS.inventoryScanChunk]: inventoryScanChunk,
};

export function durableFunctions(deps: Dependencies): FunctionDefinition[] {
  // Every name in ACTIVITIES has exactly one handler (checked by the type).
  const activities: Record<(typeof ACTIVITIES)[keyof typeof ACTIVITIES], ActivityHandler> = {
    ...onboardActivities(deps),
    ...snapshotActivities(deps),
    ...scanActivities(deps),
    ...graphActivities(deps),
    ...postureActivities(deps),
    ...inventoryActivities(deps),
  };
  return [
    ...Object.entries(orchestrations).map(([name, handler]): FunctionDefinition => ({ name, trigger: { type: "orchestration" }, handler })),
    ...Object.entries(activities).map(([name, handler]): FunctionDefinition => ({ name, trigger: { type: "activity" }, handler })),
  ];
}
