// The demo estate on one machine: real Azurite, the ARM and Kubernetes API emulators, Debian's
// Distribution registry (when installed) loaded with images the project builds itself, and the
// local Functions host wired to all of them exactly as it would be to Azure. Used by
// `vantage start` and the end-to-end tests; nothing in shared/ knows this file exists.
import { removeStaleTempDirs } from "../../shared/host/children.js";
import { randomUUID } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { createCatalog } from "../../functions/catalog.js";
import { packageRoot } from "../../shared/package-root.js";
import type { FunctionDefinition } from "../../shared/platform/functions.js";
import { freePort, startAzurite, type AzuriteHandle } from "../../shared/host/azurite.js";
import { json, readJson, withErrors } from "../../shared/platform/http.js";
import { LocalHost } from "../../shared/host/local-host.js";
import { RegistryClient } from "../../shared/registry/client.js";
import { buildImage, type BuiltImage } from "./images/builder.js";
import { demoLayerFile } from "./images/planted.js";
import { pushImage, writeOciLayout } from "./images/layout.js";
import { distributionToEventGrid } from "./registry/notifications.js";
import { parseReference } from "../../shared/registry/reference.js";
import { storageFromEnv } from "../../shared/storage/connection.js";
import { checkSettings } from "../../shared/workflows/config.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { warmUp } from "../../shared/workflows/warm-up.js";
import { handleEvent } from "../../shared/workflows/events.js";
import { onboardInstanceId } from "../../shared/workflows/instance-ids.js";
import { postureSummary } from "../../shared/workflows/posture.js";
import { SEVERITIES } from "../../shared/scanner/model.js";
import { startArmEmulator, type ArmEmulator } from "./arm/server.js";
import { DEMO_CLUSTERS, startDemoClusters } from "./kubernetes/demo.js";
import type { KubernetesEmulator } from "./kubernetes/server.js";
import { registryAvailable, startRegistry, type RegistryHandle } from "./registry/distribution.js";
import { startAcrFront, type AcrFront } from "./registry/acr-front.js";
import type { InventorySummary } from "../../shared/workflows/inventory.js";

export { packageRoot };

export const DEMO_SUBSCRIPTIONS = ["11111111-1111-4111-8111-111111111111", "22222222-2222-4222-8222-222222222222"];
export const DEMO_LOGIN_SERVER = "vantagedemo.azurecr.io";
const DEMO_REGISTRY_ID = "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/vantagedemo";

/** The Event Grid event Azure emits when the Defender for Containers plan is enabled on a subscription. */
export function planEnabledEvent(subscriptionId: string) {
  const resource = `/subscriptions/${subscriptionId}/providers/Microsoft.Security/pricings/Containers`;
  return {
    id: randomUUID(),
    topic: `/subscriptions/${subscriptionId}`,
    subject: resource,
    eventType: "Microsoft.Resources.ResourceWriteSuccess",
    eventTime: new Date().toISOString(),
    data: { operationName: "Microsoft.Security/pricings/write", resourceUri: resource, subscriptionId, status: "Succeeded" },
    dataVersion: "2",
    metadataVersion: "1",
  };
}


export interface DemoImageSpec {
  ref: string;
  architecture?: string;
  layers: { files: Record<string, string> }[];
}

export function demoImageSpecs(root = packageRoot()): DemoImageSpec[] {
  const dir = join(root, "demo", "images");
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")) as DemoImageSpec);
}

export async function buildDemoImage(spec: DemoImageSpec): Promise<BuiltImage> {
  return buildImage(
    spec.layers.map((l) => ({ files: Object.entries(l.files).map(([path, content]) => demoLayerFile(path, content)), compression: "gzip" as const })),
    { platform: { os: "linux", architecture: spec.architecture ?? "amd64" } },
  );
}

export interface DemoStackOptions {
  /** 7071 for `vantage start`; 0 for a free port. */
  port?: number;
  /** Persist Azurite under this folder (resumable host); in memory when absent. */
  dataDir?: string;
  timers?: boolean;
  /** Use the Distribution registry when installed (default), else OCI layouts. */
  registry?: boolean;
  log?: (message: string) => void;
}

export interface OnceSummary {
  subscriptions: number;
  clusters: { discovered: number; bound: number; unbindable: number; failed: number };
  snapshots: number;
  workloads: number;
  images: { scanned: number; failed: number };
  findings: Record<string, number>;
  /** Member paths spelled out across every class. */
  attackPaths: number;
  /** Attack path classes (same title, entry and target). */
  pathClasses: number;
  posture?: { controls: number; failed: number; score: number };
  /** Registries discovered, and what their inventory on onboarding listed and scanned. */
  registries?: { discovered: number; repositories: number; images: number; scanned: number; skipped: number };
  elapsedMs: number;
}

