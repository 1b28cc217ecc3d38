// What workload controls iterate: one unit per workload (a Deployment's pods share one template, so
// they are judged once and reported under the Deployment's own name), and the YAML patches that fix
// them — strategic-merge patches, so containers merge by name (`kubectl patch KIND NAME --patch-file`).
import { stringify } from "yaml";
import type { ContainerInfo, PodInfo, Snapshot } from "../kubernetes/model.js";
import type { ResourceRef, Violation } from "./model.js";

export interface WorkloadUnit {
  pod: PodInfo;
  ref: ResourceRef;
  labels: Record<string, string>;
}

const cache = new WeakMap<Snapshot, WorkloadUnit[]>();

/** Pods grouped by their top-level workload (bare pods stand for themselves); memoized per snapshot. */
export function workloadUnits(snapshot: Snapshot): WorkloadUnit[] {
  const hit = cache.get(snapshot);
  if (hit) return hit;
  const byKey = new Map<string, WorkloadUnit>();
  const workloadLabels = new Map(snapshot.workloads.map((w) => [`${w.kind}/${w.meta.namespace}/${w.meta.name}`, w.meta.labels]));
  for (const pod of snapshot.pods) {
    const namespace = pod.meta.namespace ?? "default";
    const kind = pod.workload?.kind ?? "Pod";
    const name = pod.workload?.name ?? pod.meta.name;
    const key = `${kind}/${namespace}/${name}`;
    if (byKey.has(key)) continue;
    byKey.set(key, { pod, ref: { kind, namespace, name }, labels: { ...pod.meta.labels, ...(workloadLabels.get(key) ?? {}) } });
  }
  const units = [...byKey.values()];
  cache.set(snapshot, units);
  return units;
}

/** Where the pod spec sits inside an object of this kind. */
export function podSpecPath(kind: string): string[] {
  if (kind === "Pod") return ["spec"];
  if (kind === "CronJob") return ["spec", "jobTemplate", "spec", "template", "spec"];
  return ["spec", "template", "spec"];
}

function nest(path: string[], leaf: unknown): unknown {
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), leaf);
}

const LIST_OF: Record<ContainerInfo["kind"], string> = { container: "containers", init: "initContainers", ephemeral: "ephemeralContainers" };

/** A patch setting fields of the pod spec (hostPID: false, automountServiceAccountToken: false, …). */
export function podPatch(kind: string, fields: Record<string, unknown>): string {
  return stringify(nest(podSpecPath(kind), fields)).trimEnd();
}

/** A patch setting fields of one container (merged by name). */
export function containerPatch(kind: string, c: ContainerInfo, fields: Record<string, unknown>): string {
  return podPatch(kind, { [LIST_OF[c.kind]]: [{ name: c.name, ...fields }] });
}

export function containerRef(unit: WorkloadUnit, c: ContainerInfo): ResourceRef {
  return { ...unit.ref, container: c.name };
}

/**
 * The common shape of container checks: every container of every workload is judged by `check`,
 * which returns the failure's detail and fix, or undefined when the container passes.
 */
export function judgeContainers(
  snapshot: Snapshot,
  check: (pod: PodInfo, c: ContainerInfo, unit: WorkloadUnit) => { detail: string; fix: string } | undefined,
): { passed: number; failed: Violation[] } {
  let passed = 0;
  const failed: Violation[] = [];
  for (const unit of workloadUnits(snapshot)) {
    for (const c of unit.pod.containers) {
      const bad = check(unit.pod, c, unit);
      if (bad) failed.push({ resource: containerRef(unit, c), labels: unit.labels, ...bad });
      else passed++;
    }
  }
  return { passed, failed };
}

/** The same for pod-level checks (host namespaces, volumes, sysctls, …). */
export function judgePods(
  snapshot: Snapshot,
  check: (pod: PodInfo, unit: WorkloadUnit) => { detail: string; fix: string } | undefined,
): { passed: number; failed: Violation[] } {
  let passed = 0;
  const failed: Violation[] = [];
  for (const unit of workloadUnits(snapshot)) {
    const bad = check(unit.pod, unit);
    if (bad) failed.push({ resource: unit.ref, labels: unit.labels, ...bad });
    else passed++;
  }
  return { passed, failed };
}
