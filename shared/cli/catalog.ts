// The CLI catalogs in a pool worker, as the app does: the walk runs off the CLI's thread, under the
// pool's deadline and heap cap, in a worker whose heap is tuned for layer walks (heap-tuning.ts).
// VANTAGE_POOL=inline runs it on this thread instead; the pool settings are the app's.
import { poolSettingsFromEnv, TaskPool } from "../isolation/pool.js";
import type { CatalogImageInput } from "../isolation/tasks.js";
import type { CatalogProgress } from "../scanner/image/index.js";
import type { Sbom } from "../scanner/model.js";

export async function catalogInWorker(input: Omit<CatalogImageInput, "progress">, env: Record<string, string | undefined>, onProgress?: (e: CatalogProgress) => void): Promise<Sbom> {
  const pool = new TaskPool(poolSettingsFromEnv(env));
  try {
    return await pool.run("catalogImage", { ...input, progress: Boolean(onProgress) }, onProgress ? { host: { progress: async (e) => onProgress(e) } } : {});
  } finally {
    await pool.close();
  }
}
