// Registry discovery and push notifications: Vantage only ever contacts registries it discovered in
// an onboarded subscription, and learns about new images from Event Grid instead of polling.
import type { Registry } from "@azure/arm-containerregistry";
import type { ArmConnection } from "./connection.js";
import { armClients, lroOptions } from "./connection.js";
import { captureResponse, isNotFound, toArmError } from "./errors.js";
import { parseResourceId, parseResourceIdOfType, scopeParameter } from "./ids.js";
import type { RegistryFacts } from "./model.js";

export const REGISTRY_TYPE = "Microsoft.ContainerRegistry/registries";
/** Name of the Event Grid subscription Vantage creates on each registry. */
export const REGISTRY_EVENT_SUBSCRIPTION_NAME = "vantage-image-events";
export const REGISTRY_EVENT_TYPES = ["Microsoft.ContainerRegistry.ImagePushed", "Microsoft.ContainerRegistry.ImageDeleted"] as const;

export function toRegistryFacts(registry: Registry): RegistryFacts {
  if (!registry.id) throw new Error("registry without an id");
  const id = parseResourceId(registry.id);
  const name = registry.name ?? id.name ?? "";
  return {
    id: id.id.toLowerCase(),
    name,
    subscriptionId: id.subscriptionId,
    // loginServer is read-only and always set by ARM; the fallback is the public-cloud convention.
    loginServer: registry.loginServer ?? `${name.toLowerCase()}.azurecr.io`,
    ...(registry.adminUserEnabled !== undefined ? { adminUserEnabled: registry.adminUserEnabled } : {}),
    ...(registry.publicNetworkAccess !== undefined ? { publicNetworkAccess: registry.publicNetworkAccess } : {}),
    ...(registry.anonymousPullEnabled !== undefined ? { anonymousPullEnabled: registry.anonymousPullEnabled } : {}),
  };
}

/** Every container registry in the connection's subscription (all pages). Throws ArmError. */
export async function discoverRegistries(conn: ArmConnection): Promise<RegistryFacts[]> {
  const registries: RegistryFacts[] = [];
  const last = captureResponse();
  try {
    for await (const registry of armClients(conn).containerRegistry.registries.list({ onResponse: last.onResponse })) {
      registries.push(toRegistryFacts(registry));
    }
  } catch (err) {
    throw toArmError(err, last.body);
  }
  return registries;
}

/**
 * Event Grid subscription on the registry delivering ImagePushed/ImageDeleted to Vantage's webhook
 * (PUT is idempotent; the same name every time). Event Grid validates the endpoint with a
 * SubscriptionValidation event, which POST /api/events must answer. Throws ArmError.
 */
export async function ensureRegistryEventSubscription(
  conn: ArmConnection,
  registry: Pick<RegistryFacts, "id">,
  options: { endpointUrl: string; name?: string },
): Promise<{ id: string }> {
  const scope = parseResourceIdOfType(registry.id, REGISTRY_TYPE).id;
  const name = options.name ?? REGISTRY_EVENT_SUBSCRIPTION_NAME;
  try {
    const result = await armClients(conn).eventGrid.eventSubscriptions.beginCreateOrUpdateAndWait(
      scopeParameter(scope),
      name,
      {
        destination: { endpointType: "WebHook", endpointUrl: options.endpointUrl },
        filter: { includedEventTypes: [...REGISTRY_EVENT_TYPES] },
        eventDeliverySchema: "EventGridSchema",
        retryPolicy: { maxDeliveryAttempts: 30, eventTimeToLiveInMinutes: 1440 },
      },
      lroOptions(conn),
    );
    return { id: result.id ?? `${scope}/providers/Microsoft.EventGrid/eventSubscriptions/${name}` };
  } catch (err) {
    throw toArmError(err);
  }
}

/** Offboarding: deletes the registry's Vantage event subscription; 404 = already gone. Throws ArmError. */
export async function removeRegistryEventSubscription(conn: ArmConnection, eventSubscriptionId: string): Promise<boolean> {
  const parsed = parseResourceId(eventSubscriptionId);
  const marker = "/providers/Microsoft.EventGrid/eventSubscriptions/";
  const at = parsed.id.toLowerCase().lastIndexOf(marker.toLowerCase());
  if (at < 0 || !parsed.name) {
    throw toArmError(Object.assign(new Error(`${eventSubscriptionId} is not an event subscription id`), { code: "InvalidResourceId" }));
  }
  const { eventSubscriptions } = armClients(conn).eventGrid;
  try {
    await eventSubscriptions.get(scopeParameter(parsed.id.slice(0, at)), parsed.name);
    await eventSubscriptions.beginDeleteAndWait(scopeParameter(parsed.id.slice(0, at)), parsed.name, lroOptions(conn));
    return true;
  } catch (err) {
    const armError = toArmError(err);
    if (isNotFound(armError)) return false;
    throw armError;
  }
}
