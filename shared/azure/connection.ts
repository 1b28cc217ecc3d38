// How Vantage reaches ARM: one endpoint, one credential, one subscription. Every SDK client is built
// from the same options so retries, TLS trust and api-versions are decided in exactly one place.
import type { TokenCredential } from "@azure/core-auth";
import { ManagedServiceIdentityClient } from "@azure/arm-msi";
import { AuthorizationManagementClient } from "@azure/arm-authorization";
import { ContainerServiceClient } from "@azure/arm-containerservice";
import { ContainerRegistryManagementClient } from "@azure/arm-containerregistry";
import { EventGridManagementClient } from "@azure/arm-eventgrid";
import { parseSubscriptionId } from "./ids.js";

export const PUBLIC_ARM_ENDPOINT = "https://management.azure.com";

/** The api-versions Vantage is written against (the SDKs' defaults drift with every release). */
export const API_VERSIONS = {
  managedIdentity: "2023-01-31",
  authorization: "2022-04-01",
  containerService: "2024-02-01",
  containerRegistry: "2023-07-01",
  eventGrid: "2022-06-15",
} as const;

export interface ArmRetryOptions {
  /** Retries after the first attempt, for 429/5xx/network errors (default 3). */
  maxRetries?: number;
  /** Base of the exponential backoff when the response has no Retry-After (default 1000 ms). */
  retryDelayInMs?: number;
  /** Cap of the exponential backoff (default 30 s). */
  maxRetryDelayInMs?: number;
}

export interface ArmConnection {
  /** ARM base URL, e.g. https://management.azure.com (sovereign clouds differ). */
  endpoint: string;
  credential: TokenCredential;
  subscriptionId: string;
  retry?: ArmRetryOptions;
  /**
   * Extra TLS trust for this connection only, e.g. a private CA in front of an ARM-compatible
   * endpoint. When set, these CAs REPLACE the default roots for this connection's requests; TLS
   * verification itself is never turned off.
   */
  tls?: { ca: string | string[] };
  /** Long-running operation poll interval when ARM sends no Retry-After (default 2000 ms). */
  pollIntervalMs?: number;
}

export interface ArmClients {
  msi: ManagedServiceIdentityClient;
  authorization: AuthorizationManagementClient;
  containerService: ContainerServiceClient;
  containerRegistry: ContainerRegistryManagementClient;
  eventGrid: EventGridManagementClient;
}

function clientOptions(conn: ArmConnection) {
  const endpoint = conn.endpoint.replace(/\/+$/, "");
  return {
    endpoint,
    // Token audience follows the cloud (management.azure.com, management.usgovcloudapi.net, …).
    credentialScopes: [`${endpoint}/.default`],
    retryOptions: {
      maxRetries: conn.retry?.maxRetries ?? 3,
      retryDelayInMs: conn.retry?.retryDelayInMs ?? 1000,
      maxRetryDelayInMs: conn.retry?.maxRetryDelayInMs ?? 30_000,
    },
    ...(conn.tls ? { tlsOptions: { ca: conn.tls.ca } } : {}),
    userAgentOptions: { userAgentPrefix: "vantage" },
  };
}

const cache = new WeakMap<ArmConnection, ArmClients>();

/** The SDK clients for a connection (memoized per connection object: pipelines hold keep-alive agents). */
export function armClients(conn: ArmConnection): ArmClients {
  const cached = cache.get(conn);
  if (cached) return cached;
  const subscriptionId = parseSubscriptionId(conn.subscriptionId);
  const base = clientOptions(conn);
  // The modular clients (containerservice, containerregistry) take scopes under `credentials`.
  const modular = { ...base, credentials: { scopes: base.credentialScopes } };
  const clients: ArmClients = {
    msi: new ManagedServiceIdentityClient(conn.credential, subscriptionId, { ...base, apiVersion: API_VERSIONS.managedIdentity }),
    authorization: new AuthorizationManagementClient(conn.credential, subscriptionId, base),
    containerService: new ContainerServiceClient(conn.credential, subscriptionId, {
      ...modular,
      apiVersion: API_VERSIONS.containerService,
    }),
    containerRegistry: new ContainerRegistryManagementClient(conn.credential, subscriptionId, {
      ...modular,
      apiVersion: API_VERSIONS.containerRegistry,
    }),
    eventGrid: new EventGridManagementClient(conn.credential, subscriptionId, { ...base, apiVersion: API_VERSIONS.eventGrid }),
  };
  cache.set(conn, clients);
  return clients;
}

/** Options for long-running operations: poll at the connection's interval. */
export function lroOptions(conn: ArmConnection): { updateIntervalInMs: number } {
  return { updateIntervalInMs: conn.pollIntervalMs ?? 2000 };
}
