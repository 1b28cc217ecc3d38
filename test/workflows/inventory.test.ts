// The registry inventory against Debian's real Distribution registry, listed two ways: through the
// demo's ACR-catalog front (ACR's data-plane listing built from the registry's own storage) and
// directly through the distribution API. The workflow runs in the real durable-functions replay
// engine: window, dedupe by digest, known SBOMs left alone, bounded batches in chunks, progress,
// resumption after a kill, and no layer fetched again for unchanged digests.
import { utimes } from "node:fs/promises";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildDemoImage, demoImageSpecs } from "../../demo/runtime/stack.js";
import { buildImage, pushImage, writeOciLayout } from "../../demo/runtime/images/index.js";
import { startAcrFront, type AcrFront } from "../../demo/runtime/registry/acr-front.js";
import { registryAvailable, startRegistry, type RegistryHandle } from "../../demo/runtime/registry/distribution.js";
import { DurableEngine } from "../../shared/host/durable/engine.js";
import { InstanceStore } from "../../shared/host/durable/store.js";
import type { ActivityHandler } from "../../shared/platform/orchestration.js";
import { RegistryClient } from "../../shared/registry/client.js";
import { inventoryRegistry } from "../../shared/registry/inventory.js";
import { inventoryOciLayouts } from "../../shared/registry/oci-inventory.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { inventoryActivities, inventoryRegistries, inventoryScanChunk, type InventorySummary } from "../../shared/workflows/inventory.js";
import { ACTIVITIES, ORCHESTRATIONS } from "../../shared/workflows/names.js";
import { CONTAINERS } from "../../shared/workflows/state.js";
import { makeTempDir } from "../../shared/host/children.js";
import { testStorage, uniqueName } from "../support/storage.js";

const SUB = "11111111-1111-4111-8111-111111111111";
const HOST = "vantagedemo.azurecr.io";
const REGISTRY_ID = `/subscriptions/${SUB}/resourcegroups/rg-shop/providers/microsoft.containerregistry/registries/vantagedemo`;
const DAY = 86_400_000;
const FEED = join(import.meta.dirname, "../../demo/feed");

let reg: RegistryHandle;
let front: AcrFront;
const digests = { report: "", billing: "", old: "", known: "" };

async function age(repository: string, tag: string, digest: string, days: number): Promise<void> {
  const repo = join(reg.root, "docker/registry/v2/repositories", repository, "_manifests");
  const t = new Date(Date.now() - days * DAY);
  await utimes(join(repo, "revisions/sha256", digest.slice(7), "link"), t, t);
  await utimes(join(repo, "tags", tag, "current/link"), t, t);
}

async function seededDeps(prefix: string): Promise<Dependencies> {
  const deps = createDependencies({
    storage: testStorage(),
    config: { tablePrefix: uniqueName(prefix), taskHub: uniqueName(prefix), registryEndpoints: { [HOST]: front.url }, feedDir: FEED },
  });
  await deps.state.subscriptions.upsert("subscription", SUB, { subscriptionId: SUB, state: "onboarded" });
  await deps.state.registries.upsert("registry", HOST, { id: REGISTRY_ID, name: "vantagedemo", subscriptionId: SUB, loginServer: HOST });
  // Scanned before (say, because it runs): its SBOM is stored, so the inventory must not pull it again.
  const sbom = await deps.state.blobs.putJson(CONTAINERS.sboms, "images", { artifact: { digest: digests.known }, packages: [] });
  await deps.state.images.upsert("image", digests.known, { digest: digests.known, refs: [`${HOST}/tools/known`], sbom, counts: { critical: 0, high: 0, medium: 0, low: 0, unknown: 0, knownExploited: 0 } });
  return deps;
}

function engineFor(deps: Dependencies, wrap: (name: string, h: ActivityHandler) => ActivityHandler = (_n, h) => h, store = new InstanceStore(testStorage(), uniqueName("inv"))) {
  const activities = Object.fromEntries(Object.entries(inventoryActivities(deps)).map(([name, h]) => [name, wrap(name, h as ActivityHandler)]));
  return { store, engine: new DurableEngine({ store, orchestrations: { [ORCHESTRATIONS.inventoryRegistries]: inventoryRegistries, [ORCHESTRATIONS.inventoryScanChunk]: inventoryScanChunk }, activities }) };
}

