// The real local host in a process of its own, for the hostile-input suite (host-process.ts starts
// it). It serves the product catalog (functions/catalog.ts) with LocalHost from the compiled dist/
// — the same code `npm start` runs — wired to the ARM emulator, to a registry whose images are read
// from OCI layouts under VANTAGE_HOSTILE_LAYOUTS, and to a seeded synthetic graph, so every hostile
// input enters through a real entry point (Event Grid delivery, POST /api/query, headers).
//
// Protocol: one JSON line on stdout when ready ({ port, pid, registry, registryId, subscription });
// on SIGTERM it stops and prints one more line with its peak RSS ({ maxRssKb }).
import { join } from "node:path";
import { monitorEventLoopDelay } from "node:perf_hooks";

const root = process.env.VANTAGE_ROOT;
const dist = (p) => import(join(root, "dist", p));

const [{ createCatalog }, { LocalHost }, { storageFromEnv }, { createDependencies }, { startArmEmulator }, { CONTAINERS, clusterBlobName }, { json, withErrors }, { warmUp }] = await Promise.all([
  dist("functions/catalog.js"),
  dist("shared/host/local-host.js"),
  dist("shared/storage/connection.js"),
  dist("shared/workflows/dependencies.js"),
  dist("demo/runtime/arm/server.js"),
  dist("shared/workflows/state.js"),
  dist("shared/platform/http.js"),
  dist("shared/workflows/warm-up.js"),
]);

const SUB = "11111111-1111-4111-8111-111111111111";
const REGISTRY = "hostile.azurecr.io";
const REGISTRY_ID = `/subscriptions/${SUB}/resourceGroups/rg-hostile/providers/Microsoft.ContainerRegistry/registries/hostile`;
const CLUSTER_ID = `/subscriptions/${SUB}/resourcegroups/rg-hostile/providers/microsoft.containerservice/managedclusters/hostile`;
const tag = process.env.VANTAGE_HOSTILE_PREFIX;

const arm = await startArmEmulator();
const storage = storageFromEnv({ AzureWebJobsStorage: process.env.AzureWebJobsStorage });
const deps = createDependencies({
  storage,
  config: {
    tablePrefix: tag,
    taskHub: tag,
    armEndpoint: arm.endpoint,
    credential: arm.credential,
    armCa: arm.caCert,
    registryEndpoints: { [REGISTRY]: `oci:${process.env.VANTAGE_HOSTILE_LAYOUTS}` },
    feedDir: join(root, "demo", "feed"),
  },
});

// The registry as onboarding records it: only registries known this way are ever read.
await deps.state.registries.upsert("registry", REGISTRY, { id: REGISTRY_ID, name: "hostile", subscriptionId: SUB, loginServer: REGISTRY });

// A synthetic graph of pods (the explorer's pathological queries need rows to multiply).
const pods = Number(process.env.VANTAGE_HOSTILE_PODS ?? "1500");
const report = {
  graph: { nodes: Array.from({ length: pods }, (_, i) => ({ id: `pod:ns/p${i}`, kind: "pod", name: `p${i}`, namespace: "ns", properties: { i } })), edges: [] },
  insights: [],
  paths: [],
  pathClasses: [],
  chokePoints: [],
};
const blob = await deps.state.blobs.putJson(CONTAINERS.graphs, clusterBlobName(CLUSTER_ID), report);
await deps.state.graphs.upsert("graph", CLUSTER_ID, {
  clusterId: CLUSTER_ID, clusterName: "hostile", builtAt: new Date().toISOString(), blob,
  nodes: pods, edges: 0, paths: 0, classes: 0, insights: [], incomplete: false, truncated: false, imageDigests: [], exposedImageDigests: [],
});

// The one route the product does not have: an orchestration's status, so the suite can tell when
// the work a delivery started has ended and how.
const instanceStatus = {
  name: "hostileInstanceStatus",
  trigger: { type: "http", route: "api/test/instances/{id}", methods: ["GET"], authLevel: "anonymous" },
  handler: withErrors(async (req, ctx) => json(200, (await ctx.client.getStatus(req.params.id)) ?? null)),
};

// How long the event loop was held since the last call (and resets): what /api/health polls can
// only sample, measured here exactly.
const loop = monitorEventLoopDelay({ resolution: 10 });
loop.enable();
const loopDelay = {
  name: "hostileLoopDelay",
  trigger: { type: "http", route: "api/test/loop-delay", methods: ["GET"], authLevel: "anonymous" },
  handler: withErrors(async () => {
    const answer = { maxMs: Math.round(loop.max / 1e6), p99Ms: Math.round(loop.percentile(99) / 1e6) };
    loop.reset();
    return json(200, answer);
  }),
};

const log = (m) => process.stderr.write(`[host] ${m}\n`);
// It warms up before it is ready, as `npm start` does (VANTAGE_HOSTILE_NO_WARM=1 skips that, to see the difference).
const host = new LocalHost({ catalog: [instanceStatus, loopDelay, ...createCatalog(deps)], storage, taskHub: deps.config.taskHub, port: 0, log, warm: process.env.VANTAGE_HOSTILE_NO_WARM ? undefined : () => warmUp(deps, undefined, log) });
await host.start();
process.stdout.write(`${JSON.stringify({ port: host.http.port, pid: process.pid, registry: REGISTRY, registryId: REGISTRY_ID, subscription: SUB })}\n`);

process.once("SIGTERM", async () => {
  try {
    await host.stop();
    await arm.stop();
  } finally {
    process.stdout.write(`${JSON.stringify({ maxRssKb: process.resourceUsage().maxRSS })}\n`);
    process.exit(0);
  }
});
// The suite holds our stdin: when it is gone (crashed, killed), so are we.
process.stdin.on("end", () => process.exit(1));
process.stdin.resume();
