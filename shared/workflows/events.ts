// Event Grid events → orchestrations. Every event is handled at most once (its id is recorded),
// orchestration instance ids are deterministic (a duplicate start is refused, not replaced), and
// anything outside onboarded subscriptions or known registries is ignored and logged (no SSRF).
import { createHash } from "node:crypto";
import { InputError } from "../errors.js";
import type { OrchestrationClient } from "../platform/orchestration.js";
import type { EventGridEvent } from "../platform/event-grid.js";
import { ORCHESTRATIONS } from "./names.js";
import { services } from "./services.js";

export type EventOutcome = { action: "started"; instanceId: string } | { action: "ignored" | "duplicate" | "removed"; reason: string };

const SUB_RE = /^\/subscriptions\/([0-9a-f-]{36})/i;

export function shortHash(text: string): string {
  return createHash("sha256").update(text.toLowerCase()).digest("hex").slice(0, 16);
}

/** Starts an orchestration unless an instance with that id is running (then it is a duplicate). */
export async function startOnce(client: OrchestrationClient, name: string, instanceId: string, input: unknown): Promise<EventOutcome> {
  const status = await client.getStatus(instanceId);
  if (status && (status.runtimeStatus === "Running" || status.runtimeStatus === "Pending")) {
    return { action: "duplicate", reason: `${name} ${instanceId} is already running` };
  }
  try {
    await client.startNew(name, { instanceId, input });
  } catch (err) {
    if (err instanceof InputError && err.code === "InstanceAlreadyRunning") return { action: "duplicate", reason: err.message };
    throw err;
  }
  return { action: "started", instanceId };
}

export function onboardInstanceId(subscriptionId: string): string {
  return `onboard-${subscriptionId.toLowerCase()}`;
}

async function isOnboarded(subscriptionId: string): Promise<boolean> {
  const row = await services().state.subscriptions.get("subscription", subscriptionId.toLowerCase());
  return row !== undefined && row.value.state !== "offboarded";
}

export async function handleEvent(event: EventGridEvent, client: OrchestrationClient, log: (m: string) => void = () => {}): Promise<EventOutcome> {
  const { state } = services();
  // Event Grid delivers at least once; the id makes redeliveries harmless.
  const fresh = await state.seenEvents.create("event", event.id, { at: new Date().toISOString(), eventType: event.eventType });
  if (!fresh) return { action: "duplicate", reason: `event ${event.id} was already handled` };
  let outcome: EventOutcome;
  try {
    outcome = await route(event, client);
  } catch (err) {
    // Not handled after all: Event Grid's redelivery must be able to try again.
    await state.seenEvents.delete("event", event.id);
    throw err;
  }
  log(`event ${event.eventType} ${event.id}: ${outcome.action}${"reason" in outcome ? ` (${outcome.reason})` : ` ${outcome.instanceId}`}`);
  return outcome;
}

async function route(event: EventGridEvent, client: OrchestrationClient): Promise<EventOutcome> {
  const data = (event.data ?? {}) as Record<string, any>;
  switch (event.eventType) {
    case "Microsoft.Resources.ResourceWriteSuccess": {
      const operation = String(data.operationName ?? "").toLowerCase();
      const resourceUri = String(data.resourceUri ?? event.subject ?? "");
      const sub = (SUB_RE.exec(resourceUri) ?? SUB_RE.exec(event.topic ?? ""))?.[1]?.toLowerCase() ?? String(data.subscriptionId ?? "").toLowerCase();
      if (!/^[0-9a-f-]{36}$/.test(sub)) return { action: "ignored", reason: "no subscription id in the event" };
      if (operation === "microsoft.security/pricings/write") {
        return startOnce(client, ORCHESTRATIONS.onboardSubscription, onboardInstanceId(sub), { subscriptionId: sub });
      }
      if (operation === "microsoft.containerservice/managedclusters/write") {
        if (!(await isOnboarded(sub))) return { action: "ignored", reason: `subscription ${sub} is not onboarded` };
        const clusterId = resourceUri.toLowerCase();
        return startOnce(client, ORCHESTRATIONS.onboardSubscription, `cluster-${shortHash(clusterId)}`, { subscriptionId: sub, clusterId });
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
      const registry = await services().state.registries.get("registry", host);
      if (!registry) return { action: "ignored", reason: `registry ${host} is not in an onboarded subscription` };
      if (event.eventType.endsWith("ImageDeleted")) {
        const { removeImage } = await import("./scan.js");
        const removed = await removeImage(digest, `${host}/${repository}`);
        return removed.stillRunning
          ? { action: "ignored", reason: `${digest} was deleted from ${host}/${repository} but still runs in a cluster: its findings stay` }
          : { action: "removed", reason: `findings of ${digest} removed` };
      }
      const tag = str(target.tag);
      const ref = `${host}/${repository}${tag ? `:${tag}` : ""}@${digest}`;
      return startOnce(client, ORCHESTRATIONS.scanImages, `scan-${digest.slice(7, 39)}`, { images: [{ ref, digest, pushed: true }] });
    }
    default:
      return { action: "ignored", reason: `event type ${event.eventType} is not handled` };
  }
}
