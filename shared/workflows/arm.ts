// ARM access for activities: one connection per subscription from the configured endpoint and
// credential, and the rule that decides which ARM failures are worth a Durable retry.
import type { ArmConnection } from "../azure/connection.js";
import { ArmError, toArmError } from "../azure/errors.js";
import type { VantageConfig } from "./config.js";

/** Connections per subscription, reused while the endpoint and credential stay the same. */
export function armConnections(config: VantageConfig): (subscriptionId: string) => ArmConnection {
  const connections = new Map<string, ArmConnection>();
  return (subscriptionId) => {
    const key = `${config.armEndpoint}|${subscriptionId}`;
    let conn = connections.get(key);
    if (!conn || conn.credential !== config.credential) {
      conn = {
        endpoint: config.armEndpoint,
        credential: config.credential,
        subscriptionId,
        tls: config.armCa ? { ca: config.armCa } : undefined,
        pollIntervalMs: config.armPollIntervalMs,
        retry: config.armRetryDelayMs !== undefined ? { retryDelayInMs: config.armRetryDelayMs, maxRetryDelayInMs: config.armRetryDelayMs * 8 } : undefined,
      };
      connections.set(key, conn);
    }
    return conn;
  };
}

/** 429, 5xx and network errors are transient: throw so the orchestration's RetryOptions apply. */
export function isTransient(err: ArmError): boolean {
  return err.status === undefined || err.status === 408 || err.status === 429 || err.status >= 500;
}

export interface StepFailure {
  ok: false;
  code: string;
  message: string;
}

/**
 * Runs an ARM step inside an activity: transient failures throw (Durable retries them), permanent
 * ones (403 AuthorizationFailed, 404, 409 conflicts other than "exists") come back as a value so the
 * orchestration records them instead of failing fast.
 */
export async function armStep<T>(fn: () => Promise<T>): Promise<({ ok: true } & T) | StepFailure> {
  try {
    return { ok: true, ...(await fn()) };
  } catch (err) {
    const armError = toArmError(err);
    if (isTransient(armError)) throw armError;
    return { ok: false, code: armError.code, message: armError.message };
  }
}
