// Assembles normalized objects into one Snapshot. Pure: used by the offline manifests reader and by
// live collection alike, so both produce the same model from the same objects.
import { emptySnapshot, type PodInfo, type Snapshot, type SnapshotCluster, type SnapshotKind, type WorkloadInfo } from "../model.js";
import { resolveAggregation } from "../aggregation.js";
import { resolveWorkloads } from "../ownership.js";
import { normalizeObject, type NormalizedObject } from "./objects.js";

export interface SnapshotBuilderOptions {
  source: Snapshot["source"];
  cluster: SnapshotCluster;
  collectedAt: string;
  /** Offline manifests: each workload template becomes one pod named after the workload (docs/graph.md). */
  expandTemplates: boolean;
}

export class SnapshotBuilder {
  private readonly snapshot: Snapshot;
  private readonly templates: { workload: WorkloadInfo; pod: PodInfo }[] = [];
  private readonly ignored = new Map<string, number>();

  constructor(private readonly options: SnapshotBuilderOptions) {
    this.snapshot = emptySnapshot(options.cluster, options.source, options.collectedAt);
  }

  /**
   * Adds one raw object. `kindHint` names the kind when the object omits it (items of typed lists);
   * `path` prefixes error paths (e.g. `items[3]`). Throws ShapeError for malformed known kinds.
   */
  add(raw: unknown, kindHint?: string, path = ""): void {
    const n = normalizeObject(raw, kindHint, path);
    if (!n) {
      const kind = (raw as { kind?: unknown }).kind ?? kindHint;
      this.ignored.set(String(kind), (this.ignored.get(String(kind)) ?? 0) + 1);
      return;
    }
    this.addNormalized(n);
  }

  /** Adds an object normalized earlier (live collection normalizes page by page). */
  addNormalized(n: NormalizedObject): void {
    if (n.into === "workloads") {
      this.snapshot.workloads.push(n.value);
      this.templates.push({ workload: n.value, pod: n.template });
      return;
    }
    (this.snapshot[n.into] as unknown[]).push(n.value);
  }

  notVisible(kind: SnapshotKind, warning: string): void {
    if (!this.snapshot.notVisible.includes(kind)) this.snapshot.notVisible.push(kind);
    this.snapshot.partial = true;
    this.warn(warning);
  }

  warn(message: string): void {
    this.snapshot.warnings.push(message);
  }

  build(): Snapshot {
    const s = this.snapshot;
    if (this.options.expandTemplates) this.expandTemplates();
    resolveWorkloads(s.pods, s.workloads);
    resolveAggregation(s.roles);
    if (this.ignored.size) {
      const kinds = [...this.ignored].map(([k, n]) => `${k} (${n})`).join(", ");
      s.warnings.push(`ignored objects of kinds the snapshot does not model: ${kinds}`);
    }
    return s;
  }

  private expandTemplates(): void {
    const s = this.snapshot;
    const workloads = new Set(s.workloads.map((w) => `${w.kind}/${w.meta.namespace}/${w.meta.name}`));
    const podNames = new Set(s.pods.map((p) => `${p.meta.namespace}/${p.meta.name}`));
    for (const { workload, pod } of this.templates) {
      // A ReplicaSet owned by a Deployment in the same input (or a Job owned by a CronJob) is the
      // same template twice: the owner's pod stands for it.
      const owner = workload.meta.ownerReferences.find((o) => o.controller) ?? workload.meta.ownerReferences[0];
      if (owner && workloads.has(`${owner.kind}/${workload.meta.namespace}/${owner.name}`)) continue;
      const id = `${pod.meta.namespace}/${pod.meta.name}`;
      if (podNames.has(id)) {
        s.warnings.push(`${workload.kind} ${id}: a pod named ${id} already exists; its template was not expanded`);
        continue;
      }
      podNames.add(id);
      s.pods.push(pod);
    }
  }
}
