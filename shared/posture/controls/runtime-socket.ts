import { exposesRuntimeSocket } from "../../kubernetes/pod-security.js";
import type { Control } from "../model.js";
import { judgePods, removeVolumesPatch } from "../resources.js";

export const runtimeSocket: Control = {
  id: "VANTAGE-K8S-RUNTIME-SOCKET",
  title: "Pods must not mount the container runtime socket",
  severity: "critical",
  category: "Host isolation",
  scope: "workload",
  rationale: "The containerd/CRI-O/Docker socket starts privileged containers on the node: whoever reaches it owns the node.",
  remediation: "Remove the hostPath volume; components that need runtime data should use the kubelet's APIs.",
  references: { kubescape: "C-0074" },
  evaluate: ({ snapshot }) =>
    judgePods(snapshot, (pod, unit) => {
      const bad = pod.volumes.filter((v) => v.type === "hostPath" && v.hostPath && exposesRuntimeSocket(v.hostPath.path));
      return bad.length ? { detail: bad.map((v) => `volume ${v.name}: hostPath ${v.hostPath!.path}`).join("; "), fix: removeVolumesPatch(unit.ref.kind, pod, bad.map((v) => v.name)) } : undefined;
    }),
};
