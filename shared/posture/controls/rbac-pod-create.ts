import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacPodCreate: Control = {
  id: "VANTAGE-K8S-RBAC-POD-CREATE",
  title: "The right to create pods should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "Whoever can create a pod can run it privileged, mount any Secret or service account of the namespace and escape to the node.",
  remediation: "Remove create on pods (and on workload controllers) from roles that do not deploy workloads.",
  references: { cisAks: "4.1.4", kubescape: "C-0188" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["create"], group: "", resource: "pods" }], "create pods"),
};
