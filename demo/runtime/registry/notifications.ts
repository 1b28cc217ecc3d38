// Distribution (docker-registry) webhook notifications → Azure Container Registry-shaped Event Grid
// events, so a self-hosted registry drives the same ImagePushed/ImageDeleted flow as ACR.
// Envelope: {"events":[{id, timestamp, action:"push"|"pull"|"delete", target:{mediaType, size,
// digest, length, repository, url, tag}, request:{id, addr, host, method, useragent}, actor, source}]}.
import { InputError } from "../../../shared/errors.js";
import type { EventGridEvent } from "../../../shared/platform/event-grid.js";
import { MANIFEST_ACCEPT } from "../../../shared/registry/media-types.js";

export interface BridgeOptions {
  /** The login server this registry stands for (e.g. vantagedemo.azurecr.io). */
  loginServer: string;
  /** The registry's ARM resource id (Event Grid topic). */
  topic: string;
}

export function distributionToEventGrid(envelope: unknown, options: BridgeOptions): EventGridEvent[] {
  const events = (envelope as { events?: unknown })?.events;
  if (!Array.isArray(events)) throw new InputError("registry notification without an events array");
  const out: EventGridEvent[] = [];
  for (const raw of events) {
    const e = raw as Record<string, any>;
    const action = e?.action;
    const target = e?.target ?? {};
    if (action !== "push" && action !== "delete") continue;
    // Blob pushes are notified too; only manifests are images.
    if (action === "push" && !MANIFEST_ACCEPT.includes(String(target.mediaType))) continue;
    if (typeof e.id !== "string" || typeof target.digest !== "string" || typeof target.repository !== "string") continue;
    out.push({
      id: e.id,
      topic: options.topic,
      subject: `${target.repository}${target.tag ? `:${target.tag}` : ""}`,
      eventType: action === "push" ? "Microsoft.ContainerRegistry.ImagePushed" : "Microsoft.ContainerRegistry.ImageDeleted",
      eventTime: typeof e.timestamp === "string" ? e.timestamp : new Date().toISOString(),
      data: {
        id: e.id,
        timestamp: e.timestamp,
        action,
        target: { mediaType: target.mediaType, size: target.size, digest: target.digest, length: target.length, repository: target.repository, tag: target.tag },
        request: { id: e.request?.id, host: options.loginServer, method: e.request?.method, useragent: e.request?.useragent },
      },
      dataVersion: "1.0",
      metadataVersion: "1",
    });
  }
  return out;
}
