// Credentials written into container args, commands, env values and annotations never reach a stored
// snapshot: live collection (emulated API server → collect activity → Blob/Table) and offline
// manifests both redact them at normalization, keep the rest of each string, and name the rule.
// Secrets keep only the allow-listed annotations. Every credential is generated per run.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import type { ClusterRecord } from "../../shared/azure/model.js";
import type { Snapshot } from "../../shared/kubernetes/model.js";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";
import { SECRET_ANNOTATION_ALLOW_LIST } from "../../shared/kubernetes/normalize/redact.js";
import { createDependencies, type Dependencies } from "../../shared/workflows/dependencies.js";
import { ACTIVITIES } from "../../shared/workflows/names.js";
import { snapshotActivities } from "../../shared/workflows/snapshot.js";
import { startKubernetesEmulator, type KubernetesEmulator } from "../../demo/runtime/kubernetes/server.js";
import { HARDENED_CLUSTER } from "../posture/fixtures.js";
import { fake, pemBody } from "../scanner/secrets/fake-secrets.js";
import { testStorage, uniqueName } from "../support/storage.js";

/** One set of credentials per run, each in a place a snapshot keeps (or used to keep). */
function seeds() {
  const s = {
    connectionString: fake.connectionString(),
    githubArg: fake.githubToken(),
    githubEnv: fake.githubToken("ghs"),
    awsKeyId: fake.awsKeyId(),
    awsSecret: fake.awsSecret(),
    storageKey: fake.storageKey(),
    privateKey: fake.pkcs8Key(),
    sasUrl: fake.sasUrl(),
    entra: fake.entraSecret(),
  };
  const accountKey = /AccountKey=([^;]+)/.exec(s.connectionString)![1]!;
  const sasSig = decodeURIComponent(/sig=([^&]+)/.exec(s.sasUrl)![1]!);
  return {
    ...s,
    /** Substrings that must not occur anywhere in a stored snapshot. */
    forbidden: [accountKey, s.githubArg, s.githubEnv, s.awsKeyId, s.awsSecret, s.storageKey, ...pemBody(s.privateKey).match(/.{1,40}/g)!, sasSig, encodeURIComponent(sasSig), s.entra],
  };
}

function objects(s: ReturnType<typeof seeds>): Record<string, unknown>[] {
  const container = {
    name: "app",
    image: "shop/app:1",
    command: ["sh", "-c", `export AWS_SECRET_ACCESS_KEY=${s.awsSecret}; exec app --key-id ${s.awsKeyId}`],
    args: ["--port=8080", `--storage=${s.connectionString}`, `--token=${s.githubArg}`, "--verbose"],
    env: [
      { name: "GITHUB_TOKEN", value: s.githubEnv },
      { name: "STORAGE_KEY", value: s.storageKey },
      { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
    ],
  };
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
    {
      apiVersion: "apps/v1",
      kind: "Deployment",
      metadata: { name: "app", namespace: "shop", annotations: { "example.com/deploy-key": s.privateKey, "example.com/owner": "team-a" } },
      spec: {
        replicas: 1,
        selector: { matchLabels: { app: "app" } },
        template: { metadata: { labels: { app: "app" }, annotations: { "example.com/client-secret": `AZURE_CLIENT_SECRET=${s.entra}` } }, spec: { containers: [container] } },
      },
    },
    {
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "app", namespace: "shop", annotations: { "example.com/backup": s.sasUrl } },
      spec: { selector: { app: "app" }, ports: [{ port: 80, targetPort: 8080 }] },
    },
    {
      apiVersion: "v1",
      kind: "Secret",
      metadata: {
        name: "web-token",
        namespace: "shop",
        annotations: {
          "kubernetes.io/service-account.name": "web",
          "kubernetes.io/service-account.uid": "0f6c1b7e-3d7a-4a0e-9a51-2f4d7c3e9b10",
          "example.com/rotated-by": "vault-operator",
          "example.com/copy": s.connectionString,
        },
      },
      type: "kubernetes.io/service-account-token",
      data: { token: Buffer.from(s.githubArg).toString("base64") },
    },
  ];
}

