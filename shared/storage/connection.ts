// Storage connection from the same settings the Functions host reads: `AzureWebJobsStorage` as a
// connection string (Azurite locally), or identity-based `AzureWebJobsStorage__accountName`
// (+ optional `__blobServiceUri` / `__tableServiceUri`) with a managed identity in Azure.
import { BlobServiceClient } from "@azure/storage-blob";
import { TableClient, TableServiceClient } from "@azure/data-tables";
import { DefaultAzureCredential, type TokenCredential } from "@azure/identity";
import { InputError } from "../errors.js";

export interface StorageConnection {
  blobService: BlobServiceClient;
  tableClient(table: string): TableClient;
  tableService: TableServiceClient;
  /** Counts Table operations sent, for benchmarks (one per entity operation, one per transaction). */
  metrics: { tableTransactions: number; tableOperations: number; blobWrites: number; blobReads: number };
}

type Env = Record<string, string | undefined>;

export function storageFromEnv(env: Env = process.env, credential?: TokenCredential): StorageConnection {
  const connectionString = env.AzureWebJobsStorage;
  const metrics = { tableTransactions: 0, tableOperations: 0, blobWrites: 0, blobReads: 0 };
  if (connectionString) {
    // Azurite speaks http on loopback; only then is an insecure connection allowed.
    const insecure = /(Blob|Table)Endpoint=http:\/\/(127\.0\.0\.1|localhost)/i.test(connectionString) || /UseDevelopmentStorage=true/i.test(connectionString);
    return {
      blobService: BlobServiceClient.fromConnectionString(connectionString),
      tableClient: (table) => TableClient.fromConnectionString(connectionString, table, { allowInsecureConnection: insecure }),
      tableService: TableServiceClient.fromConnectionString(connectionString, { allowInsecureConnection: insecure }),
      metrics,
    };
  }
  const account = env.AzureWebJobsStorage__accountName;
  if (!account) {
    throw new InputError("storage is not configured: set AzureWebJobsStorage (connection string) or AzureWebJobsStorage__accountName");
  }
  const cred = credential ?? new DefaultAzureCredential({ managedIdentityClientId: env.AzureWebJobsStorage__clientId });
  const blobUrl = env.AzureWebJobsStorage__blobServiceUri ?? `https://${account}.blob.core.windows.net`;
  const tableUrl = env.AzureWebJobsStorage__tableServiceUri ?? `https://${account}.table.core.windows.net`;
  return {
    blobService: new BlobServiceClient(blobUrl, cred),
    tableClient: (table) => new TableClient(tableUrl, table, cred),
    tableService: new TableServiceClient(tableUrl, cred),
    metrics,
  };
}
