// One real Azurite for the whole suite; tests isolate themselves by unique container/table names.
import { startAzurite, type AzuriteHandle } from "../../shared/host/azurite.js";
import { packageRoot } from "../../shared/package-root.js";
import { ensureFreshDist } from "./fresh-dist.js";

let azurite: AzuriteHandle | undefined;

export async function setup(): Promise<void> {
  ensureFreshDist(packageRoot());
  azurite = await startAzurite();
  process.env.AzureWebJobsStorage = azurite.connectionString;
  process.env.VANTAGE_TEST_STORAGE = azurite.connectionString;
}

export async function teardown(): Promise<void> {
  await azurite?.stop();
}
