// Registry inventory at 10,000 tags: Debian's Distribution registry behind the demo's ACR-listing
// front (which counts every blob byte it serves), 100 repositories of 100 tags over 50 distinct
// images, inventoried twice through the real durable engine on Azurite. The first run scans each
// distinct digest once; the second finds nothing changed and must fetch 0 layer bytes (goal). The
// listing alone (ACR API, and the distribution API with a manifest HEAD per tag) is timed beside it.
// VANTAGE_BENCH_SCALE scales tags, repositories and distinct images.
import { join } from "node:path";
import { buildImage, pushImage, type BuiltImage } from "../demo/runtime/images/index.js";
import { startAcrFront } from "../demo/runtime/registry/acr-front.js";
import { REGISTRY_BINARY, registryAvailable, startRegistry } from "../demo/runtime/registry/distribution.js";
import { packageRoot } from "../demo/runtime/stack.js";
import { startAzurite } from "../shared/host/azurite.js";
import { DurableEngine } from "../shared/host/durable/engine.js";
import { InstanceStore } from "../shared/host/durable/store.js";
import { RegistryClient } from "../shared/registry/client.js";
import { inventoryRegistry } from "../shared/registry/inventory.js";
import { storageFromEnv } from "../shared/storage/connection.js";
import { createDependencies } from "../shared/workflows/dependencies.js";
import { inventoryActivities, inventoryRegistries, inventoryScanChunk, type InventorySummary } from "../shared/workflows/inventory.js";
import { ORCHESTRATIONS } from "../shared/workflows/names.js";
import { prng } from "./prng.js";
import { benchScale, ratio, type BenchResult } from "./types.js";

const LOGIN = "benchinventory.azurecr.io";
const SUB = "33333333-3333-4333-8333-333333333333";

async function pool<T>(items: T[], n: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: n }, async () => {
    for (let i = next++; i < items.length; i = next++) await fn(items[i]!);
  }));
}

/** Incompressible bytes, the same every run: the shared base layer weighs what it says. */
function noise(n: number): Buffer {
  const next = prng(12);
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}

const seconds = (t: bigint) => Math.round((Number(process.hrtime.bigint() - t) / 1e9) * 100) / 100;

