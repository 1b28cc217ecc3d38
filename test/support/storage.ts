// Test access to the suite's real Azurite (started by global-setup.ts).
import { randomBytes } from "node:crypto";
import { storageFromEnv, type StorageConnection } from "../../shared/storage/connection.js";

export function testStorage(): StorageConnection {
  const cs = process.env.VANTAGE_TEST_STORAGE ?? process.env.AzureWebJobsStorage;
  if (!cs) throw new Error("no Azurite: the vitest global setup did not run");
  return storageFromEnv({ AzureWebJobsStorage: cs });
}

/** A unique, Table- and Blob-safe name so tests never see each other's data. */
export function uniqueName(prefix: string): string {
  return `${prefix}${randomBytes(5).toString("hex")}`;
}
