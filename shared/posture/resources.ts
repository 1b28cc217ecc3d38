// What workload controls iterate: one unit per workload (a Deployment's pods share one template, so
// they are judged once and reported under the Deployment's own name), and the YAML patches that fix
// them — strategic-merge patches, so containers merge by name (`kubectl patch KIND NAME --patch-file`).
import type { ContainerInfo, PodInfo, Snapshot } from "../kubernetes/model.js";
import type { ResourceRef, Violation } from "./model.js";
import { toYaml } from "./patch-yaml.js";

export interface WorkloadUnit {
  pod: PodInfo;
  ref: ResourceRef;
  labels: Record<string, string>;
  /** One ref per container (index-aligned with pod.containers), shared by every control that fails it. */
  containerRefs: ResourceRef[];
}

const cache = new WeakMap<Snapshot, WorkloadUnit[]>();

// The labels of a workload's refs, for exception selectors: looked up by ref instead of copied onto
// each of the (up to hundreds of thousands of) violations.
const refLabels = new WeakMap<ResourceRef, Record<string, string>>();

/** Labels of a workload or container ref made by workloadUnits (undefined for other refs). */
export function labelsOfRef(ref: ResourceRef): Record<string, string> | undefined {
  return refLabels.get(ref);
}

/** Pods grouped by their top-level workload (bare pods stand for themselves), each indexed once per snapshot. */
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
    const ref: ResourceRef = { kind, namespace, name };
    const labels = { ...pod.meta.labels, ...(workloadLabels.get(key) ?? {}) };
    const containerRefs = pod.containers.map((c): ResourceRef => ({ kind, namespace, name, container: c.name }));
    refLabels.set(ref, labels);
    for (const r of containerRefs) refLabels.set(r, labels);
    byKey.set(key, { pod, ref, labels, containerRefs });
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

// Workloads of one cluster mostly share container names, so equal patches are one string: a
// bounded memo keeps a 30k-pod report from holding hundreds of thousands of copies.
const patches = new Map<string, string>();
const PATCH_MEMO = 20_000;

function memo(key: string, make: () => unknown): string {
  let text = patches.get(key);
  if (text === undefined) {
    text = toYaml(make());
    if (patches.size >= PATCH_MEMO) patches.clear();
    patches.set(key, text);
  }
  return text;
}

/** A patch setting fields of the pod spec (hostPID: false, automountServiceAccountToken: false, …). */
export function podPatch(kind: string, fields: Record<string, unknown>): string {
  return memo(`${kind}\u0000${JSON.stringify(fields)}`, () => nest(podSpecPath(kind), fields));
}

/** A patch setting fields of one container (merged by name). */
export function containerPatch(kind: string, c: ContainerInfo, fields: Record<string, unknown>): string {
  // The key is built without the wrapper objects: they are only made when the text is not known yet.
  return memo(`${kind}\u0000${c.kind}\u0000${c.name}\u0000${JSON.stringify(fields)}`, () => nest(podSpecPath(kind), { [LIST_OF[c.kind]]: [{ name: c.name, ...fields }] }));
}

/** A patch setting pod-spec fields and fields of one container together (both merged as above). */
export function podAndContainerPatch(kind: string, podFields: Record<string, unknown>, c: ContainerInfo, fields: Record<string, unknown>): string {
  return memo(`${kind}\u0000${JSON.stringify(podFields)}\u0000${c.kind}\u0000${c.name}\u0000${JSON.stringify(fields)}`, () => nest(podSpecPath(kind), { ...podFields, [LIST_OF[c.kind]]: [{ name: c.name, ...fields }] }));
}

/**
 * A patch deleting volumes and every mount of them (volumeMounts merge by mountPath): deleting the
 * volume alone leaves mounts of a missing volume, which the API server rejects.
 */
export function removeVolumesPatch(kind: string, pod: PodInfo, names: readonly string[]): string {
  const gone = new Set(names);
  const fields: Record<string, unknown> = { volumes: names.map((name) => ({ name, $patch: "delete" })) };
  for (const c of pod.containers) {
    if (c.kind === "ephemeral") continue; // not patchable through the workload
    const mounts = c.volumeMounts.filter((m) => gone.has(m.name));
    if (!mounts.length) continue;
    const list = LIST_OF[c.kind];
    fields[list] = [...((fields[list] as unknown[]) ?? []), { name: c.name, volumeMounts: mounts.map((m) => ({ mountPath: m.mountPath, $patch: "delete" })) }];
  }
  return podPatch(kind, fields);
}

export function containerRef(unit: WorkloadUnit, c: ContainerInfo): ResourceRef {
  const i = unit.pod.containers.indexOf(c);
  return i >= 0 ? unit.containerRefs[i]! : { ...unit.ref, container: c.name };
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
    const containers = unit.pod.containers;
    for (let i = 0; i < containers.length; i++) {
      const bad = check(unit.pod, containers[i]!, unit);
      if (bad) failed.push({ resource: unit.containerRefs[i]!, detail: bad.detail, fix: bad.fix });
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
    if (bad) failed.push({ resource: unit.ref, detail: bad.detail, fix: bad.fix });
    else passed++;
  }
  return { passed, failed };
}
