// Fixtures for posture tests: a hardened estate (every control passes or is not applicable) as real
// Kubernetes objects, fed through the same normalizer as manifests and live collection, and
// mutations that each break exactly one thing.
import { stringify } from "yaml";
import type { ClusterFacts, RegistryFacts } from "../../shared/azure/model.js";
import { parseManifestText } from "../../shared/kubernetes/manifests/index.js";
import type { Snapshot } from "../../shared/kubernetes/model.js";
import { SnapshotBuilder } from "../../shared/kubernetes/normalize/builder.js";

type Obj = Record<string, any>;

export function hardenedDeployment(): Obj {
  return {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "api", namespace: "shop", labels: { app: "api" } },
    spec: {
      selector: { matchLabels: { app: "api" } },
      template: {
        metadata: { labels: { app: "api" } },
        spec: {
          serviceAccountName: "api",
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 10001, seccompProfile: { type: "RuntimeDefault" } },
          containers: [
            {
              name: "api",
              image: "contoso.azurecr.io/shop/api:1.2.3",
              ports: [{ containerPort: 8080 }],
              securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
              resources: { limits: { cpu: "500m", memory: "256Mi" }, requests: { cpu: "100m", memory: "128Mi" } },
              volumeMounts: [{ name: "tmp", mountPath: "/tmp" }, { name: "creds", mountPath: "/etc/creds", readOnly: true }],
            },
          ],
          volumes: [{ name: "tmp", emptyDir: {} }, { name: "creds", secret: { secretName: "api-creds" } }],
        },
      },
    },
  };
}

export function hardenedEstate(): Obj[] {
  return [
    { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "default", namespace: "shop" }, automountServiceAccountToken: false },
    { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "shop" }, automountServiceAccountToken: false },
    hardenedDeployment(),
    { apiVersion: "networking.k8s.io/v1", kind: "NetworkPolicy", metadata: { name: "default-deny", namespace: "shop" }, spec: { podSelector: {}, policyTypes: ["Ingress", "Egress"] } },
    {
      apiVersion: "networking.k8s.io/v1", kind: "Ingress", metadata: { name: "api", namespace: "shop" },
      spec: { tls: [{ hosts: ["api.contoso.com"], secretName: "api-tls" }], rules: [{ host: "api.contoso.com", http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "api", port: { number: 80 } } } }] } }] },
    },
    { apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "config-reader", namespace: "shop" }, rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get"] }] },
    {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "api-config-reader", namespace: "shop" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "config-reader" }, subjects: [{ kind: "ServiceAccount", name: "api", namespace: "shop" }],
    },
  ];
}

export const HARDENED_CLUSTER: ClusterFacts = {
  id: "/subscriptions/11111111-1111-4111-8111-111111111111/resourcegroups/rg/providers/microsoft.containerservice/managedclusters/aks1",
  name: "aks1",
  subscriptionId: "11111111-1111-4111-8111-111111111111",
  resourceGroup: "rg",
  kubernetesVersion: "1.30.4",
  privateCluster: true,
  authorizedIpRanges: [],
  publicApiServer: false,
  aadManaged: true,
  azureRbac: true,
  localAccountsDisabled: true,
  nodePools: [{ name: "system", nodePublicIp: false }],
  workloadIdentityEnabled: true,
  enableRBAC: true,
  networkPolicy: "azure",
  kmsEnabled: true,
  defenderEnabled: true,
  azurePolicyEnabled: true,
  upgradeChannel: "patch",
  nodeOsUpgradeChannel: "NodeImage",
};

export const HARDENED_REGISTRY: RegistryFacts = {
  id: "/subscriptions/11111111-1111-4111-8111-111111111111/resourcegroups/rg/providers/microsoft.containerregistry/registries/contoso",
  name: "contoso", subscriptionId: "11111111-1111-4111-8111-111111111111", loginServer: "contoso.azurecr.io",
  adminUserEnabled: false, publicNetworkAccess: "Disabled", anonymousPullEnabled: false,
};

/** Objects → Snapshot through the real normalizer (as `vantage snapshot --manifests` does). */
export function snapshotOf(objects: Obj[] | string, cluster: Partial<ClusterFacts> & { name: string } = { name: "offline" }): Snapshot {
  const text = typeof objects === "string" ? objects : objects.map((o) => stringify(o)).join("---\n");
  const builder = new SnapshotBuilder({ source: "manifests", cluster, collectedAt: "2026-01-01T00:00:00Z", expandTemplates: true });
  for (const o of parseManifestText(text, "fixture.yaml")) builder.add(o.raw, o.kindHint, o.path);
  return builder.build();
}

/** The hardened estate with the Deployment changed by `mutate`. */
export function withDeployment(mutate: (d: Obj, pod: Obj, container: Obj) => void): Obj[] {
  const estate = hardenedEstate();
  const d = estate.find((o) => o.kind === "Deployment")!;
  mutate(d, d.spec.template.spec, d.spec.template.spec.containers[0]);
  return estate;
}
