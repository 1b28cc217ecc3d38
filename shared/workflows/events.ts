// Event Grid events → orchestrations. Every event is handled at most once (its id is recorded),
// orchestration instance ids are deterministic (a duplicate start is refused, not replaced), and
// anything outside onboarded subscriptions or known registries is ignored and logged (no SSRF).
import { ArmError } from "../azure/errors.js";
import { isGuid, subscriptionOf } from "../azure/ids.js";
import { ConflictError } from "../errors.js";
import type { OrchestrationClient } from "../platform/orchestration.js";
import type { EventGridEvent } from "../platform/event-grid.js";
import { CONTAINERS_PLAN, getPricingTier, pricingPlanOf } from "../azure/pricing.js";
import type { Dependencies } from "./dependencies.js";
import { removeImage } from "./image-removal.js";
import { clusterOnboardInstanceId, offboardInstanceId, onboardInstanceId, pushScanInstanceId } from "./instance-ids.js";
import { ORCHESTRATIONS } from "./names.js";

export type EventOutcome = { action: "started"; instanceId: string } | { action: "ignored" | "duplicate" | "removed" | "unknown"; reason: string };

/** Starts an orchestration unless an instance with that id is running (then it is a duplicate). */
export async function startOnce(client: OrchestrationClient, name: string, instanceId: string, input: unknown): Promise<EventOutcome> {
  const status = await client.getStatus(instanceId);
  if (status && (status.runtimeStatus === "Running" || status.runtimeStatus === "Pending")) {
    return { action: "duplicate", reason: `${name} ${instanceId} is already running` };
  }
  try {
    await client.startNew(name, { instanceId, input });
  } catch (err) {
    if (err instanceof ConflictError && err.code === "InstanceAlreadyRunning") return { action: "duplicate", reason: err.message };
    throw err;
  }
  return { action: "started", instanceId };
}

async function isOnboarded(deps: Dependencies, subscriptionId: string): Promise<boolean> {
  const row = await deps.state.subscriptions.get("subscription", subscriptionId.toLowerCase());
  return row !== undefined && row.value.state !== "offboarded";
}

export async function handleEvent(deps: Dependencies, event: EventGridEvent, client: OrchestrationClient, log: (m: string) => void = () => {}): Promise<EventOutcome> {
  const { state } = deps;
  // Event Grid delivers at least once; the id makes redeliveries harmless.
  const seen = { at: new Date().toISOString(), eventType: event.eventType };
  const fresh = await state.seenEvents.create("event", event.id, seen);
  if (!fresh) return { action: "duplicate", reason: `event ${event.id} was already handled` };
  let outcome: EventOutcome;
  try {
    outcome = await route(deps, event, client);
  } catch (err) {
    // Not handled after all: Event Grid's redelivery must be able to try again.
    await state.seenEvents.delete("event", event.id);
    throw err;
  }
  // What was done is kept with the id: an ignored event leaves this row and nothing else.
  await state.seenEvents.upsert("event", event.id, { ...seen, ...outcome });
  log(`event ${event.eventType} ${event.id}: ${outcome.action}${"reason" in outcome ? ` (${outcome.reason})` : ` ${outcome.instanceId}`}`);
  return outcome;
}

