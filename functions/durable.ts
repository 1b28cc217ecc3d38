// Orchestrations and activities, registered under the names in shared/workflows/names.ts.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { ACTIVITIES, ORCHESTRATIONS } from "../shared/workflows/names.js";
import * as graph from "../shared/workflows/graph.js";
import * as onboard from "../shared/workflows/onboard.js";
import * as scan from "../shared/workflows/scan.js";
import * as snapshot from "../shared/workflows/snapshot.js";

export const durableFunctions: FunctionDefinition[] = [
  { name: ORCHESTRATIONS.onboardSubscription, trigger: { type: "orchestration" }, handler: onboard.onboardSubscription },
  { name: ORCHESTRATIONS.offboardSubscription, trigger: { type: "orchestration" }, handler: onboard.offboardSubscription },
  { name: ACTIVITIES.createIdentity, trigger: { type: "activity" }, handler: onboard.createIdentityActivity },
  { name: ACTIVITIES.assignRoles, trigger: { type: "activity" }, handler: onboard.assignRolesActivity },
  { name: ACTIVITIES.discoverClusters, trigger: { type: "activity" }, handler: onboard.discoverClustersActivity },
  { name: ACTIVITIES.bindCluster, trigger: { type: "activity" }, handler: onboard.bindClusterActivity },
  { name: ACTIVITIES.discoverRegistries, trigger: { type: "activity" }, handler: onboard.discoverRegistriesActivity },
  { name: ACTIVITIES.recordOnboarding, trigger: { type: "activity" }, handler: onboard.recordOnboardingActivity },
  { name: ACTIVITIES.offboard, trigger: { type: "activity" }, handler: onboard.offboardActivity },
  { name: ORCHESTRATIONS.snapshotSubscription, trigger: { type: "orchestration" }, handler: snapshot.snapshotSubscription },
  { name: ACTIVITIES.listBoundClusters, trigger: { type: "activity" }, handler: snapshot.listBoundClustersActivity },
  { name: ACTIVITIES.collectSnapshot, trigger: { type: "activity" }, handler: snapshot.collectSnapshotActivity },
  { name: ORCHESTRATIONS.scanImages, trigger: { type: "orchestration" }, handler: scan.scanImages },
  { name: ORCHESTRATIONS.refreshFindings, trigger: { type: "orchestration" }, handler: scan.refreshFindings },
  { name: ACTIVITIES.listRunningImages, trigger: { type: "activity" }, handler: scan.listRunningImagesActivity },
  { name: ACTIVITIES.scanImage, trigger: { type: "activity" }, handler: scan.scanImageActivity },
  { name: ACTIVITIES.listRefreshImages, trigger: { type: "activity" }, handler: scan.listRefreshImagesActivity },
  { name: ACTIVITIES.rematchImage, trigger: { type: "activity" }, handler: scan.rematchImageActivity },
  { name: ACTIVITIES.buildGraph, trigger: { type: "activity" }, handler: graph.buildGraphActivity },
  { name: ACTIVITIES.listGraphClusters, trigger: { type: "activity" }, handler: graph.listGraphClustersActivity },
];