export class DemoStack {
  azurite!: AzuriteHandle;
  arm!: ArmEmulator;
  clusters: Record<string, KubernetesEmulator> = {};
  registry?: RegistryHandle;
  /** ACR's listing API over the registry's storage; the pipeline reaches the registry through it. */
  acrFront?: AcrFront;
  host!: LocalHost;
  /** What the host's functions work with (configuration, tables, repositories). */
  deps!: Dependencies;
  /** ref → manifest digest of every demo image. */
  imageDigests: Record<string, string> = {};
  private readonly log: (m: string) => void;

  constructor(private readonly options: DemoStackOptions = {}) {
    this.log = options.log ?? (() => {});
  }

  get url(): string {
    return this.host.http!.url;
  }

  async start(): Promise<void> {
    const root = packageRoot();
    // A malformed app setting stops the start before anything is started.
    checkSettings(process.env);
    try {
      // Folders left by a host that was killed are removed before anything new is made.
      const stale = await removeStaleTempDirs();
      if (stale.length) this.log(`removed ${stale.length} stale temp folder(s) of stopped hosts`);
      this.log("starting Azurite …");
      this.azurite = await startAzurite(this.options.dataDir ? { location: join(this.options.dataDir, "azurite") } : {});

      // Images first: their digests are what the clusters' pods report as imageIDs.
      const specs = demoImageSpecs(root);
      const built = await Promise.all(specs.map(async (s) => ({ spec: s, image: await buildDemoImage(s) })));
      for (const { spec, image } of built) this.imageDigests[spec.ref] = image.manifestDigest;

      const registryEndpoints: Record<string, string> = {};
      const bridge: FunctionDefinition[] = [];
      if (this.options.registry !== false && registryAvailable()) {
        // The registry notifies the host's bridge, which re-publishes as Event Grid events.
        const bridgePath = "local/registry-notifications";
        bridge.push(this.bridgeFunction(bridgePath));
        this.registry = await startRegistry({ notificationsUrl: `http://127.0.0.1:${await this.hostPort()}/${bridgePath}` });
        this.acrFront = await startAcrFront(this.registry, { loginServer: DEMO_LOGIN_SERVER });
        registryEndpoints[DEMO_LOGIN_SERVER] = this.acrFront.url;
        this.log(`registry (Distribution) on ${this.registry.host}; ACR listing front on ${this.acrFront.host}`);
      } else {
        const layouts = join(this.options.dataDir ?? join(root, ".vantage"), "oci");
        await mkdir(layouts, { recursive: true });
        for (const { spec, image } of built) {
          const ref = parseReference(spec.ref);
          await writeOciLayout(join(layouts, ref.repository), [{ image, tag: ref.tag }]);
        }
        registryEndpoints[DEMO_LOGIN_SERVER] = `oci:${layouts}`;
        this.log(`no docker-registry installed: demo images written as OCI layouts under ${layouts}`);
      }

      this.clusters = await startDemoClusters({ imageDigests: this.imageDigests, token: "vantage-arm-emulator-token" });
      const kubeEndpoints = Object.fromEntries(Object.entries(this.clusters).map(([name, e]) => [name, e.url]));
      this.arm = await startArmEmulator({ fqdnOverrides: Object.fromEntries(Object.entries(this.clusters).map(([n, e]) => [n, new URL(e.url).host])) });
      this.log(`ARM emulator on ${this.arm.endpoint}; Kubernetes API emulators for ${DEMO_CLUSTERS.join(", ")}`);

      const storage = storageFromEnv({ AzureWebJobsStorage: this.azurite.connectionString });
      const env = { ...process.env, AzureWebJobsStorage: this.azurite.connectionString };
      this.deps = createDependencies({
        storage,
        env,
        config: {
          armEndpoint: this.arm.endpoint,
          credential: this.arm.credential,
          armCa: this.arm.caCert,
          armPollIntervalMs: 50,
          armRetryDelayMs: 100,
          operator: { resourceGroup: "rg-vantage", name: "vantage-posture-operator", location: "westeurope" },
          kubeEndpoints,
          registryEndpoints,
          feedDir: join(root, "demo", "feed"),
        },
      });
      this.host = new LocalHost({
        catalog: [...createCatalog(this.deps), ...bridge],
        storage,
        taskHub: this.deps.config.taskHub,
        port: this.options.port ?? 0,
        timers: this.options.timers ?? false,
        log: this.log,
        env,
        warm: () => warmUp(this.deps, undefined, this.log),
      });
      await this.host.start();
      // Registries deliver ImagePushed to this host, whose port is known only now.
      this.deps.config.eventsUrl = `${this.url}/api/events`;
      this.log(`local Functions host on ${this.url}`);

      if (this.registry) {
        const client = new RegistryClient(this.registry.host, { plainHttp: true });
        for (const { spec, image } of built) {
          const ref = parseReference(spec.ref);
          await pushImage(client, ref.repository, ref.tag ?? "latest", image);
        }
        this.log(`pushed ${built.length} demo images`);
      }
    } catch (err) {
      await this.stop();
      throw err;
    }
  }

  private reservedPort?: number;
  /** The host's port must be known before the registry starts (its webhook target). */
  private async hostPort(): Promise<number> {
    if (this.options.port) return this.options.port;
    if (!this.reservedPort) {
      this.reservedPort = await freePort();
      this.options.port = this.reservedPort;
    }
    return this.reservedPort;
  }

