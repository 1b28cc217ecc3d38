// The whole pipeline on the demo estate, through the local host: onboarding with ARM faults on,
// snapshots, scans of running and pushed images via the real registry's webhooks, graphs, and the
// hygiene and idempotency guarantees users rely on.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gunzipSync } from "node:zlib";
import { DemoStack, DEMO_SUBSCRIPTIONS, buildDemoImage, demoImageSpecs } from "../../demo/runtime/stack.js";
import { RegistryClient } from "../../shared/registry/client.js";
import { pushImage } from "../../demo/runtime/images/layout.js";
import { startOnce } from "../../shared/workflows/events.js";
import { onboardInstanceId } from "../../shared/workflows/instance-ids.js";
import { ORCHESTRATIONS } from "../../shared/workflows/names.js";
import { plantedEd25519Pem } from "../../demo/runtime/images/planted.js";
import { registryAvailable } from "../../demo/runtime/registry/distribution.js";
import { buildFeedIndex, readFeedDir } from "../../shared/scanner/feed/index.js";
import { parseAccessMap } from "../../shared/workflows/access.js";

let stack: DemoStack;
const MARKER = "VANTAGE-SECRET-MARKER";

/** "table/partition/row" → ETag of every entity in `tables` (Azurite gives every write a new ETag). */
async function entityEtags(tables: string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (const table of tables) {
    for await (const e of stack.deps.storage.tableClient(table).listEntities()) out.set(`${table}/${e.partitionKey}/${e.rowKey}`, String(e.etag));
  }
  return out;
}

async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  if (!registryAvailable()) throw new Error("docker-registry is not installed: run `npm test` (its pretest installs it) or apt-get install -y docker-registry");
  stack = new DemoStack({ port: 0 });
  await stack.start();
}, 120_000);

afterAll(async () => stack?.stop());

