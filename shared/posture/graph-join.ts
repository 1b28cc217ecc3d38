// Posture results on graph nodes, so explorer queries join misconfigurations with exposure, attack
// paths and vulnerabilities: each node a failing result names gets `failingControls` (sorted control
// ids) and `failingControlSeverity` (the worst of their severities). Pure: the caller passes the
// results in (the graph activity reads the cluster's stored ones, the CLI evaluates its input).
//
// Where a result lands: a workload's pod-level and container results on its workload and pod nodes;
// on a container node its own results plus its pod's pod-level ones (hostPID, host paths, … apply to
// every container of the pod); namespace, Service, Ingress, service account, binding and role
// results on the namespace, service, ingress, identity and permission-set nodes; cluster settings
// on the cluster node.
import type { GraphNode } from "../graph/model.js";
import { CONTROL_SEVERITIES, type ControlSeverity, type PostureReport, type ResourceRef } from "./model.js";

export interface FailingResult {
  controlId: string;
  severity: ControlSeverity;
  resource: ResourceRef;
}

/** The failing (not exempted) results of a report, as the join takes them. */
export function failingResults(report: PostureReport): FailingResult[] {
  return report.controls.flatMap((c) => c.failed.map((f) => ({ controlId: c.id, severity: c.severity, resource: f.resource })));
}

type Marks = Map<string, Map<string, ControlSeverity>>;

function add(marks: Marks, key: string, r: FailingResult): void {
  let m = marks.get(key);
  if (!m) marks.set(key, (m = new Map()));
  m.set(r.controlId, r.severity);
}

const RANK = new Map(CONTROL_SEVERITIES.map((s, i) => [s, i]));

function mark(n: GraphNode, ...sources: (Map<string, ControlSeverity> | undefined)[]): boolean {
  const all = new Map<string, ControlSeverity>();
  for (const s of sources) for (const [id, sev] of s ?? []) all.set(id, sev);
  if (!all.size) return false;
  n.properties.failingControls = [...all.keys()].sort();
  n.properties.failingControlSeverity = [...all.values()].sort((a, b) => RANK.get(a)! - RANK.get(b)!)[0];
  return true;
}

/** Adds the properties to the nodes the results name. Mutates the nodes; returns how many were marked. */
export function annotateGraph(nodes: readonly GraphNode[], results: readonly FailingResult[]): number {
  if (!results.length) return 0;
  const workloadAll: Marks = new Map(); // ns/Kind/name → every result of the workload
  const workloadPod: Marks = new Map(); // ns/Kind/name → its pod-level results
  const containers: Marks = new Map(); // ns/Kind/name/container → that container's results
  const objects: Marks = new Map(); // Kind/ns/name → namespaced or cluster objects
  const clusterWide: Marks = new Map(); // cluster settings (one cluster per graph)
  for (const r of results) {
    const { kind, namespace = "", name, container } = r.resource;
    if (kind === "ManagedCluster" || kind === "Cluster") add(clusterWide, "", r);
    else if (kind === "Namespace" || kind === "Service" || kind === "Ingress" || kind === "ServiceAccount" || kind.endsWith("Binding") || kind === "Role" || kind === "ClusterRole") add(objects, `${kind}/${namespace}/${name}`, r);
    else {
      const w = `${namespace}/${kind}/${name}`;
      add(workloadAll, w, r);
      if (container === undefined) add(workloadPod, w, r);
      else add(containers, `${w}/${container}`, r);
    }
  }
  const podWorkload = new Map<string, string>();
  let marked = 0;
  for (const n of nodes) {
    const ns = n.namespace ?? "";
    const p = n.properties;
    let hit = false;
    switch (n.kind) {
      case "workload":
        hit = mark(n, workloadAll.get(`${ns}/${String(p.kind)}/${n.name}`));
        break;
      case "pod": {
        const w = p.workload !== undefined ? `${ns}/${String(p.workloadKind)}/${String(p.workload)}` : `${ns}/Pod/${n.name}`;
        podWorkload.set(`${ns}/${n.name}`, w);
        hit = mark(n, workloadAll.get(w));
        break;
      }
      case "namespace":
        hit = mark(n, objects.get(`Namespace//${n.name}`));
        break;
      case "service":
        hit = mark(n, objects.get(`Service/${ns}/${n.name}`));
        break;
      case "ingress":
        hit = mark(n, objects.get(`Ingress/${ns}/${n.name}`));
        break;
      case "identity":
        if (p.type === "serviceaccount") hit = mark(n, objects.get(`ServiceAccount/${ns}/${n.name}`));
        break;
      case "permissionset": {
        const bns = p.bindingKind === "RoleBinding" ? String(p.namespace ?? "") : "";
        const rns = p.roleKind === "Role" ? String(p.namespace ?? "") : "";
        hit = mark(n, objects.get(`${String(p.bindingKind)}/${bns}/${String(p.binding)}`), objects.get(`${String(p.roleKind)}/${rns}/${String(p.role)}`));
        break;
      }
      case "cluster":
        hit = mark(n, clusterWide.get(""));
        break;
    }
    if (hit) marked++;
  }
  for (const n of nodes) {
    if (n.kind !== "container") continue;
    const w = podWorkload.get(`${n.namespace ?? ""}/${String(n.properties.pod)}`);
    if (w && mark(n, containers.get(`${w}/${n.name}`), workloadPod.get(w))) marked++;
  }
  return marked;
}
