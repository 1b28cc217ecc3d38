import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

export const hostNetwork: Control = {
  id: "VANTAGE-K8S-HOST-NETWORK",
  title: "Pods must not share the host's network namespace",
  severity: "high",
  category: "Host isolation",
  scope: "workload",
  rationale: "The host network namespace bypasses NetworkPolicies, reaches node-local services (kubelet, IMDS) and can sniff node traffic.",
  remediation: "Remove hostNetwork (or set it to false).",
  references: { cisAks: "4.2.4", kubescape: "C-0041", pss: "baseline", defender: "Usage of host networking and ports should be restricted" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => (pod.hostNetwork ? { detail: "hostNetwork: true", fix: podPatch(unit.ref.kind, { hostNetwork: false }) } : undefined)),
};
