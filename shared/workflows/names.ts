// Function names, declared once: orchestrators call activities by these names and the catalog
// registers handlers under them (Azure function names: letters, digits, '-' and '_').
import * as df from "durable-functions";

export const ORCHESTRATIONS = {
  onboardSubscription: "onboardSubscription",
  offboardSubscription: "offboardSubscription",
  snapshotSubscription: "snapshotSubscription",
  scanImages: "scanImages",
  refreshFindings: "refreshFindings",
  inventoryRegistries: "inventoryRegistries",
  inventoryScanChunk: "inventoryScanChunk",
} as const;

export const ACTIVITIES = {
  createIdentity: "onboardCreateIdentity",
  assignRoles: "onboardAssignRoles",
  discoverClusters: "onboardDiscoverClusters",
  bindCluster: "onboardBindCluster",
  discoverRegistries: "onboardDiscoverRegistries",
  recordOnboarding: "onboardRecordRun",
  offboard: "offboardRemoveAccess",
  listBoundClusters: "snapshotListBoundClusters",
  collectSnapshot: "snapshotCollectCluster",
  listRunningImages: "scanListRunningImages",
  scanImage: "scanImage",
  buildGraph: "graphBuildCluster",
  listGraphClusters: "graphListClusters",
  evaluatePosture: "postureEvaluateCluster",
  listRefreshImages: "refreshListImages",
  rematchImage: "refreshRematchImage",
  inventoryListRegistries: "inventoryListRegistries",
  inventoryListRegistry: "inventoryListRegistry",
  inventoryPlan: "inventoryPlan",
  inventoryScanImage: "inventoryScanImage",
} as const;

/**
 * Activity retries for transient failures (429/5xx that outlived the SDK's own retries): 3 attempts,
 * 2 s then 4 s. Permanent failures come back as values and are never retried.
 */
export const ACTIVITY_RETRY: Readonly<df.RetryOptions> = Object.freeze(Object.assign(new df.RetryOptions(2000, 3), { backoffCoefficient: 2, maxRetryIntervalInMilliseconds: 30_000 }));
