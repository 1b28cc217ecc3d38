import type { Control } from "../model.js";
import { judgeBindings } from "../rbac-facts.js";

export const rbacNodesProxy: Control = {
  id: "VANTAGE-K8S-RBAC-NODES-PROXY",
  title: "Access to the nodes/proxy subresource should be minimized",
  severity: "high",
  category: "RBAC",
  scope: "rbac",
  rationale: "nodes/proxy reaches the kubelet API directly: exec into any pod on the node, bypassing admission and audit.",
  remediation: "Remove nodes/proxy from roles outside monitoring components that strictly need it.",
  references: { cisAks: "4.1.9", kubescape: "C-0279" },
  evaluate: ({ snapshot }) => judgeBindings(snapshot, [{ verbs: ["get", "create"], group: "", resource: "nodes", subresource: "proxy" }], "nodes/proxy"),
};
