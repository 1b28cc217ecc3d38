// Pod → top-level workload through owner references: Pod → ReplicaSet → Deployment, Pod → Job →
// CronJob, otherwise the pod's own controller. When a ReplicaSet is not in the snapshot (not
// visible, or not in the manifests) the Deployment is recognised by the pod-template-hash suffix.
import type { ObjectMeta, PodInfo, WorkloadInfo } from "./model.js";

function controllerOf(meta: ObjectMeta): { kind: string; name: string } | undefined {
  const refs = meta.ownerReferences;
  return refs.find((r) => r.controller) ?? refs[0];
}

export function resolveWorkloads(pods: PodInfo[], workloads: WorkloadInfo[]): void {
  const byKey = new Map(workloads.map((w) => [`${w.kind}/${w.meta.namespace}/${w.meta.name}`, w]));
  const find = (kind: string, ns: string | undefined, name: string) => byKey.get(`${kind}/${ns}/${name}`);
  for (const pod of pods) {
    if (pod.fromTemplate) continue;
    const owner = controllerOf(pod.meta);
    if (!owner) continue;
    const ns = pod.meta.namespace;
    let top: { kind: string; name: string } = { kind: owner.kind, name: owner.name };
    if (owner.kind === "ReplicaSet" || owner.kind === "Job") {
      const parent = find(owner.kind, ns, owner.name);
      const grand = parent && controllerOf(parent.meta);
      if (grand) top = { kind: grand.kind, name: grand.name };
      else if (!parent && owner.kind === "ReplicaSet") {
        const hash = pod.meta.labels["pod-template-hash"];
        const deployment = hash && owner.name.endsWith(`-${hash}`) ? owner.name.slice(0, -hash.length - 1) : undefined;
        if (deployment && find("Deployment", ns, deployment)) top = { kind: "Deployment", name: deployment };
      }
    }
    pod.workload = top;
  }
}
