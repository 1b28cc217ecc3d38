import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InputError } from "../../shared/errors.js";
import { snapshotFromManifests } from "../../shared/kubernetes/manifests/index.js";

let dir: string;
const write = async (name: string, text: string) => {
  const path = join(dir, name);
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, text);
  return path;
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "vantage-manifests-"));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const container = (image: string) => `{ containers: [{ name: app, image: "${image}" }] }`;

describe("offline manifests", () => {
  it("expands every workload kind to one pod named after it, on its nodeName or 'unscheduled'; bare pods stay", async () => {
    const file = await write(
      "workloads.yaml",
      `apiVersion: apps/v1
kind: Deployment
metadata: { name: web, namespace: shop }
spec:
  replicas: 3
  selector: { matchLabels: { app: web } }
  template:
    metadata: { labels: { app: web } }
    spec: ${container("web:1")}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: { name: agent }
spec:
  template:
    spec: { nodeName: node-7, hostPID: true, containers: [{ name: a, image: agent:1 }] }
---
apiVersion: apps/v1
kind: StatefulSet
metadata: { name: db, namespace: data }
spec: { template: { spec: ${container("db:1")} } }
---
apiVersion: apps/v1
kind: ReplicaSet
metadata: { name: rs, namespace: shop }
spec: { template: { spec: ${container("rs:1")} } }
---
apiVersion: batch/v1
kind: Job
metadata: { name: once, namespace: shop }
spec: { template: { spec: ${container("job:1")} } }
---
apiVersion: batch/v1
kind: CronJob
metadata: { name: nightly, namespace: shop }
spec: { schedule: "0 3 * * *", jobTemplate: { spec: { template: { spec: ${container("cron:1")} } } } }
---
apiVersion: v1
kind: Pod
metadata: { name: bare-pod }
spec: ${container("bare:1")}
`,
    );
    const s = await snapshotFromManifests([file], { clusterName: "offline-test", now: () => new Date("2025-02-03T04:05:06Z") });
    expect(s.source).toBe("manifests");
    expect(s.cluster).toEqual({ name: "offline-test" });
    expect(s.collectedAt).toBe("2025-02-03T04:05:06.000Z");
    const pods = Object.fromEntries(s.pods.map((p) => [`${p.meta.namespace}/${p.meta.name}`, p]));
    expect(Object.keys(pods).sort()).toEqual(["data/db", "default/agent", "default/bare-pod", "shop/nightly", "shop/once", "shop/rs", "shop/web"]);
    expect(pods["shop/web"]).toMatchObject({ fromTemplate: true, nodeName: "unscheduled", workload: { kind: "Deployment", name: "web" }, meta: { labels: { app: "web" } } });
    expect(pods["default/agent"]).toMatchObject({ nodeName: "node-7", hostPID: true, workload: { kind: "DaemonSet", name: "agent" } });
    expect(pods["shop/nightly"]!.containers[0]!.image).toBe("cron:1");
    expect(pods["default/bare-pod"]!.fromTemplate).toBeUndefined();
    expect(pods["default/bare-pod"]!.nodeName).toBeUndefined();
    expect(s.workloads.find((w) => w.kind === "Deployment")).toMatchObject({ replicas: 3, selector: { matchLabels: { app: "web" } } });
  });

  it("reads kind: List, typed *List and `kubectl get -A -o json` output", async () => {
    const kubectl = await write(
      "kubectl.json",
      JSON.stringify({
        apiVersion: "v1",
        kind: "List",
        metadata: { resourceVersion: "" },
        items: [
          { apiVersion: "v1", kind: "Pod", metadata: { name: "web-abc-1", namespace: "shop", resourceVersion: "9", ownerReferences: [{ kind: "ReplicaSet", name: "web-abc", controller: true }] }, spec: { nodeName: "n1", containers: [{ name: "w", image: "web:1" }] }, status: { phase: "Running" } },
          { apiVersion: "apps/v1", kind: "ReplicaSet", metadata: { name: "web-abc", namespace: "shop", ownerReferences: [{ kind: "Deployment", name: "web", controller: true }] }, spec: { template: { spec: { containers: [{ name: "w", image: "web:1" }] } } } },
          { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "web", namespace: "shop" }, spec: { template: { spec: { containers: [{ name: "w", image: "web:1" }] } } } },
        ],
      }),
    );
    const typed = await write("nodes.yaml", "apiVersion: v1\nkind: NodeList\nitems:\n  - metadata: { name: n1 }\n    status: { addresses: [{ type: ExternalIP, address: 20.0.0.1 }] }\n");
    const s = await snapshotFromManifests([kubectl, typed]);
    expect(s.nodes.map((n) => n.meta.name)).toEqual(["n1"]);
    const live = s.pods.find((p) => p.meta.name === "web-abc-1")!;
    expect(live).toMatchObject({ nodeName: "n1", phase: "Running", workload: { kind: "Deployment", name: "web" } });
    // The Deployment's template yields one pod; its ReplicaSet (owned by it) adds none.
    expect(s.pods.map((p) => p.meta.name).sort()).toEqual(["web", "web-abc-1"]);
  });

  it("reads Helm-rendered output: `# Source:` comments, empty documents, unknown kinds", async () => {
    const file = await write(
      "helm.yaml",
      `---
# Source: chart/templates/serviceaccount.yaml
apiVersion: v1
kind: ServiceAccount
metadata:
  name: release-app
---
# Source: chart/templates/empty.yaml
---
---
# Source: chart/templates/pdb.yaml
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: { name: release-app }
spec: { minAvailable: 1 }
---
# Source: chart/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: release-app
  labels: { helm.sh/chart: chart-1.0.0, version: 1.0 }
spec:
  template:
    metadata: { labels: { app: release } }
    spec:
      serviceAccountName: release-app
      containers:
        - name: app
          image: "repo/app:1.0"
          env:
            - { name: TOKEN, value: "HELM-LITERAL" }
`,
    );
    const s = await snapshotFromManifests([file]);
    expect(s.serviceAccounts.map((a) => a.meta.name)).toEqual(["release-app"]);
    expect(s.pods[0]).toMatchObject({ meta: { name: "release-app", namespace: "default" }, serviceAccountName: "release-app" });
    expect(s.workloads[0]!.meta.labels.version).toBe("1"); // an unquoted YAML number read back as a string
    expect(s.warnings.join()).toContain("PodDisruptionBudget (1)");
    expect(JSON.stringify(s)).not.toContain("HELM-LITERAL");
  });

  it("walks directories recursively for .yaml/.yml/.json only, in a stable order", async () => {
    const root = join(dir, "tree");
    await write("tree/b/ns.yml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: b }\n");
    await write("tree/a/deep/er/ns.json", JSON.stringify({ apiVersion: "v1", kind: "Namespace", metadata: { name: "a" } }));
    await write("tree/README.md", "# not a manifest: kind: Namespace");
    await write("tree/.hidden/ns.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: hidden }\n");
    await write("tree/c.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: c }\n");
    const s = await snapshotFromManifests([root]);
    expect(s.namespaces.map((n) => n.meta.name)).toEqual(["a", "b", "c"]);
  });

  it("drops Secret values at parse time and keeps key names", async () => {
    const file = await write("secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\n  annotations:\n    kubectl.kubernetes.io/last-applied-configuration: '{\"stringData\":{\"pw\":\"VANTAGE-SECRET-MARKER\"}}'\ntype: Opaque\nstringData: { pw: VANTAGE-SECRET-MARKER }\ndata: { user: VkFOVEFHRS1TRUNSRVQtTUFSS0VS }\n");
    const s = await snapshotFromManifests([file]);
    expect(s.secrets[0]).toMatchObject({ type: "Opaque", keys: ["pw", "user"], meta: { annotations: {} } });
    expect(JSON.stringify(s)).not.toMatch(/VANTAGE-SECRET-MARKER|VkFOVEFHRS1TRUNSRVQtTUFSS0VS/);
  });

  describe("bad input names the file, the document and the path", () => {
    const expectInputError = async (paths: string[], pattern: RegExp) => {
      const err = await snapshotFromManifests(paths).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(InputError);
      expect((err as Error).message).toMatch(pattern);
      expect((err as Error).message.split("\n")).toHaveLength(1);
    };
    it("a wrong field type in the second document", async () => {
      const f = await write("bad-type.yaml", `apiVersion: v1\nkind: Namespace\nmetadata: { name: ok }\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata: { name: web }\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: [not, a, string]\n`);
      await expectInputError([f], /bad-type\.yaml: document 2 \(Deployment web\): spec\.template\.spec\.containers\[0\]\.image: expected a string, got a list/);
    });
    it("a missing image inside a List item", async () => {
      const f = await write("bad-list.json", JSON.stringify({ kind: "List", items: [{ kind: "Namespace", metadata: { name: "a" } }, { kind: "Pod", metadata: { name: "p" }, spec: { containers: [{ name: "c" }] } }] }));
      await expectInputError([f], /bad-list\.json: document 1 \(Pod p\): items\[1\]\.spec\.containers\[0\]\.image: required string is missing/);
    });
    it("invalid YAML with line and column", async () => {
      const f = await write("broken.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: { name: a }\n---\nkind: Pod\nmetadata:\n  name: [unclosed\n");
      await expectInputError([f], /broken\.yaml: document 2: invalid YAML \(line \d+, column \d+\)/);
    });
    it("invalid JSON, a scalar document, a missing kind, a missing path", async () => {
      await expectInputError([await write("broken.json", "{ \"kind\": ")], /broken\.json: document 1: invalid JSON/);
      await expectInputError([await write("scalar.yaml", "just a string\n")], /scalar\.yaml: document 1: expected a Kubernetes object/);
      await expectInputError([await write("nokind.yaml", "metadata: { name: x }\n")], /nokind\.yaml: document 1: kind: required string is missing/);
      await expectInputError([join(dir, "does-not-exist")], /does-not-exist: no such file or directory/);
    });
  });
});

