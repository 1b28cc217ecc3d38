import type { Control } from "../model.js";
import { judgePods, podPatch } from "../resources.js";

export const tokenAutomount: Control = {
  id: "VANTAGE-K8S-TOKEN-AUTOMOUNT",
  title: "Service account tokens should be mounted only where needed",
  severity: "medium",
  category: "Identity",
  scope: "workload",
  rationale: "An automounted token hands the pod's Kubernetes identity to anyone who compromises the container.",
  remediation: "Set automountServiceAccountToken: false on the pod (or its service account) unless it calls the Kubernetes API.",
  references: { cisAks: "4.1.6", kubescape: "C-0034", defender: "Kubernetes clusters should disable automounting API credentials" },
  evaluate: ({ snapshot }) => {
    const saAutomount = new Map(snapshot.serviceAccounts.map((s) => [`${s.meta.namespace}/${s.meta.name}`, s.automountServiceAccountToken]));
    return judgePods(snapshot, (pod, unit) => {
      const ns = pod.meta.namespace ?? "default";
      const mounted = pod.automountServiceAccountToken ?? saAutomount.get(`${ns}/${pod.serviceAccountName}`) ?? true;
      if (!mounted) return undefined;
      const why = pod.automountServiceAccountToken === true ? "automountServiceAccountToken: true" : `token of ${pod.serviceAccountName} automounted (neither the pod nor the service account opts out)`;
      return { detail: why, fix: podPatch(unit.ref.kind, { automountServiceAccountToken: false }) };
    });
  },
};
