// The security graph model (CONTRACTS.md §5). Node ids are stable strings so that graphs built from
// different snapshots of the same cluster can be diffed, and so the explorer can address nodes.

export type NodeKind =
  | "cluster"
  | "namespace"
  | "node"
  | "pod"
  | "container"
  | "volume"
  | "endpoint"
  | "service"
  | "ingress"
  | "workload"
  | "identity"
  | "permissionset"
  | "image"
  | "vulnerability"
  | "cloudidentity"
  | "azurescope"
  | "secret";

export interface GraphNode {
  id: string;
  kind: NodeKind;
  name: string;
  namespace?: string;
  properties: Record<string, unknown>;
}

export interface GraphEdge {
  kind: string;
  from: string;
  to: string;
  properties?: Record<string, unknown>;
}

export interface Graph {
  nodes: GraphNode[];
  edges: GraphEdge[];
}

export type Risk = "critical" | "high" | "medium" | "low";

export interface Insight {
  kind: string;
  node: string;
  severity?: Risk;
  evidence?: string;
}

export interface AttackPath {
  id: string;
  title: string;
  risk: Risk;
  entry: string;
  target: string;
  edges: GraphEdge[];
  /** The single change that breaks this path (usually at its choke point). */
  fix?: string;
}

export interface ChokePoint {
  node: string;
  pathsCut: number;
}

export interface PathsReport {
  graph: Graph;
  insights: Insight[];
  paths: AttackPath[];
  chokePoints: ChokePoint[];
  /** True when the snapshot was partial: some kinds were not visible. */
  incomplete?: boolean;
  /** True when path enumeration hit its hop/count/time bound. */
  truncated?: boolean;
  warnings?: string[];
}
