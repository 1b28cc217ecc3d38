// Timer triggers: re-discovery, snapshots, daily refresh. Schedules are NCRONTAB, overridable by
// app settings named in `scheduleSetting`.
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { startOnce } from "../shared/workflows/events.js";
import { ORCHESTRATIONS } from "../shared/workflows/names.js";
import { listSubscriptions } from "../shared/workflows/read-model.js";
import { refreshFeed } from "../shared/workflows/scan.js";

async function forEachOnboarded(fn: (subscriptionId: string) => Promise<unknown>): Promise<void> {
  for (const s of await listSubscriptions()) if (s.state === "onboarded") await fn(s.subscriptionId);
}

export const timerFunctions: Extract<FunctionDefinition, { trigger: { type: "timer" } }>[] = [
  {
    name: "rediscoverTimer",
    trigger: { type: "timer", schedule: "0 0 */6 * * *", scheduleSetting: "VANTAGE_DISCOVERY_SCHEDULE" },
    handler: async (ctx) =>
      forEachOnboarded((sub) => startOnce(ctx.client, ORCHESTRATIONS.onboardSubscription, `onboard-${sub}`, { subscriptionId: sub })),
  },
  {
    name: "snapshotTimer",
    trigger: { type: "timer", schedule: "0 0 * * * *", scheduleSetting: "VANTAGE_SNAPSHOT_SCHEDULE" },
    handler: async (ctx) =>
      forEachOnboarded((sub) => startOnce(ctx.client, ORCHESTRATIONS.snapshotSubscription, `snapshot-${sub}`, { subscriptionId: sub })),
  },
  {
    name: "feedUpdateTimer",
    trigger: { type: "timer", schedule: "0 30 1 * * *", scheduleSetting: "VANTAGE_FEED_SCHEDULE" },
    handler: async (ctx) => {
      const result = await refreshFeed();
      ctx.log(`feed update: ${result.status}${result.status === "failed" ? ` (${result.error}; the previous index stays)` : ""}`);
    },
  },
  {
    name: "refreshTimer",
    trigger: { type: "timer", schedule: "0 30 2 * * *", scheduleSetting: "VANTAGE_REFRESH_SCHEDULE" },
    handler: async (ctx) => { await startOnce(ctx.client, ORCHESTRATIONS.refreshFindings, "refresh-findings", {}); },
  },
];
