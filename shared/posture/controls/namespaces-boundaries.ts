import type { Control } from "../model.js";
import { namespacesOf, SYSTEM_NAMESPACES } from "../namespaces.js";

export const namespaceBoundaries: Control = {
  id: "VANTAGE-K8S-NAMESPACE-BOUNDARIES",
  title: "Workloads should be separated into namespaces",
  severity: "low",
  category: "Tenancy",
  scope: "cluster",
  rationale: "Namespaces are the unit of RBAC, quotas and NetworkPolicies; a cluster with everything in default has no administrative boundaries.",
  remediation: "Create a namespace per application or team and move workloads there.",
  references: { cisAks: "4.7.1", kubescape: "C-0209" },
  evaluate: ({ snapshot }) => {
    const user = namespacesOf(snapshot).filter((n) => !SYSTEM_NAMESPACES.has(n.name) && n.name !== "default");
    if (!snapshot.pods.length) return { status: "not-applicable", reason: "no workloads", passed: 0, failed: [] };
    return user.length
      ? { passed: 1, failed: [] }
      : { passed: 0, failed: [{ resource: { kind: "Cluster", name: snapshot.cluster.name }, detail: "no namespace besides default and the system namespaces", fix: "kubectl create namespace <app>   # and move each workload into its own namespace" }] };
  },
};
