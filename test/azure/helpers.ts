// Shared set-up for tests that drive the real SDK clients against the ARM emulator.
import type { ArmConnection } from "../../shared/azure/connection.js";
import { startArmEmulator, type ArmEmulator, type ArmEmulatorOptions } from "../../demo/runtime/arm/server.js";

export const SUB1 = "11111111-1111-4111-8111-111111111111";
export const SUB2 = "22222222-2222-4222-8222-222222222222";
export const DEFENDER_SOURCE = `/subscriptions/${SUB1}/providers/Microsoft.Security/pricings/Containers`;
export const DEFENDER_ROLE = "Microsoft.Security/pricings/microsoft-defender-operator";

export async function emulator(options: ArmEmulatorOptions = {}): Promise<ArmEmulator> {
  return startArmEmulator({ lroPolls: 2, ...options });
}

/** A connection trusting only the emulator's CA, with fast backoff so injected 5xx don't slow tests. */
export function connect(emu: ArmEmulator, subscriptionId = SUB1): ArmConnection {
  return {
    endpoint: emu.endpoint,
    credential: emu.credential,
    subscriptionId,
    tls: { ca: emu.caCert },
    retry: { maxRetries: 3, retryDelayInMs: 20, maxRetryDelayInMs: 100 },
    pollIntervalMs: 10,
  };
}

export function callsOf(emu: ArmEmulator, operationId: string) {
  return emu.calls.filter((c) => c.operationId === operationId);
}
