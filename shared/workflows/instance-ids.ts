// Orchestration instance ids, derived from what an orchestration is about, so the same request
// always names the same instance: a second start while one runs is refused as a duplicate (Durable
// would otherwise replace it), and a retried event or timer tick starts nothing new.
import { createHash } from "node:crypto";

/** 16 hex characters of SHA-256 over the lowercased text: a stable, key-safe name for a long id. */
export function shortHash(text: string): string {
  return createHash("sha256").update(text.toLowerCase()).digest("hex").slice(0, 16);
}

/** Onboarding (and re-discovery) of one subscription. */
export function onboardInstanceId(subscriptionId: string): string {
  return `onboard-${subscriptionId.toLowerCase()}`;
}

/** Offboarding of one subscription after its Defender for Containers plan went Free. */
export function offboardInstanceId(subscriptionId: string): string {
  return `offboard-${subscriptionId.toLowerCase()}`;
}

/** Onboarding of one cluster after a managedClusters/write event. */
export function clusterOnboardInstanceId(clusterId: string): string {
  return `cluster-${shortHash(clusterId)}`;
}

/** The hourly snapshot of one subscription. */
export function snapshotInstanceId(subscriptionId: string): string {
  return `snapshot-${subscriptionId.toLowerCase()}`;
}

/** A scan of one pushed image (digest "sha256:<64 hex>"). */
export function pushScanInstanceId(digest: string): string {
  return `scan-${digest.slice("sha256:".length, "sha256:".length + 32)}`;
}

/** The daily re-match of stored SBOMs: one at a time. */
export const REFRESH_INSTANCE_ID = "refresh-findings";

/** Sub-orchestrations are named after their parent (deterministic on replay). */
export function snapshotAfterOnboardInstanceId(parentInstanceId: string, runId: string): string {
  return `${parentInstanceId}:snapshot:${runId}`;
}

export function scanAfterSnapshotInstanceId(parentInstanceId: string): string {
  return `${parentInstanceId}:scan`;
}

/** The daily inventory of one subscription's registries. */
export function inventoryInstanceId(subscriptionId: string): string {
  return `inventory-${subscriptionId.toLowerCase()}`;
}

/** The inventory of the registries an onboarding run discovered. */
export function inventoryAfterOnboardInstanceId(parentInstanceId: string, runId: string): string {
  return `${parentInstanceId}:inventory:${runId}`;
}

/** One chunk of an inventory run's scans (the run's start time keeps days apart). */
export function inventoryChunkInstanceId(parentInstanceId: string, runId: string, from: number): string {
  return `${parentInstanceId}:${runId}:chunk:${from}`;
}