export async function run(): Promise<BenchResult[]> {
  if (!registryAvailable()) throw new Error(`inventory bench needs Distribution's registry at ${REGISTRY_BINARY}: apt-get install -y docker-registry`);
  const scale = benchScale();
  const repositories = Math.max(5, Math.round(100 * scale));
  const perRepo = 100;
  const tags = repositories * perRepo;
  const distinct = Math.max(5, Math.round(50 * scale));

  const reg = await startRegistry();
  const front = await startAcrFront(reg, { loginServer: LOGIN });
  const azurite = await startAzurite();
  try {
    // One shared base layer (a real-shaped Alpine package database) and a small layer of its own per image.
    const apk = "C:Q1abc=\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\n\nC:Q1def=\nP:libexpat\nV:2.5.0-r2\nA:x86_64\no:expat\n\n";
    const base = { files: [{ path: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.19.1\n" }, { path: "lib/apk/db/installed", content: apk }, { path: "usr/lib/libbench.so", content: noise(1024 * 1024) }] };
    const images: BuiltImage[] = [];
    for (let i = 0; i < distinct; i++) images.push(await buildImage([base, { files: [{ path: `srv/app-${i}/VERSION`, content: `${i}\n` }] }]));
    const client = new RegistryClient(reg.host);
    const t0 = process.hrtime.bigint();
    await pool([...Array(repositories).keys()], 8, async (r) => {
      const image = images[r % distinct]!;
      const repository = `team-${String(r).padStart(3, "0")}/service`;
      await pushImage(client, repository, "v0", image);
      for (let j = 1; j < perRepo; j++) await client.pushManifest(repository, `v${j}`, image.manifestBytes, image.mediaType);
    });
    const pushSeconds = seconds(t0);

    // The listings alone, as a baseline for the orchestrated runs.
    const since = Date.now() - 90 * 86_400_000;
    await inventoryRegistry(new RegistryClient(front.host), since); // warm-up: the timed listing below starts from warm caches, like the re-run
    let t = process.hrtime.bigint();
    const acr = await inventoryRegistry(new RegistryClient(front.host), since);
    const acrSeconds = seconds(t);
    t = process.hrtime.bigint();
    const v2 = await inventoryRegistry(new RegistryClient(reg.host), since);
    const v2Seconds = seconds(t);
    if (acr.tags !== tags || acr.images.length !== distinct || v2.images.length !== distinct) {
      throw new Error(`listing disagrees: ${acr.tags} tags / ${acr.images.length} images (ACR), ${v2.images.length} (v2); expected ${tags} / ${distinct}`);
    }

    const storage = storageFromEnv({ AzureWebJobsStorage: azurite.connectionString });
    const deps = createDependencies({ storage, config: { tablePrefix: "benchinv", taskHub: "BenchInventory", registryEndpoints: { [LOGIN]: front.url }, feedDir: join(packageRoot(), "demo", "feed") } });
    await deps.state.subscriptions.upsert("subscription", SUB, { subscriptionId: SUB, state: "onboarded" });
    await deps.state.registries.upsert("registry", LOGIN, { id: `/subscriptions/${SUB}/resourcegroups/rg/providers/microsoft.containerregistry/registries/benchinventory`, name: "benchinventory", subscriptionId: SUB, loginServer: LOGIN });
    const engine = new DurableEngine({
      store: new InstanceStore(storage, "BenchInventory"),
      orchestrations: { [ORCHESTRATIONS.inventoryRegistries]: inventoryRegistries, [ORCHESTRATIONS.inventoryScanChunk]: inventoryScanChunk },
      activities: inventoryActivities(deps),
    });
    const inventory = async (id: string) => {
      const bytes = front.stats.blobBytes;
      const blobs = front.stats.blobRequests;
      const start = process.hrtime.bigint();
      await engine.startNew(ORCHESTRATIONS.inventoryRegistries, { instanceId: id, input: { subscriptionId: SUB } });
      const s = await engine.waitForCompletion(id, 30 * 60_000);
      if (s.runtimeStatus !== "Completed") throw new Error(`inventory ${id} ${s.runtimeStatus}: ${s.error ?? ""}`);
      return { out: s.output as InventorySummary, seconds: seconds(start), bytes: front.stats.blobBytes - bytes, blobs: front.stats.blobRequests - blobs };
    };
    const first = await inventory("bench-inventory-1");
    const second = await inventory("bench-inventory-2");
    engine.stop();
    const shape = `${tags} tags in ${repositories} repositories, ${distinct} distinct digests (pushed in ${pushSeconds} s)`;
    return [
      {
        name: `registry inventory, unchanged digests: layer bytes re-fetched (${tags} tags)`,
        value: second.bytes,
        unit: "bytes",
        baseline: first.bytes,
        ratio: ratio(second.bytes, first.bytes),
        note: `goal 0; ${shape}; blob bytes the registry served, first run ${first.bytes} (${first.blobs} blob GETs, ${first.out.scanned} scanned) vs second ${second.bytes} (${second.blobs} GETs, ${second.out.skipped} skipped, ${second.out.scanned} scanned)`,
      },
      {
        name: `registry inventory, unchanged re-run wall time (s; baseline bare ACR listing)`,
        value: second.seconds,
        unit: "s",
        baseline: acrSeconds,
        ratio: ratio(second.seconds, acrSeconds),
        note: `durable run (list, plan, nothing to scan) vs inventoryRegistry() alone; first run ${first.seconds} s scanning ${first.out.scanned} images; distribution-API listing (${tags} manifest HEADs) ${v2Seconds} s`,
      },
    ];
  } finally {
    await front.stop().catch(() => {});
    await reg.stop().catch(() => {});
    await azurite.stop().catch(() => {});
  }
}