describe.runIf(registryAvailable())("registry inventory", () => {
  beforeAll(async () => {
    reg = await startRegistry();
    front = await startAcrFront(reg, { loginServer: HOST });
    const client = new RegistryClient(reg.host);
    const specs = demoImageSpecs();
    const report = await buildDemoImage(specs.find((s) => s.ref.includes("batch/report-builder"))!);
    const billing = await buildDemoImage(specs.find((s) => s.ref.includes("finance/billing-export"))!);
    digests.report = await pushImage(client, "batch/report-builder", "0.4.1", report);
    await pushImage(client, "batch/report-builder", "latest", report);
    digests.billing = await pushImage(client, "finance/billing-export", "2.3.0", billing);
    const tiny = (text: string) => buildImage([{ files: [{ path: "etc/os-release", content: "ID=alpine\nVERSION_ID=3.19.1\n" }, { path: "etc/motd", content: text }] }]);
    digests.old = await pushImage(client, "legacy/old", "1.0", await tiny("pushed long ago"));
    digests.known = await pushImage(client, "tools/known", "1", await tiny("already scanned"));
    await age("legacy/old", "1.0", digests.old, 200);
  }, 60_000);
  afterAll(async () => {
    await front?.stop();
    await reg?.stop();
  });

  it("serves ACR's listing shapes from the registry's storage, paged by Link", async () => {
    const page = await fetch(`${front.url}/acr/v1/_catalog?n=2`);
    expect(await page.json()).toEqual({ repositories: ["batch/report-builder", "finance/billing-export"] });
    expect(page.headers.get("link")).toBe('</acr/v1/_catalog?last=finance%2Fbilling-export&n=2&orderby=>; rel="next"');
    const res = await fetch(`${front.url}/acr/v1/batch/report-builder/_manifests?orderby=timedesc`);
    const body = (await res.json()) as { registry: string; imageName: string; manifests: Record<string, unknown>[] };
    expect(body).toMatchObject({ registry: HOST, imageName: "batch/report-builder" });
    expect(body.manifests).toHaveLength(1);
    expect(body.manifests[0]).toMatchObject({
      digest: digests.report,
      tags: ["0.4.1", "latest"],
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      configMediaType: "application/vnd.oci.image.config.v1+json",
      architecture: "amd64",
      os: "linux",
      changeableAttributes: { deleteEnabled: true, writeEnabled: true, readEnabled: true, listEnabled: true },
    });
    expect(body.manifests[0]!.imageSize).toBeGreaterThan(100);
    expect(String(body.manifests[0]!.lastUpdateTime)).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{7}Z$/);
    const old = (await (await fetch(`${front.url}/acr/v1/legacy/old/_manifests`)).json()) as typeof body;
    expect(Date.now() - Date.parse(String(old.manifests[0]!.lastUpdateTime))).toBeGreaterThan(199 * DAY);
    const missing = await fetch(`${front.url}/acr/v1/nope/_manifests`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { errors: { code: string }[] }).errors[0]!.code).toBe("NAME_UNKNOWN");
  });

  it("lists the window through ACR's API and every tag through the distribution API, one entry per digest", async () => {
    const since = Date.now() - 90 * DAY;
    const before = front.stats.listingRequests;
    const acr = await inventoryRegistry(new RegistryClient(front.host), since, { pageSize: 1, maxRepositories: 100, maxTags: 100 });
    expect(acr.mode).toBe("acr");
    expect(front.stats.listingRequests - before).toBeGreaterThanOrEqual(4 + 4); // catalog pages of one + one manifests page per repository
    expect(acr.repositories).toBe(4);
    expect(acr.images.map((i) => i.digest).sort()).toEqual([digests.report, digests.billing, digests.known].sort());
    expect(acr.images.find((i) => i.digest === digests.report)!.tags).toEqual(["batch/report-builder:0.4.1", "batch/report-builder:latest"]);
    expect(acr.images.every((i) => i.updatedAt)).toBe(true);

    const v2 = await inventoryRegistry(new RegistryClient(reg.host), since, { pageSize: 1, maxRepositories: 100, maxTags: 100 });
    expect(v2).toMatchObject({ mode: "v2", repositories: 4, tags: 5, truncated: false });
    // No push time in the distribution API: every tagged image is in scope.
    expect(v2.images.map((i) => i.digest).sort()).toEqual([digests.report, digests.billing, digests.old, digests.known].sort());
    expect(v2.images.some((i) => i.updatedAt)).toBe(false);

    const capped = await inventoryRegistry(new RegistryClient(reg.host), since, { pageSize: 100, maxRepositories: 2, maxTags: 100 });
    expect(capped).toMatchObject({ repositories: 2, truncated: true });
  });

  it("scans the in-window images not scanned yet, once per digest, with progress; a second run fetches no blob", async () => {
    const deps = await seededDeps("inv");
    const { engine } = engineFor(deps);
    const blobsBefore = front.stats.blobBytes;
    await engine.startNew(ORCHESTRATIONS.inventoryRegistries, { instanceId: "inventory-1", input: { subscriptionId: SUB, batchSize: 1, chunkBatches: 1 } });
    const first = await engine.waitForCompletion("inventory-1", 60_000);
    expect(first.runtimeStatus).toBe("Completed");
    const out = first.output as InventorySummary;
    expect(out).toMatchObject({ registries: 1, repositories: 4, images: 3, skipped: 1, scanned: 2, failed: 0, failedRegistries: [] });
    expect(first.customStatus).toMatchObject({ step: "done", toScan: 2, scanned: 2, skipped: 1, images: 3 });
    expect(front.stats.blobBytes).toBeGreaterThan(blobsBefore);

    const report = (await deps.state.images.get("image", digests.report))!.value;
    expect(report.refs).toEqual([`${HOST}/batch/report-builder:0.4.1`, `${HOST}/batch/report-builder:latest`]);
    expect(report.pushedAt && Date.now() - Date.parse(report.pushedAt)).toBeLessThan(DAY);
    expect(report.lastSeenRunningAt).toBeUndefined();
    expect(report.counts.critical).toBeGreaterThan(0);
    const findings = await deps.state.findings.all({ partitionKey: digests.billing });
    expect(findings.map((f) => f.value.id)).toEqual(expect.arrayContaining(["CVE-2024-45492"]));
    expect(await deps.state.images.get("image", digests.old)).toBeUndefined();
    // Only recorded, never pulled: the known digest gained its registry name and push time.
    const known = (await deps.state.images.get("image", digests.known))!.value;
    expect(known.refs).toContain(`${HOST}/tools/known:1`);
    expect(known.packages).toBeUndefined();

    const bytes = front.stats.blobBytes;
    const requests = front.stats.blobRequests;
    await engine.startNew(ORCHESTRATIONS.inventoryRegistries, { instanceId: "inventory-2", input: { subscriptionId: SUB } });
    const second = (await engine.waitForCompletion("inventory-2", 60_000)).output as InventorySummary;
    expect(second).toMatchObject({ images: 3, skipped: 3, scanned: 0, failed: 0 });
    expect(front.stats.blobBytes).toBe(bytes);
    expect(front.stats.blobRequests).toBe(requests);
  });

  it("resumes a killed run: finished chunks are not redone", async () => {
    const deps = await seededDeps("invk");
    const runs: Record<number, number> = {};
    let hang = true;
    const wrap = (name: string, h: ActivityHandler): ActivityHandler =>
      name !== ACTIVITIES.inventoryScanImage
        ? h
        : async (input: { index: number }, ctx) => {
            runs[input.index] = (runs[input.index] ?? 0) + 1;
            if (input.index === 1 && hang) await new Promise(() => {}); // the host dies here
            return h(input, ctx);
          };
    const { engine, store } = engineFor(deps, wrap);
    await engine.startNew(ORCHESTRATIONS.inventoryRegistries, { instanceId: "inventory-k", input: { subscriptionId: SUB, batchSize: 1, chunkBatches: 1 } });
    for (let i = 0; i < 400 && !runs[1]; i++) await new Promise((r) => setTimeout(r, 25));
    expect(runs).toEqual({ 0: 1, 1: 1 });
    engine.stop();

    hang = false;
    const second = engineFor(deps, wrap, store).engine;
    expect(await second.resumeAll()).toBeGreaterThanOrEqual(1);
    const done = await second.waitForCompletion("inventory-k", 60_000);
    expect(done.output).toMatchObject({ scanned: 2, failed: 0 });
    expect(runs).toEqual({ 0: 1, 1: 2 });
  });

  it("refuses to list a registry no onboarded subscription owns", async () => {
    const deps = await seededDeps("invx");
    const list = inventoryActivities(deps)[ACTIVITIES.inventoryListRegistry] as (i: { loginServer: string }) => Promise<{ ok: boolean; error?: string }>;
    expect(await list({ loginServer: "evil.example.com" })).toMatchObject({ ok: false, error: "not a discovered registry" });
    await deps.state.subscriptions.upsert("subscription", SUB, { subscriptionId: SUB, state: "offboarded" });
    const registries = inventoryActivities(deps)[ACTIVITIES.inventoryListRegistries] as (i: { subscriptionId: string }) => Promise<string[]>;
    expect(await registries({ subscriptionId: SUB })).toEqual([]);
  });
});

describe("OCI layout registries", () => {
  it("lists each layout's tagged manifests, deduplicated by digest", async () => {
    const dir = await makeTempDir("oci-inventory");
    const a = await buildImage([{ files: [{ path: "etc/motd", content: "a" }] }]);
    const b = await buildImage([{ files: [{ path: "etc/motd", content: "b" }] }]);
    await writeOciLayout(join(dir, "shop/cart"), [{ image: a, tag: "1" }, { image: a, tag: "latest" }, { image: b }]);
    await writeOciLayout(join(dir, "tools/agent"), [{ image: b, tag: "2" }]);
    const inv = await inventoryOciLayouts(dir);
    expect(inv).toMatchObject({ repositories: 2, tags: 3, truncated: false });
    expect(inv.images).toEqual(
      [
        { digest: a.manifestDigest, tags: ["shop/cart:1", "shop/cart:latest"] },
        { digest: b.manifestDigest, tags: ["tools/agent:2"] },
      ].sort((x, y) => (x.digest < y.digest ? -1 : 1)),
    );
    await expect(inventoryOciLayouts(join(dir, "missing"))).rejects.toThrow(/missing/);
  });
});