describe("demo estate", () => {
  const IMAGES = [
    "vantagedemo.azurecr.io/shop/storefront:1.4.2",
    "vantagedemo.azurecr.io/shop/cart:2.0.1",
    "vantagedemo.azurecr.io/payments/ledger:3.1.0",
    "vantagedemo.azurecr.io/tools/log-agent:0.9.0",
    "vantagedemo.azurecr.io/ml/inference:1.2.0",
    "vantagedemo.azurecr.io/web/frontend:5.2.0",
    "vantagedemo.azurecr.io/shop/catalog:1.0.0",
  ];
  it("parses, uses exactly the demo registry's images, and carries the scenario the pipeline expects", async () => {
    const shop = await snapshotFromManifests(["demo/estate/aks-shop-prod"], { clusterName: "aks-shop-prod" });
    const ml = await snapshotFromManifests(["demo/estate/aks-ml-prod"]);
    const sandbox = await snapshotFromManifests(["demo/estate/aks-sandbox"]);
    const demoImages = new Set([shop, ml, sandbox].flatMap((s) => s.pods.flatMap((p) => p.containers.map((c) => c.image))).filter((i) => i.startsWith("vantagedemo.azurecr.io/")));
    expect([...demoImages].sort()).toEqual([...IMAGES].sort());

    const pod = (name: string) => shop.pods.find((p) => p.meta.name === name)!;
    expect(shop.services.find((s) => s.meta.name === "storefront")).toMatchObject({ type: "LoadBalancer", internal: false });
    expect(pod("ledger").containers[0]!.envSources.filter((e) => e.kind === "Secret").map((e) => e.name)).toEqual(["ledger-db", "ledger-api-keys"]);
    const agent = pod("log-agent");
    expect(agent.hostPID).toBe(true);
    expect(agent.containers[0]!.securityContext).toMatchObject({ privileged: true, runAsUser: 0 });
    expect(agent.volumes.map((v) => v.hostPath?.path)).toEqual(["/var/log", "/", "/var/run/containerd/containerd.sock"]);
    expect(pod("frontend").hostNetwork).toBe(true);
    const catalog = pod("catalog");
    expect(catalog.automountServiceAccountToken).toBe(false);
    expect(catalog.containers[0]!.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false, seccompProfile: "RuntimeDefault", capabilities: { drop: ["ALL"] } });
    expect(shop.nodes.filter((n) => n.addresses.some((a) => a.type === "ExternalIP")).map((n) => n.meta.labels["kubernetes.azure.com/agentpool"])).toEqual(["public", "public"]);
    expect(shop.roles.find((r) => r.meta.name === "shop-operator")!.rules.flatMap((r) => r.resources).sort()).toEqual(["pods/attach", "pods/exec", "secrets"]);
    expect(shop.roleBindings.map((b) => b.roleRef.name)).toEqual(expect.arrayContaining(["cluster-admin", "impersonator", "pod-deployer"]));
    expect(shop.networkPolicies.filter((n) => n.meta.namespace === "payments")).toHaveLength(3);
    expect(shop.webhooks.length).toBeGreaterThanOrEqual(3);
    const inference = ml.pods.find((p) => p.meta.name === "inference")!;
    expect(inference.usesWorkloadIdentity).toBe(true);
    expect(ml.serviceAccounts.find((a) => a.meta.name === "inference")!.workloadIdentity!.clientId).toBe("7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    expect(ml.ingresses[0]).toMatchObject({ ingressClassName: "nginx", rules: [{ paths: [{ serviceName: "inference" }] }] });
    for (const s of [shop, ml, sandbox]) {
      expect(s.secrets.length).toBeGreaterThan(0);
      expect(JSON.stringify(s)).not.toContain("VANTAGE-SECRET-MARKER");
    }
  });
});
