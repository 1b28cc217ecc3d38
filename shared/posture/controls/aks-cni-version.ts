import type { Control } from "../model.js";

// CIS AKS 4.4.1 asks for the latest CNI version. AKS ships the CNI plugin with the node image, and
// which image is the latest is a per-region release fact Vantage does not read: listed, never passed.
export const aksCniVersion: Control = {
  id: "VANTAGE-AKS-CNI-VERSION",
  title: "The latest CNI plugin version should be used",
  severity: "low",
  category: "Network",
  scope: "cluster",
  rationale: "CNI plugin fixes (policy enforcement, isolation bugs) reach nodes only with newer node images.",
  remediation: "Keep node images current: az aks nodepool upgrade --node-image-only, or the NodeImage / SecurityPatch node OS upgrade channel.",
  references: { cisAks: "4.4.1", kubescape: "C-0205" },
  evaluate: () => ({ status: "not-assessed", reason: "the CNI plugin comes with the node image; whether it is the latest needs the region's node image releases, which Vantage does not read", passed: 0, failed: [] }),
};
