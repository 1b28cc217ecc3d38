// Timer triggers: re-discovery, snapshots, daily refresh and registry inventory. Schedules are NCRONTAB, overridable by
// app settings named in `scheduleSetting`.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { startOnce } from "../shared/workflows/events.js";
import { inventoryInstanceId, onboardInstanceId, REFRESH_INSTANCE_ID, snapshotInstanceId } from "../shared/workflows/instance-ids.js";
import { ORCHESTRATIONS } from "../shared/workflows/names.js";
import { listSubscriptions } from "../shared/workflows/read-model.js";

type TimerDef = Extract<FunctionDefinition, { trigger: { type: "timer" } }>;

export function timerFunctions(deps: Dependencies): TimerDef[] {
  const forEachOnboarded = async (fn: (subscriptionId: string) => Promise<unknown>): Promise<void> => {
    for (const s of await listSubscriptions(deps)) if (s.state === "onboarded") await fn(s.subscriptionId);
  };
  return [
    {
      name: "rediscoverTimer",
      trigger: { type: "timer", schedule: "0 0 */6 * * *", scheduleSetting: "VANTAGE_DISCOVERY_SCHEDULE" },
      handler: async (ctx) =>
        forEachOnboarded((sub) => startOnce(ctx.client, ORCHESTRATIONS.onboardSubscription, onboardInstanceId(sub), { subscriptionId: sub })),
    },
    {
      name: "snapshotTimer",
      trigger: { type: "timer", schedule: "0 0 * * * *", scheduleSetting: "VANTAGE_SNAPSHOT_SCHEDULE" },
      handler: async (ctx) =>
        forEachOnboarded((sub) => startOnce(ctx.client, ORCHESTRATIONS.snapshotSubscription, snapshotInstanceId(sub), { subscriptionId: sub })),
    },
    {
      name: "feedUpdateTimer",
      trigger: { type: "timer", schedule: "0 30 1 * * *", scheduleSetting: "VANTAGE_FEED_SCHEDULE" },
      handler: async (ctx) => {
        const result = await deps.feed.update();
        ctx.log(`feed update: ${result.status}${result.status === "failed" ? ` (${result.error}; the previous index stays)` : ""}`);
        for (const w of result.warnings) ctx.log(`feed update: warning: ${w}`);
      },
    },
    {
      name: "refreshTimer",
      trigger: { type: "timer", schedule: "0 30 2 * * *", scheduleSetting: "VANTAGE_REFRESH_SCHEDULE" },
      handler: async (ctx) => { await startOnce(ctx.client, ORCHESTRATIONS.refreshFindings, REFRESH_INSTANCE_ID, {}); },
    },
    {
      // Before the refresh: the images the inventory finds are then re-matched with the rest.
      name: "inventoryTimer",
      trigger: { type: "timer", schedule: "0 0 2 * * *", scheduleSetting: "VANTAGE_INVENTORY_SCHEDULE" },
      handler: async (ctx) =>
        forEachOnboarded((sub) => startOnce(ctx.client, ORCHESTRATIONS.inventoryRegistries, inventoryInstanceId(sub), { subscriptionId: sub })),
    },
  ];
}
