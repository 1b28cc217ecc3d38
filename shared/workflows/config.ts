// Settings, read once from app settings (env) — the same names in Azure (Function App settings),
// in local.settings.json and for the local host. Every setting is listed in README's table.
import type { TokenCredential } from "@azure/core-auth";
import { DefaultAzureCredential } from "@azure/identity";
import { InputError } from "../errors.js";
import type { BindStrategy } from "../azure/model.js";
import type { QueryLimits } from "../explorer/model.js";
import type { WalkLimits } from "../scanner/image/limits.js";
import { queryLimitsFromEnv, walkLimitsFromEnv } from "../settings/limits.js";
import { parsePortList } from "../posture/ports.js";
import { feedSourcesFromEnv, type FeedSources } from "../scanner/feed/update.js";
import { parseAccessMap } from "./access.js";

export interface VantageConfig {
  armEndpoint: string;
  credential: TokenCredential;
  /** Extra CA for ARM (private endpoints); TLS verification is never disabled. */
  armCa?: string;
  armPollIntervalMs?: number;
  armRetryDelayMs?: number;
  operator: { resourceGroup: string; name: string; location: string };
  bindStrategy: BindStrategy;
  trustedAccess?: { sourceResourceId: string; roles: string[] };
  /** Cluster name or API server FQDN → API server URL, when not https://FQDN (private link, local). */
  kubeEndpoints: Record<string, string>;
  /** Registry login server → base URL, when not https://LOGIN_SERVER (local registry). */
  registryEndpoints: Record<string, string>;
  /** Where registries deliver ImagePushed events (this app's /api/events). */
  eventsUrl?: string;
  /** OSV/KEV/EPSS directory used when no feed index is stored yet. */
  feedDir?: string;
  /** Where the daily feed update downloads OSV, KEV and EPSS from. */
  feedSources: FeedSources;
  tablePrefix: string;
  taskHub: string;
  /** Role definitions deployed by infra/ (reused instead of per-subscription copies). */
  operatorRoleDefinitionId?: string;
  dataRoleDefinitionId?: string;
  /** VANTAGE_ACCESS: Entra object id → subscriptions it may read; everyone sees everything when unset. */
  access?: Map<string, string[] | "*">;
  /** VANTAGE_WALK_LIMITS: image walk budgets replacing the defaults, for every image the pipeline scans. */
  walkLimits: Partial<WalkLimits>;
  /** VANTAGE_QUERY_LIMITS: explorer cost limits replacing the defaults (and a caller's own) for every query. */
  queryLimits: Partial<QueryLimits>;
  posture: {
    /** VANTAGE_TRUSTED_REGISTRIES; unset = the subscription's discovered registries plus mcr.microsoft.com. */
    trustedRegistries?: string[];
    /** VANTAGE_SUPPORTED_K8S_VERSIONS: minor versions the region supports (e.g. 1.30,1.31,1.32). */
    supportedKubernetesVersions?: string[];
    /** VANTAGE_ALLOWED_SERVICE_PORTS: ports and ranges Services may listen on (e.g. 80,443,8000-8099); unset = not assessed. */
    allowedServicePorts?: string[];
    /** VANTAGE_POSTURE_EXCEPTIONS: the exceptions document (YAML or JSON) itself. */
    exceptions?: string;
    /** VANTAGE_POSTURE_EXCEPTIONS_BLOB: "container/path" of a blob holding that document instead. */
    exceptionsBlob?: string;
  };
}

type Env = Record<string, string | undefined>;

function jsonMap(env: Env, name: string): Record<string, string> {
  const raw = env[name];
  if (!raw) return {};
  try {
    const v = JSON.parse(raw);
    if (v && typeof v === "object" && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k.toLowerCase(), String(x)]));
  } catch {
    // fall through to the error below
  }
  throw new InputError(`setting ${name} must be a JSON object of strings`);
}

function csv(raw: string | undefined): string[] | undefined {
  const list = (raw ?? "").split(",").map((s) => s.trim()).filter(Boolean);
  return list.length ? list : undefined;
}

/** A port allow-list setting, checked here so a typo stops the app at start instead of every evaluation. */
function portList(env: Env, name: string): string[] | undefined {
  const list = csv(env[name]);
  if (list) parsePortList(list, name);
  return list;
}

export function configFromEnv(env: Env = process.env, overrides: Partial<VantageConfig> = {}): VantageConfig {
  const strategy = (env.VANTAGE_BIND_STRATEGY ?? "azure-rbac") as BindStrategy;
  if (strategy !== "azure-rbac" && strategy !== "trusted-access") throw new InputError(`VANTAGE_BIND_STRATEGY must be azure-rbac or trusted-access (got "${strategy}")`);
  const trustedSource = env.VANTAGE_TRUSTED_ACCESS_SOURCE;
  return {
    armEndpoint: env.VANTAGE_ARM_ENDPOINT ?? "https://management.azure.com",
    credential: overrides.credential ?? new DefaultAzureCredential({ managedIdentityClientId: env.AZURE_CLIENT_ID }),
    armPollIntervalMs: env.VANTAGE_ARM_POLL_MS ? Number(env.VANTAGE_ARM_POLL_MS) : undefined,
    operator: {
      resourceGroup: env.VANTAGE_OPERATOR_RESOURCE_GROUP ?? "vantage-operator",
      name: env.VANTAGE_OPERATOR_NAME ?? "vantage-posture-operator",
      location: env.VANTAGE_OPERATOR_LOCATION ?? "westeurope",
    },
    bindStrategy: strategy,
    trustedAccess: trustedSource
      ? { sourceResourceId: trustedSource, roles: (env.VANTAGE_TRUSTED_ACCESS_ROLES ?? "").split(",").map((s) => s.trim()).filter(Boolean) }
      : undefined,
    kubeEndpoints: jsonMap(env, "VANTAGE_KUBE_ENDPOINTS"),
    registryEndpoints: jsonMap(env, "VANTAGE_REGISTRY_ENDPOINTS"),
    eventsUrl: env.VANTAGE_EVENTS_URL,
    feedDir: env.VANTAGE_FEED_DIR,
    feedSources: feedSourcesFromEnv(env),
    tablePrefix: env.VANTAGE_TABLE_PREFIX ?? "vantage",
    taskHub: env.VANTAGE_TASK_HUB ?? "VantageLocal",
    operatorRoleDefinitionId: env.VANTAGE_OPERATOR_ROLE_DEFINITION_ID || undefined,
    dataRoleDefinitionId: env.VANTAGE_DATA_ROLE_DEFINITION_ID || undefined,
    access: parseAccessMap(env.VANTAGE_ACCESS),
    walkLimits: walkLimitsFromEnv(env),
    queryLimits: queryLimitsFromEnv(env),
    posture: {
      trustedRegistries: csv(env.VANTAGE_TRUSTED_REGISTRIES),
      supportedKubernetesVersions: csv(env.VANTAGE_SUPPORTED_K8S_VERSIONS),
      allowedServicePorts: portList(env, "VANTAGE_ALLOWED_SERVICE_PORTS"),
      exceptions: env.VANTAGE_POSTURE_EXCEPTIONS || undefined,
      exceptionsBlob: env.VANTAGE_POSTURE_EXCEPTIONS_BLOB || undefined,
    },
    ...overrides,
  };
}

/**
 * Parses every setting without connecting to anything: a malformed one throws its one-line error.
 * Hosts call it first, so such a setting stops the start instead of failing the first request.
 */
export function checkSettings(env: Env = process.env): void {
  configFromEnv(env, { credential: { getToken: async () => null } });
}
