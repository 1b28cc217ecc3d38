// Orchestrations and activities, registered under the names in shared/workflows/names.ts.
import type { FunctionDefinition } from "../shared/host/definitions.js";
import { ACTIVITIES, ORCHESTRATIONS } from "../shared/workflows/names.js";
import * as onboard from "../shared/workflows/onboard.js";

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
];