async function route(deps: Dependencies, event: EventGridEvent, client: OrchestrationClient): Promise<EventOutcome> {
  const data = (event.data ?? {}) as Record<string, any>;
  switch (event.eventType) {
    case "Microsoft.Resources.ResourceWriteSuccess": {
      const operation = String(data.operationName ?? "").toLowerCase();
      const resourceUri = String(data.resourceUri ?? event.subject ?? "");
      const sub = subscriptionOf(resourceUri) ?? subscriptionOf(event.topic ?? "") ?? String(data.subscriptionId ?? "").toLowerCase();
      if (!isGuid(sub)) return { action: "ignored", reason: "no subscription id in the event" };
      if (operation === "microsoft.security/pricings/write") {
        // Every Defender plan change, on or off, is this same write: act on the Containers plan
        // only, and on its tier as ARM reports it now (the event says nothing about the tier).
        const pricing = pricingPlanOf(resourceUri);
        if (!pricing || pricing.plan.toLowerCase() !== CONTAINERS_PLAN.toLowerCase()) {
          return { action: "ignored", reason: `pricing ${pricing?.plan ?? resourceUri} is not the Defender for Containers plan` };
        }
        let tier: Awaited<ReturnType<typeof getPricingTier>>;
        try {
          tier = await getPricingTier(deps.arm(pricing.subscriptionId), CONTAINERS_PLAN);
        } catch (err) {
          // ARM says the subscription is not there or not readable by Vantage: an event for a
          // subscription nobody onboarded is ignored (no subscription row, no onboarding). A
          // transient failure, or one on an onboarded subscription, stays retryable.
          if (err instanceof ArmError && (err.status === 403 || err.status === 404) && !(await isOnboarded(deps, sub))) {
            return { action: "ignored", reason: `the Defender plan of ${sub} cannot be read (${err.code}): not a subscription Vantage can onboard` };
          }
          throw err;
        }
        if (tier === "Standard") return startOnce(client, ORCHESTRATIONS.onboardSubscription, onboardInstanceId(sub), { subscriptionId: sub });
        if (!(await isOnboarded(deps, sub))) return { action: "ignored", reason: `Defender for Containers is Free on ${sub}, which is not onboarded` };
        return startOnce(client, ORCHESTRATIONS.offboardSubscription, offboardInstanceId(sub), { subscriptionId: sub });
      }
      if (operation === "microsoft.containerservice/managedclusters/write") {
        if (!(await isOnboarded(deps, sub))) return { action: "ignored", reason: `subscription ${sub} is not onboarded` };
        const clusterId = resourceUri.toLowerCase();
        return startOnce(client, ORCHESTRATIONS.onboardSubscription, clusterOnboardInstanceId(clusterId), { subscriptionId: sub, clusterId });
      }
      return { action: "ignored", reason: `operation ${operation || "(none)"} is not one Vantage acts on` };
    }
    case "Microsoft.ContainerRegistry.ImagePushed":
    case "Microsoft.ContainerRegistry.ImageDeleted": {
      const target = data.target && typeof data.target === "object" ? data.target : {};
      const str = (v: unknown) => (typeof v === "string" ? v : "");
      const host = str(data.request?.host).toLowerCase();
      const repository = str(target.repository);
      const digest = str(target.digest);
      if (!host || !repository || !/^sha256:[0-9a-f]{64}$/.test(digest)) {
        return { action: "ignored", reason: "registry event without request.host, target.repository and a sha256 target.digest" };
      }
      // Only registries discovered in onboarded subscriptions are ever contacted.
      const registry = await deps.state.registries.get("registry", host);
      if (!registry) return { action: "ignored", reason: `registry ${host} is not in an onboarded subscription` };
      // The topic is the registry's resource id: it must be the registry that owns this login server.
      if (String(event.topic ?? "").toLowerCase() !== String(registry.value.id ?? "").toLowerCase()) {
        return { action: "ignored", reason: `event topic ${event.topic || "(none)"} is not the registry ${host} (${registry.value.id})` };
      }
      if (event.eventType.endsWith("ImageDeleted")) {
        const removed = await removeImage(deps, digest, `${host}/${repository}`);
        if (!removed.known) return { action: "unknown", reason: `${digest} was never scanned by Vantage: nothing to remove` };
        return removed.stillRunning
          ? { action: "ignored", reason: `${digest} was deleted from ${host}/${repository} but still runs in a cluster: its findings stay` }
          : { action: "removed", reason: `findings of ${digest} removed` };
      }
      const tag = str(target.tag);
      const ref = `${host}/${repository}${tag ? `:${tag}` : ""}@${digest}`;
      // Deduplicated by digest: pushing an image already scanned under this reference starts
      // nothing (a new tag of a known digest still starts a scan, which records the tag from the stored SBOM).
      const known = (await deps.state.images.get("image", digest))?.value;
      if (known?.sbom && known.pushedAt && known.refs.includes(ref.slice(0, -digest.length - 1))) {
        return { action: "duplicate", reason: `${digest} was already scanned as ${ref.slice(0, -digest.length - 1)}` };
      }
      return startOnce(client, ORCHESTRATIONS.scanImages, pushScanInstanceId(digest), { images: [{ ref, digest, pushed: true }] });
    }
    default:
      return { action: "ignored", reason: `event type ${event.eventType} is not handled` };
  }
}
