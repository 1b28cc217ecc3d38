import type { Control } from "../model.js";
import { judgePods } from "../resources.js";

export const defaultNamespace: Control = {
  id: "VANTAGE-K8S-DEFAULT-NAMESPACE",
  title: "Workloads should not run in the default namespace",
  severity: "low",
  category: "Tenancy",
  scope: "workload",
  rationale: "The default namespace is where everything lands by accident; it gets no dedicated RBAC, quotas or NetworkPolicies.",
  remediation: "Move the workload to a namespace of its own (metadata.namespace) with its own RBAC and NetworkPolicies.",
  references: { cisAks: "4.7.3", kubescape: "C-0061", defender: "Kubernetes clusters shouldn't use the default namespace" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) =>
      (pod.meta.namespace ?? "default") === "default" ? { detail: "runs in namespace default", fix: `metadata:\n  name: ${unit.ref.name}\n  namespace: ${unit.ref.name}  # a namespace of its own` } : undefined,
    ),
};
