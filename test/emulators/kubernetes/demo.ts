// The bundled demo estate (demo/estate/<cluster>/*.yaml), one emulated API server per cluster.
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { startKubernetesEmulator, type KubernetesEmulator, type KubernetesEmulatorOptions } from "./server.js";

/** The clusters the ARM emulator reports as bindable, each with a directory of manifests. */
export const DEMO_CLUSTERS = ["aks-shop-prod", "aks-ml-prod", "aks-sandbox"] as const;

/** demo/estate, found upwards from this module (it runs from test/ in vitest and from dist/ in `npm start`). */
export function demoEstateDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, "demo", "estate");
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  throw new Error("demo/estate not found above " + fileURLToPath(import.meta.url));
}

export async function startDemoClusters(options: Omit<KubernetesEmulatorOptions, "objects"> = {}): Promise<Record<string, KubernetesEmulator>> {
  const out: Record<string, KubernetesEmulator> = {};
  try {
    for (const cluster of DEMO_CLUSTERS) out[cluster] = await startKubernetesEmulator({ ...options, port: undefined, objects: join(demoEstateDir(), cluster) });
  } catch (err) {
    await Promise.all(Object.values(out).map((e) => e.stop()));
    throw err;
  }
  return out;
}