  private bridgeFunction(route: string): FunctionDefinition {
    return {
      name: "localRegistryBridge",
      trigger: { type: "http", route, methods: ["POST"] },
      handler: withErrors(async (req, ctx) => {
        const events = distributionToEventGrid(await readJson(req, 4 * 1024 * 1024), { loginServer: DEMO_LOGIN_SERVER, topic: DEMO_REGISTRY_ID });
        for (const event of events) await handleEvent(this.deps, event, ctx.client, ctx.log);
        return json(200, { forwarded: events.length });
      }),
    };
  }

  /**
   * Onboards the demo subscriptions the way Azure does: the Defender plan-enable write arrives as an
   * Event Grid ResourceWriteSuccess event at POST /api/events. Then waits for the whole pipeline.
   */
  async onboardAll(timeoutMs = 300_000): Promise<void> {
    const client = this.host.engine;
    // Enabling the plan is a pricing PUT (tier Standard); its write event follows.
    for (const sub of DEMO_SUBSCRIPTIONS) {
      const id = `/subscriptions/${sub}/providers/Microsoft.Security/pricings/Containers`;
      this.arm.state.put({ id, name: "Containers", type: "Microsoft.Security/pricings", properties: { pricingTier: "Standard" } });
    }
    const events = DEMO_SUBSCRIPTIONS.map((sub) => planEnabledEvent(sub));
    const res = await fetch(`${this.url}/api/events`, { method: "POST", body: JSON.stringify(events), headers: { "content-type": "application/json", "aeg-event-type": "Notification" } });
    if (!res.ok) throw new Error(`POST /api/events answered ${res.status}: ${await res.text()}`);
    for (const sub of DEMO_SUBSCRIPTIONS) {
      const status = await client.waitForCompletion(onboardInstanceId(sub), timeoutMs);
      if (status.runtimeStatus !== "Completed") throw new Error(`onboarding ${sub} ${status.runtimeStatus}: ${status.error ?? ""}`);
    }
    await this.host.engine.idle();
  }

  /** The `vantage start --once --json` summary, read back from what the pipeline stored. */
  async summary(startedAt: number): Promise<OnceSummary> {
    const { state } = this.deps;
    const subs = (await state.subscriptions.all({ partitionKey: "subscription" })).map((r) => r.value);
    const clusters = (await state.clusters.all()).map((r) => r.value);
    const images = (await state.images.all({ partitionKey: "image" })).map((r) => r.value);
    const findings = (await state.findings.all()).map((r) => r.value);
    const paths = await state.paths.all();
    let snapshots = 0;
    let workloads = 0;
    let inventory: Omit<NonNullable<OnceSummary["registries"]>, "discovered"> | undefined;
    for (const sub of DEMO_SUBSCRIPTIONS) {
      const status = await this.host.engine.getStatus(onboardInstanceId(sub));
      const output = status?.output as { snapshot?: { snapshots?: number; workloads?: number }; inventory?: InventorySummary } | undefined;
      snapshots += output?.snapshot?.snapshots ?? 0;
      workloads += output?.snapshot?.workloads ?? 0;
      const inv = output?.inventory;
      if (inv) {
        inventory ??= { repositories: 0, images: 0, scanned: 0, skipped: 0 };
        inventory.repositories += inv.repositories;
        inventory.images += inv.images;
        inventory.scanned += inv.scanned;
        inventory.skipped += inv.skipped;
      }
    }
    const registries = (await state.registries.all({ partitionKey: "registry" })).length;
    const scanFailures = images.filter((i) => i.error).length;
    const posture = await postureSummary(this.deps);
    const severity = Object.fromEntries(SEVERITIES.map((s) => [s, findings.filter((f) => f.severity === s).length]));
    return {
      subscriptions: subs.filter((s) => s.state === "onboarded").length,
      clusters: {
        discovered: clusters.length,
        bound: clusters.filter((c) => c.state === "bound").length,
        unbindable: clusters.filter((c) => c.state === "unbindable").length,
        failed: clusters.filter((c) => c.state === "failed").length,
      },
      snapshots,
      workloads,
      images: { scanned: images.filter((i) => i.sbom).length, failed: scanFailures },
      findings: { ...severity, knownExploited: findings.filter((f) => f.exploitability.knownExploited).length },
      attackPaths: paths.reduce((n, r) => n + (r.value.members?.length ?? 1), 0),
      pathClasses: paths.length,
      ...(posture ? { posture } : {}),
      ...(inventory ? { registries: { discovered: registries, ...inventory } } : {}),
      elapsedMs: Date.now() - startedAt,
    };
  }

  async stop(): Promise<void> {
    await this.host?.stop().catch(() => {});
    await Promise.all(Object.values(this.clusters).map((c) => c.stop().catch(() => {})));
    await this.arm?.stop().catch(() => {});
    await this.acrFront?.stop().catch(() => {});
    await this.registry?.stop().catch(() => {});
    await this.azurite?.stop().catch(() => {});
  }
}
