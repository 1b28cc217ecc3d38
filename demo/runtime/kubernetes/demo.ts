// The bundled demo estate (demo/estate/<cluster>/*.yaml), one emulated API server per cluster.
import { join } from "node:path";
import { packageRoot } from "../../../shared/package-root.js";
import { startKubernetesEmulator, type KubernetesEmulator, type KubernetesEmulatorOptions } from "./server.js";

/** The clusters the ARM emulator reports as bindable, each with a directory of manifests. */
export const DEMO_CLUSTERS = ["aks-shop-prod", "aks-ml-prod", "aks-sandbox"] as const;

/** demo/estate in the package (it runs from test/ in vitest and from dist/ in `npm start`). */
export function demoEstateDir(): string {
  return join(packageRoot(), "demo", "estate");
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