function expectRedacted(snapshot: Snapshot, stored: string, s: ReturnType<typeof seeds>): void {
  for (const value of s.forbidden) expect(stored.includes(value), `a seeded credential (${value.slice(0, 4)}…) was stored`).toBe(false);
  expect(stored).not.toContain("vault-operator");
  const app = snapshot.pods.find((p) => p.meta.name.startsWith("app"))!.containers[0]!;
  // The rest of each string is kept; the marker names the rule that matched.
  expect(app.args).toEqual(["--port=8080", expect.stringContaining("AccountKey=[REDACTED:azure-storage-connection-string]"), "--token=[REDACTED:github-token]", "--verbose"]);
  expect(app.args![1]).toMatch(/^--storage=DefaultEndpointsProtocol=https;AccountName=shopdata;AccountKey=\[REDACTED:azure-storage-connection-string\];EndpointSuffix=core\.windows\.net$/);
  expect(app.command).toEqual(["sh", "-c", "export AWS_SECRET_ACCESS_KEY=[REDACTED:aws-secret-access-key]; exec app --key-id [REDACTED:aws-access-key-id]"]);
  // Literal env values are not kept at all; references by name are.
  expect(app.envSources).toEqual([{ kind: "Secret", name: "db", key: "password" }]);
  const deployment = snapshot.workloads.find((w) => w.kind === "Deployment")!;
  expect(deployment.meta.annotations).toEqual({ "example.com/deploy-key": expect.stringContaining("[REDACTED:private-key]"), "example.com/owner": "team-a" });
  const pod = snapshot.pods.find((p) => p.meta.name.startsWith("app"))!;
  expect(pod.meta.annotations["example.com/client-secret"]).toBe("AZURE_CLIENT_SECRET=[REDACTED:entra-client-secret]");
  const service = snapshot.services.find((x) => x.meta.name === "app")!;
  expect(service.meta.annotations["example.com/backup"]).toMatch(/^https:\/\/shopdata\.blob\.core\.windows\.net\/orders\?sv=2022-11-02&.*sig=\[REDACTED:azure-sas-token\]$/);
  // A Secret keeps only the allow-listed annotations (the graph reads them), nothing else.
  const secret = snapshot.secrets.find((x) => x.meta.name === "web-token")!;
  expect(Object.keys(secret.meta.annotations).sort()).toEqual([...SECRET_ANNOTATION_ALLOW_LIST].sort());
  expect(secret.meta.annotations["kubernetes.io/service-account.name"]).toBe("web");
}

const tmp = mkdtempSync(join(tmpdir(), "vantage-redaction-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe("secret-looking values are redacted before a snapshot is stored", () => {
  let emu: KubernetesEmulator | undefined;
  let deps: Dependencies;
  const s = seeds();
  const record: ClusterRecord = { ...HARDENED_CLUSTER, state: "bound" };

  beforeAll(async () => {
    emu = await startKubernetesEmulator({ objects: objects(s), token: "good" });
    deps = createDependencies({
      storage: testStorage(),
      config: { tablePrefix: uniqueName("r"), credential: { getToken: async () => ({ token: "good", expiresOnTimestamp: Date.now() + 3_600_000 }) }, kubeEndpoints: { [record.name]: emu.url } },
      env: {},
    });
    for (const t of Object.values(deps.state)) if (t && typeof t === "object" && "ensure" in t) await (t as { ensure(): Promise<void> }).ensure();
    await deps.state.clusters.upsert(record.subscriptionId, record.id, record);
  });
  afterAll(async () => {
    await emu?.stop();
  });

  it("live collection: the snapshot in Blob and the inventory in Table hold markers, not credentials", async () => {
    const collect = snapshotActivities(deps)[ACTIVITIES.collectSnapshot];
    const result = await collect({ subscriptionId: record.subscriptionId, clusterId: record.id });
    expect(result).toMatchObject({ ok: true, changed: true });
    const latest = (await deps.snapshots.latest(record.id))!;
    const inventory = (await deps.state.inventory.all({ partitionKey: record.id })).map((r) => r.value);
    expect(inventory.length).toBeGreaterThan(0);
    const stored = JSON.stringify(latest.snapshot) + JSON.stringify(inventory);
    expect(stored).toContain("[REDACTED:");
    expectRedacted(latest.snapshot, stored, s);
  });

  it("offline manifests: the same objects give the same redactions", async () => {
    const file = join(tmp, "estate.yaml");
    writeFileSync(file, objects(s).map((o) => stringify(o)).join("---\n"));
    const snapshot = await snapshotFromManifests([file]);
    expectRedacted(snapshot, JSON.stringify(snapshot), s);
  });

  it("a Secret's last-applied copy and any other annotation are gone even without a recognisable credential", async () => {
    const file = join(tmp, "secret.yaml");
    const secret = { apiVersion: "v1", kind: "Secret", metadata: { name: "plain", namespace: "shop", annotations: { "kubectl.kubernetes.io/last-applied-configuration": '{"stringData":{"pw":"hunter2-but-longer"}}', "example.com/hint": "hunter2-but-longer" } }, stringData: { pw: "hunter2-but-longer" } };
    writeFileSync(file, stringify(secret));
    const snapshot = await snapshotFromManifests([file]);
    expect(snapshot.secrets[0]!.meta.annotations).toEqual({});
    expect(snapshot.secrets[0]!.keys).toEqual(["pw"]);
    expect(JSON.stringify(snapshot)).not.toContain("hunter2");
  });
});
