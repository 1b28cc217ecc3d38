// Cluster controls judge ARM facts. Offline manifests carry none, so those controls are not
// assessed there (never passed by default).
import type { ClusterFacts } from "../azure/model.js";
import type { Assessment, PostureInput, ResourceRef } from "./model.js";

export type KnownCluster = Partial<ClusterFacts> & { name: string; resourceGroup: string };

export function armFacts(input: PostureInput): KnownCluster | undefined {
  const c = input.snapshot.cluster;
  return c.id && c.resourceGroup !== undefined ? (c as KnownCluster) : undefined;
}

export function clusterRef(c: { name: string }): ResourceRef {
  return { kind: "ManagedCluster", name: c.name };
}

export function azAksUpdate(c: KnownCluster, flags: string): string {
  return `az aks update --resource-group ${c.resourceGroup} --name ${c.name} ${flags}`;
}

/**
 * One ARM-fact check: `check` returns a failure detail, undefined when the setting is right, or
 * "unknown" when the fact was not recorded (not assessed).
 */
export function judgeCluster(input: PostureInput, check: (c: KnownCluster) => string | undefined | "unknown", fix: (c: KnownCluster) => string): Assessment {
  const c = armFacts(input);
  if (!c) return { status: "not-assessed", reason: "no ARM facts for this cluster (offline manifests or snapshot without discovery)", passed: 0, failed: [] };
  const detail = check(c);
  if (detail === "unknown") return { status: "not-assessed", reason: "the setting is not in the recorded ARM facts", passed: 0, failed: [] };
  return detail ? { passed: 0, failed: [{ resource: clusterRef(c), detail, fix: fix(c) }] } : { passed: 1, failed: [] };
}
