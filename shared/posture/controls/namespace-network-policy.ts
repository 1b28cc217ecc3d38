import type { Control, Violation } from "../model.js";
import { namespacesOf, SYSTEM_NAMESPACES } from "../namespaces.js";

export const namespaceNetworkPolicy: Control = {
  id: "VANTAGE-K8S-NAMESPACE-NETWORK-POLICY",
  title: "Every namespace should have a NetworkPolicy",
  severity: "medium",
  category: "Network",
  scope: "namespace",
  rationale: "Pods no NetworkPolicy selects accept traffic from every pod in the cluster: one compromised workload reaches all the others.",
  remediation: "Add a default-deny policy to the namespace, then allow the flows it needs.",
  references: { cisAks: "4.4.2", kubescape: "C-0206" },
  evaluate: ({ snapshot }) => {
    if (snapshot.notVisible.includes("networkPolicies")) return { status: "not-assessed", reason: "NetworkPolicies were not visible to the snapshot", passed: 0, failed: [] };
    const withPolicy = new Set(snapshot.networkPolicies.map((p) => p.meta.namespace ?? "default"));
    let passed = 0;
    const failed: Violation[] = [];
    for (const ns of namespacesOf(snapshot)) {
      if (SYSTEM_NAMESPACES.has(ns.name)) continue;
      if (withPolicy.has(ns.name)) passed++;
      else
        failed.push({
          resource: { kind: "Namespace", name: ns.name },
          labels: ns.labels,
          detail: "no NetworkPolicy in the namespace",
          fix: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: default-deny\n  namespace: ${ns.name}\nspec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]`,
        });
    }
    return passed + failed.length ? { passed, failed } : { status: "not-applicable", reason: "no user namespaces", passed: 0, failed: [] };
  },
};