describe("demo estate end to end", () => {
  it("onboards through 429/503 and records a permanent 403 on one cluster without blocking the others", async () => {
    stack.arm.faults.set("ManagedClusters_List", { status: 429, retryAfterSeconds: 0, times: 2 });
    stack.arm.faults.set("RoleAssignments_Create", { status: 503, times: 1 });
    stack.arm.faults.set("RoleAssignments_Create", { status: 403, code: "AuthorizationFailed", message: "no write on aks-sandbox", match: "aks-sandbox" });
    await stack.onboardAll();
    const summary = await stack.summary(Date.now());
    expect(summary.subscriptions).toBe(2);
    expect(summary.clusters).toEqual({ discovered: 6, bound: 2, unbindable: 3, failed: 1 });
    const clusters = (await stack.deps.state.clusters.all()).map((r) => r.value);
    const sandbox = clusters.find((c) => c.name === "aks-sandbox")!;
    expect(sandbox.state).toBe("failed");
    expect(sandbox.errorCode).toBe("AuthorizationFailed");
    for (const name of ["aks-legacy", "aks-dev", "aks-dev-rbac-off"]) {
      const c = clusters.find((x) => x.name === name)!;
      expect(c.state).toBe("unbindable");
      expect(c.reason).toBeTruthy();
      expect(c.remediation).toBeTruthy();
    }
  });

  it("binds the failed cluster on a re-run without duplicating role assignments", async () => {
    stack.arm.faults.clear();
    const sub = DEMO_SUBSCRIPTIONS[1];
    const before = stack.arm.calls.filter((c) => c.operationId === "RoleAssignments_Create" && c.status === 201).length;
    await startOnce(stack.host.engine, ORCHESTRATIONS.onboardSubscription, onboardInstanceId(sub), { subscriptionId: sub });
    const status = await stack.host.engine.waitForCompletion(onboardInstanceId(sub), 120_000);
    expect(status.runtimeStatus).toBe("Completed");
    const sandbox = (await stack.deps.state.clusters.all()).map((r) => r.value).find((c) => c.name === "aks-sandbox")!;
    expect(sandbox.state).toBe("bound");
    const created = stack.arm.calls.filter((c) => c.operationId === "RoleAssignments_Create" && c.status === 201).length - before;
    // Only the sandbox's cluster-scope assignment is new; the subscription-scope one already existed (409).
    expect(created).toBe(1);
    expect(stack.arm.calls.some((c) => c.operationId === "RoleAssignments_Create" && c.status === 409)).toBe(true);
  });

  it("snapshots bound clusters, scans the images they run and finds the demo's known-exploited RCE", async () => {
    const images = (await stack.deps.state.images.all({ partitionKey: "image" })).map((r) => r.value);
    expect(images.length).toBe(9); // the 7 running images and the 2 only the registry holds
    const storefront = images.find((i) => i.refs.some((r) => r.includes("shop/storefront")))!;
    expect(storefront.counts.critical).toBeGreaterThan(0);
    expect(storefront.counts.knownExploited).toBeGreaterThan(0);
    const catalog = images.find((i) => i.refs.some((r) => r.includes("shop/catalog")))!;
    expect(catalog.counts).toMatchObject({ critical: 0, high: 0, medium: 0, low: 0 });
    const kev = (await stack.deps.state.findings.all()).map((r) => r.value).filter((f) => f.exploitability.knownExploited);
    expect(kev.every((f) => f.exploitability.remoteCodeExecution || f.severity === "critical" || f.severity === "high")).toBe(true);
  });

  it("assesses images pushed before onboarding that no cluster runs, through the registry inventory", async () => {
    // Their push events reached the host before onboarding and were ignored by design (unknown registry).
    const images = (await stack.deps.state.images.all({ partitionKey: "image" })).map((r) => r.value);
    for (const repo of ["batch/report-builder", "finance/billing-export"]) {
      const image = images.find((i) => i.refs.some((r) => r.includes(repo)));
      expect(image, repo).toBeDefined();
      expect(image!.lastSeenRunningAt, repo).toBeUndefined();
      expect(image!.counts.critical, repo).toBeGreaterThan(0);
      expect((await stack.deps.state.findings.all({ partitionKey: image!.digest })).length, repo).toBeGreaterThan(0);
    }
    const summary = await stack.summary(Date.now());
    expect(summary.registries).toMatchObject({ discovered: 1, images: 9, scanned: 2, skipped: 7 });
  });

  it("never stores Secret values anywhere — nor the key planted in the ledger image", async () => {
    const { storage } = stack.deps;
    const b64 = Buffer.from(MARKER).toString("base64");
    // The planted key's body, cut into pieces: no stored text may hold any 16 characters of it.
    const planted = plantedEd25519Pem("srv/ledger/deploy/signing-key.pem").split("\n").filter((l) => l && !l.startsWith("-----")).join("");
    const pieces = planted.match(/.{16}/g)!.slice(0, -1);
    const hasPlanted = (text: string) => pieces.some((p) => text.includes(p));
    for await (const container of storage.blobService.listContainers()) {
      const client = storage.blobService.getContainerClient(container.name);
      for await (const blob of client.listBlobsFlat()) {
        let body = await client.getBlockBlobClient(blob.name).downloadToBuffer();
        if (body[0] === 0x1f && body[1] === 0x8b) body = gunzipSync(body);
        const text = body.toString("utf8");
        expect(text.includes(MARKER), `${container.name}/${blob.name}`).toBe(false);
        expect(text.includes(b64), `${container.name}/${blob.name}`).toBe(false);
        expect(hasPlanted(text), `${container.name}/${blob.name}`).toBe(false);
      }
    }
    for await (const table of storage.tableService.listTables()) {
      for await (const entity of storage.tableClient(table.name!).listEntities()) {
        const text = JSON.stringify(entity);
        expect(text.includes(MARKER), table.name).toBe(false);
        expect(text.includes(b64), table.name).toBe(false);
        expect(hasPlanted(text), table.name).toBe(false);
      }
    }
  });

  it("costs zero Table writes when nothing changed", async () => {
    const sub = DEMO_SUBSCRIPTIONS[0];
    // Observed in storage, not taken from the workflow's own report: every entity the snapshot step
    // writes (inventory, snapshot metadata, cluster rows) keeps its ETag, and none appears or vanishes.
    const tables = ["Inventory", "Snapshots", "Clusters"].map((t) => `${stack.deps.config.tablePrefix}${t}`);
    const before = await entityEtags(tables);
    expect(before.size).toBeGreaterThan(20);
    const id = await stack.host.engine.startNew(ORCHESTRATIONS.snapshotSubscription, { instanceId: `resnap-${Date.now()}`, input: { subscriptionId: sub } });
    const status = await stack.host.engine.waitForCompletion(id, 120_000);
    const out = status.output as { clusters: { ok: boolean; changed: boolean }[]; posture: { ok: boolean; writes: number; historyAdded: boolean }[] };
    expect(await entityEtags(tables)).toEqual(before);
    expect(out.clusters.length).toBe(2);
    for (const c of out.clusters) expect(c).toMatchObject({ ok: true, changed: false });
    // Posture is evaluated again and rewrites no result row and adds no history.
    expect(out.posture.length).toBe(2);
    for (const p of out.posture) expect(p).toMatchObject({ ok: true, writes: 0, historyAdded: false });
  });

  it("scans a pushed image within seconds through the registry webhook, once, and forgets it when deleted", async () => {
    const spec = demoImageSpecs().find((s) => s.ref.includes("shop/cart"))!;
    // A new build of cart: one more layer, so a new digest.
    const image = await buildDemoImage({ ...spec, layers: [...spec.layers, { files: { "etc/build-id": `e2e-${Date.now()}\n` } }] });
    const client = new RegistryClient(stack.registry!.host, { plainHttp: true });
    const t0 = Date.now();
    await pushImage(client, "shop/cart", "2.0.2", image);
    const record = await until("the pushed image's findings", async () => (await stack.deps.state.images.get("image", image.manifestDigest))?.value);
    expect(Date.now() - t0).toBeLessThan(30_000);
    expect(record.refs).toContain("vantagedemo.azurecr.io/shop/cart:2.0.2");
    expect(record.pushedAt).toBeTruthy();
    const findings = await stack.deps.state.findings.all({ partitionKey: image.manifestDigest });
    expect(findings.length).toBeGreaterThan(0);

    // The same push again starts nothing: no orchestration starts or restarts, no activity runs
    // (so no layer is fetched), and no image or finding row is rewritten — an idempotent rescan
    // would leave the row count unchanged too, so that is not what is checked.
    await stack.host.engine.idle();
    const { tablePrefix, taskHub } = stack.deps.config;
    const watched = [`${taskHub}Instances`, `${tablePrefix}Images`, `${tablePrefix}Findings`];
    const before = await entityEtags(watched);
    const events = (await stack.deps.state.seenEvents.all()).length;
    const stats = { ...stack.host.engine.stats };
    await pushImage(client, "shop/cart", "2.0.2", image);
    // The registry did notify (a new event id, so not a redelivery Event Grid would drop).
    await until("the registry's notification of the second push", async () => (await stack.deps.state.seenEvents.all()).length > events);
    await new Promise((r) => setTimeout(r, 500)); // the event id is recorded before the event is routed
    await stack.host.engine.idle();
    expect(stack.host.engine.stats).toEqual(stats);
    expect(await entityEtags(watched)).toEqual(before);
    expect((await stack.deps.state.findings.all({ partitionKey: image.manifestDigest })).length).toBe(findings.length);

    const res = await fetch(`${stack.registry!.url}/v2/shop/cart/manifests/${image.manifestDigest}`, { method: "DELETE" });
    expect(res.status).toBe(202);
    await until("findings removed after ImageDeleted", async () => (await stack.deps.state.findings.all({ partitionKey: image.manifestDigest })).length === 0);
    expect(await stack.deps.state.images.get("image", image.manifestDigest)).toBeUndefined();
  });

  it("keeps the findings of an image deleted from the registry while a cluster still runs it", async () => {
    const images = (await stack.deps.state.images.all({ partitionKey: "image" })).map((r) => r.value);
    const storefront = images.find((i) => i.refs.some((r) => r.includes("shop/storefront")))!;
    const before = (await stack.deps.state.findings.all({ partitionKey: storefront.digest })).length;
    const event = {
      id: `del-${Date.now()}`, topic: "/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-shop/providers/Microsoft.ContainerRegistry/registries/vantagedemo",
      subject: "shop/storefront:1.4.2", eventType: "Microsoft.ContainerRegistry.ImageDeleted", eventTime: new Date().toISOString(),
      data: { action: "delete", target: { mediaType: "application/vnd.oci.image.manifest.v1+json", digest: storefront.digest, repository: "shop/storefront" }, request: { host: "vantagedemo.azurecr.io" } },
      dataVersion: "1", metadataVersion: "1",
    };
    const res = (await (await fetch(`${stack.url}/api/events`, { method: "POST", body: JSON.stringify([event]) })).json()) as any;
    expect(res.outcomes[0].action).toBe("ignored");
    expect(res.outcomes[0].reason).toMatch(/still runs/);
    expect((await stack.deps.state.findings.all({ partitionKey: storefront.digest })).length).toBe(before);
  });

  it("serves the results over the HTTP API", async () => {
    const clusters = ((await (await fetch(`${stack.url}/api/clusters`)).json()) as any);
    expect(clusters.clusters.length).toBe(6);
    const kev = ((await (await fetch(`${stack.url}/api/findings?knownExploited=true`)).json()) as any);
    expect(kev.findings.length).toBeGreaterThan(0);
    expect(kev.findings.every((f: { exploitability: { knownExploited: boolean } }) => f.exploitability.knownExploited)).toBe(true);
    const critical = ((await (await fetch(`${stack.url}/api/findings?severity=critical&cluster=aks-shop-prod`)).json()) as any);
    expect(critical.findings.length).toBeGreaterThan(0);
    // Exploitability joined with the graph: the storefront runs behind a public LoadBalancer, the
    // hardened catalog image has no findings, the ledger is internal.
    const exposed = ((await (await fetch(`${stack.url}/api/findings?exposed=true`)).json()) as any).findings as { digest: string; exploitability: { internetExposed: boolean } }[];
    expect(exposed.length).toBeGreaterThan(0);
    expect(exposed.every((f) => f.exploitability.internetExposed)).toBe(true);
    const images = ((await (await fetch(`${stack.url}/api/images`)).json()) as any).images as { digest: string; refs: string[] }[];
    const digestOf = (repo: string) => images.find((i) => i.refs.some((r) => r.includes(repo)))!.digest;
    expect(exposed.some((f) => f.digest === digestOf("shop/storefront"))).toBe(true);
    expect(exposed.some((f) => f.digest === digestOf("payments/ledger"))).toBe(false);
    // The ledger's build left a signing key in a layer and deleted it in the next: still in the image.
    const ledger = (images as { digest: string; refs: string[]; secrets?: Record<string, number> }[]).find((i) => i.refs.some((r) => r.includes("payments/ledger")))!;
    expect(ledger.secrets).toEqual({ total: 1, critical: 0, high: 1, medium: 0, deleted: 1 });
    const { secrets } = ((await (await fetch(`${stack.url}/api/secrets?cluster=aks-shop-prod`)).json()) as any);
    expect(secrets).toEqual([expect.objectContaining({ digest: ledger.digest, rule: "private-key", path: "srv/ledger/deploy/signing-key.pem", deleted: true, layerIndex: 2 })]);
    expect(((await (await fetch(`${stack.url}/api/secrets?deleted=false`)).json()) as any).secrets).toEqual([]);
    expect((await fetch(`${stack.url}/api/secrets?severity=low`)).status).toBe(400);
  });

  it("serves posture recommendations and a score per bound cluster; the hardened workload passes", async () => {
    const { recommendations } = ((await (await fetch(`${stack.url}/api/recommendations?cluster=aks-shop-prod&status=fail`)).json()) as any);
    const privileged = recommendations.find((r: { id: string }) => r.id === "VANTAGE-K8S-PRIVILEGED");
    expect(privileged.failed.map((f: { resource: { name: string } }) => f.resource.name)).toContain("log-agent");
    expect(privileged.failed[0].fix).toContain("privileged: false");
    const all = ((await (await fetch(`${stack.url}/api/recommendations?cluster=aks-shop-prod`)).json()) as any).recommendations as { failed: { resource: { name: string } }[] }[];
    expect(all.flatMap((r) => r.failed).filter((f) => f.resource.name === "catalog")).toEqual([]);
    const view = ((await (await fetch(`${stack.url}/api/compliance?standard=cis-aks`)).json()) as any);
    expect(view.clusters.map((c: { clusterName: string }) => c.clusterName).sort()).toEqual(["aks-ml-prod", "aks-sandbox", "aks-shop-prod"]);
    for (const c of view.clusters) {
      expect(c.score).toBeGreaterThan(0);
      expect(c.score).toBeLessThan(100);
      expect(c.history.length).toBeGreaterThan(0);
    }
    expect((await fetch(`${stack.url}/api/recommendations?severity=urgent`)).status).toBe(400);
    expect(((await (await fetch(`${stack.url}/api/exceptions`)).json()) as any)).toEqual({ exceptions: [] });
    expect((await stack.summary(Date.now())).posture).toMatchObject({ controls: expect.any(Number), failed: expect.any(Number), score: expect.any(Number) });
  });

  it("shows both Defender attack paths and a path to an Azure identity", async () => {
    const { paths } = ((await (await fetch(`${stack.url}/api/attack-paths`)).json()) as any);
    const titles = new Set(paths.map((p: { title: string }) => p.title));
    expect(titles).toContain("Internet exposed Kubernetes pod is running a container with RCE vulnerabilities");
    expect(titles).toContain("Kubernetes pod running on an internet exposed node uses host network is running a container with RCE vulnerabilities");
    expect(paths.some((p: { target: string }) => p.target.startsWith("cloudidentity:"))).toBe(true);
    for (const p of paths) expect(p.edges.length).toBeGreaterThan(0);
    for (const p of paths) for (const e of p.edges) expect(e.evidence.length).toBeGreaterThan(0);
  });

  it("lists path classes; one ends at the Azure Owner scope of the demo's workload identity, the Reader one does not", async () => {
    const body = ((await (await fetch(`${stack.url}/api/attack-paths?azure=true`)).json()) as any);
    const owner = body.classes.find((c: { target: string }) => c.target === "azurescope:/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-ml");
    expect(owner.title).toMatch(/can obtain Owner on Azure resource group rg-ml$/);
    expect(owner.edges.at(-1).evidence[0]).toMatch(/^role Owner assigned to id-ml-inference at resourceGroup/);
    expect(owner.fix.text).toBeTruthy();
    // The same identity's Contributor in the other onboarded subscription is a class of its own.
    const other = body.classes.find((c: { target: string }) => c.target === "azurescope:/subscriptions/22222222-2222-4222-8222-222222222222/resourceGroups/rg-dev");
    expect(other.title).toMatch(/can obtain Contributor on Azure resource group rg-dev \(subscription 22222222-2222-4222-8222-222222222222\)$/);
    expect(other.edges.at(-1).evidence[0]).toMatch(/^role Contributor assigned to id-ml-inference at resourceGroup \/subscriptions\/22222222-/);
    expect(body.classes.every((c: { reachesAzure: boolean }) => c.reachesAzure)).toBe(true);
    expect(body.classes.some((c: { target: string }) => c.target.endsWith("/resourceGroups/rg-shop"))).toBe(false);
    const bad = await fetch(`${stack.url}/api/attack-paths?targetType=galaxy`);
    expect(bad.status).toBe(400);
  });

  it("answers explorer queries and templates as JSON and CSV, with positioned syntax errors", async () => {
    const { templates } = ((await (await fetch(`${stack.url}/api/query/templates`)).json()) as any);
    expect(templates.length).toBeGreaterThanOrEqual(12);
    const post = (body: unknown, accept = "application/json") =>
      fetch(`${stack.url}/api/query`, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", accept } });
    const high = ((await (await post({ template: "pods-high-severity-vulnerabilities" })).json()) as any);
    expect(high.columns[0]).toBe("cluster");
    expect(high.rows.length).toBeGreaterThan(0);
    const one = ((await (await post({ query: "MATCH (p:Pod) WHERE p.hostNetwork = true RETURN count(p) AS n", cluster: "aks-shop-prod" })).json()) as any);
    expect(one.columns).toEqual(["n"]);
    expect(one.rows[0][0]).toBeGreaterThan(0);
    const csv = await post({ template: "privileged-containers" }, "text/csv");
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect((await csv.text()).split("\n")[0]).toContain("cluster");
    const bad = await post({ query: "MATCH (p:Pod)\nRETURN p.name," });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as any).error.message).toMatch(/line 2/);
    const write = await post({ query: "MATCH (p:Pod) DELETE p" });
    expect(write.status).toBe(400);
  });

  it("binds and snapshots a newly written cluster from its managedClusters/write event", async () => {
    const sub = DEMO_SUBSCRIPTIONS[1];
    const clusterId = `/subscriptions/${sub}/resourceGroups/rg-sandbox/providers/Microsoft.ContainerService/managedClusters/aks-sandbox`;
    const event = {
      id: `write-${Date.now()}`, topic: `/subscriptions/${sub}`, subject: clusterId, eventType: "Microsoft.Resources.ResourceWriteSuccess",
      eventTime: new Date().toISOString(), data: { operationName: "Microsoft.ContainerService/managedClusters/write", resourceUri: clusterId, status: "Succeeded" },
      dataVersion: "2", metadataVersion: "1",
    };
    const post = () => fetch(`${stack.url}/api/events`, { method: "POST", body: JSON.stringify([event]) }).then(async (r) => (await r.json()) as any);
    const first = await post();
    expect(first.outcomes[0].action).toBe("started");
    // Event Grid redelivers: the same event starts nothing.
    expect((await post()).outcomes[0].action).toBe("duplicate");
    const status = await stack.host.engine.waitForCompletion(first.outcomes[0].instanceId, 120_000);
    expect(status.runtimeStatus).toBe("Completed");
    const out = status.output as { clusters: { discovered: number; bound: number }; snapshot: { snapshots: number } };
    expect(out.clusters).toMatchObject({ discovered: 1, bound: 1 });
    expect(out.snapshot.snapshots).toBe(1);
  });

  it("keeps the previous snapshot as latest when the API server fails mid-collection", async () => {
    const row = (await stack.deps.state.clusters.all()).map((r) => r.value).find((c) => c.name === "aks-shop-prod")!;
    const before = await stack.deps.snapshots.latest(row.id);
    stack.clusters["aks-shop-prod"].setFaults({ serverErrors: { count: 1000, status: 503, resource: "pods" } });
    try {
      const id = await stack.host.engine.startNew(ORCHESTRATIONS.snapshotSubscription, { instanceId: `broken-${Date.now()}`, input: { subscriptionId: DEMO_SUBSCRIPTIONS[0] } });
      const status = await stack.host.engine.waitForCompletion(id, 120_000);
      const results = (status.output as { clusters: { clusterName: string; ok: boolean; error?: string }[] }).clusters;
      const shop = results.find((c) => c.clusterName === "aks-shop-prod")!;
      expect(shop.ok).toBe(false);
      expect(shop.error).toMatch(/503/);
      // The other cluster of the subscription is unaffected; the broken one keeps its previous snapshot.
      expect(results.find((c) => c.clusterName === "aks-ml-prod")!.ok).toBe(true);
      const after = await stack.deps.snapshots.latest(row.id);
      expect(after!.pointer).toEqual({ ...before!.pointer, checkedAt: after!.pointer.checkedAt });
      expect(after!.pointer.collectedAt).toBe(before!.pointer.collectedAt);
    } finally {
      stack.clusters["aks-shop-prod"].setFaults({});
    }
  });

  it("scopes every read, explorer queries included, to the caller's subscriptions", async () => {
    const [prod, dev] = DEMO_SUBSCRIPTIONS;
    stack.deps.config.access = parseAccessMap(JSON.stringify({ "aaaaaaaa-0000-4000-8000-00000000000a": [dev], "bbbbbbbb-0000-4000-8000-00000000000b": "*" }));
    // What App Service authentication forwards: the validated principal, with its group claims.
    const as = (oid: string) => ({ "x-ms-client-principal": Buffer.from(JSON.stringify({ claims: [{ typ: "http://schemas.microsoft.com/identity/claims/objectidentifier", val: oid }] })).toString("base64") });
    try {
      const get = async (path: string, headers: Record<string, string> = {}) => {
        const r = await fetch(`${stack.url}${path}`, { headers });
        return { status: r.status, body: (await r.json()) as any };
      };
      const devUser = as("aaaaaaaa-0000-4000-8000-00000000000a");
      const clusters = await get("/api/clusters", devUser);
      expect(new Set(clusters.body.clusters.map((c: { subscriptionId: string }) => c.subscriptionId))).toEqual(new Set([dev]));
      expect((await get("/api/subscriptions", devUser)).body.subscriptions.map((s: { subscriptionId: string }) => s.subscriptionId)).toEqual([dev]);
      expect((await get("/api/graphs/aks-shop-prod", devUser)).status).toBe(404);
      // Onboarding state and triggers of another subscription look like they do not exist.
      expect((await get(`/api/onboard/${prod}`, devUser)).status).toBe(404);
      expect((await get(`/api/onboard/${dev}`, devUser)).status).toBe(200);
      const trigger = await fetch(`${stack.url}/api/onboard`, { method: "POST", headers: devUser, body: JSON.stringify({ subscriptionId: prod }) });
      expect(trigger.status).toBe(404);
      expect(((await get(`/api/findings?cluster=aks-shop-prod`, devUser)).body.findings as unknown[]).length).toBe(0);
      expect((await get("/api/attack-paths", devUser)).body.paths.every((p: { clusterId: string }) => p.clusterId.includes(dev))).toBe(true);
      const query = await fetch(`${stack.url}/api/query`, { method: "POST", headers: devUser, body: JSON.stringify({ query: "MATCH (p:Pod) RETURN DISTINCT p.namespace AS ns" }) });
      const rows = ((await query.json()) as any).rows as string[][];
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r[0]))).toEqual(new Set(["aks-sandbox"]));
      const images = (await get("/api/images", devUser)).body.images as { refs: string[] }[];
      expect(images.some((i) => i.refs.some((r) => r.includes("payments/ledger")))).toBe(false); // runs only in prod
      // Everyone else: all, or nothing.
      expect((await get("/api/clusters", as("bbbbbbbb-0000-4000-8000-00000000000b"))).body.clusters.some((c: { subscriptionId: string }) => c.subscriptionId === prod)).toBe(true);
      expect((await get("/api/clusters")).status).toBe(401);
      expect((await get("/api/clusters", as("cccccccc-0000-4000-8000-00000000000c"))).status).toBe(403);
    } finally {
      stack.deps.config.access = undefined;
    }
  });

  it("refreshes stored SBOMs against a new feed without pulling any layer (registry stopped)", async () => {
    const catalogImage = (await stack.deps.state.images.all({ partitionKey: "image" })).map((r) => r.value).find((i) => i.refs.some((r) => r.includes("shop/catalog")))!;
    expect((await stack.deps.state.findings.all({ partitionKey: catalogImage.digest })).length).toBe(0);
    // A new advisory for the catalog image's openssl arrives in the feed.
    const inputs = await readFeedDir("demo/feed");
    inputs.records.push({
      id: "VANTAGE-TEST-2026-0001",
      aliases: [],
      modified: "2026-11-27T00:00:00Z",
      affected: [{ package: { ecosystem: "Debian:12", name: "openssl" }, ranges: [{ type: "ECOSYSTEM", events: [{ introduced: "0" }, { fixed: "3.0.99-1~deb12u1" }] }] }],
      severity: [{ type: "CVSS_V3", score: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" }],
    });
    await stack.deps.feed.store.put(buildFeedIndex(inputs));
    stack.deps.feed.forget();
    await stack.registry!.stop(); // nothing may be pulled from here on
    const before = (await stack.deps.state.findings.all()).length;
    const id = await stack.host.engine.startNew(ORCHESTRATIONS.refreshFindings, { instanceId: `refresh-${Date.now()}` });
    const status = await stack.host.engine.waitForCompletion(id, 120_000);
    expect(status.runtimeStatus).toBe("Completed");
    expect((status.output as { failed: number }).failed).toBe(0);
    const now = (await stack.deps.state.findings.all({ partitionKey: catalogImage.digest })).map((r) => r.value);
    expect(now.map((f) => f.id)).toContain("VANTAGE-TEST-2026-0001");
    expect(now.find((f) => f.id === "VANTAGE-TEST-2026-0001")!.severity).toBe("critical");
    // Only the new advisory's findings were added (in every image with that openssl); nothing else changed.
    const all = (await stack.deps.state.findings.all()).map((r) => r.value);
    expect(all.length - before).toBe(all.filter((f) => f.id === "VANTAGE-TEST-2026-0001").length);
  });

  it("offboards a subscription, removing exactly what onboarding created", async () => {
    const sub = DEMO_SUBSCRIPTIONS[1];
    const assignments = () => stack.arm.state.list("Microsoft.Authorization/roleAssignments").filter((r) => r.id.toLowerCase().includes(sub));
    const ours = () => assignments().filter((r) => r.properties["description"] === "Created by Vantage (container security posture)");
    const theirs = assignments().filter((r) => !ours().includes(r));
    expect(ours().length).toBeGreaterThanOrEqual(2); // subscription scope + the sandbox cluster
    expect(theirs.length).toBeGreaterThanOrEqual(1); // the estate's own (the ML identity's Contributor on rg-dev)
    const id = await stack.host.engine.startNew(ORCHESTRATIONS.offboardSubscription, { instanceId: `offboard-${sub}`, input: { subscriptionId: sub } });
    const status = await stack.host.engine.waitForCompletion(id, 120_000);
    expect(status.runtimeStatus).toBe("Completed");
    expect((status.output as { failures: string[] }).failures).toEqual([]);
    expect(ours()).toEqual([]);
    expect(assignments()).toEqual(theirs); // what Vantage did not create stays
    expect(stack.arm.state.list("Microsoft.Authorization/roleDefinitions").filter((r) => r.id.toLowerCase().includes(sub))).toEqual([]);
    const record = (await stack.deps.state.subscriptions.get("subscription", sub))!.value;
    expect(record.state).toBe("offboarded");
    // The other subscription is untouched.
    expect(stack.arm.state.list("Microsoft.Authorization/roleAssignments").some((r) => r.id.toLowerCase().includes(DEMO_SUBSCRIPTIONS[0]))).toBe(true);
  });
});
