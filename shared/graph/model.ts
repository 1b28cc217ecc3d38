// The security graph model (docs/graph.md). Node ids are stable strings so that graphs built from
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
  | "secret"
  | "secretfinding";

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

/** A change in plain words, and where: the graph node of the object to edit and the field in it. */
export interface Fix {
  text: string;
  object: string;
  field: string;
}

/** A path step: the edge, and the facts that make it hold (rule and binding, host path, CVE, …). */
export interface PathEdge extends GraphEdge {
  /** Always set by the builder; absent only in paths stored before evidence existed. */
  evidence?: string[];
}

export interface AttackPath {
  id: string;
  title: string;
  risk: Risk;
  entry: string;
  target: string;
  edges: PathEdge[];
  /** The class this path is a member of. */
  classId?: string;
  /** The single change that breaks this path (at its most shared step). */
  fix?: Fix;
  /** Caveats, e.g. "Azure permissions unknown: …". */
  notes?: string[];
}

/**
 * Paths with the same title, entry and target: the distinct shortest routes between them. `count`
 * is exact; `paths` lists at most a bounded number of members (`count - paths.length` more exist).
 */
export interface PathClass {
  id: string;
  title: string;
  risk: Risk;
  entry: string;
  target: string;
  entryName: string;
  targetName: string;
  entryType: string;
  targetType: string;
  count: number;
  paths: string[];
  hops: number;
  fix?: Fix;
  /** The class ends in Azure (an Azure scope, or an Azure identity). */
  reachesAzure: boolean;
  notes?: string[];
  /** For a cluster-admin class: how many further targets it implies (reached only through it). */
  implies?: number;
}

export interface ChokePoint {
  node: string;
  pathsCut: number;
  /** Classes every one of whose routes passes this node. */
  classesCut?: number;
}

/** One change and how many classes it removes entirely (every member route broken). */
export interface FixImpact extends Fix {
  classesCut: number;
  pathsCut: number;
}

export interface PathsReport {
  graph: Graph;
  insights: Insight[];
  paths: AttackPath[];
  /** Always set by the builder; absent only in graphs stored before classes existed. */
  pathClasses?: PathClass[];
  chokePoints: ChokePoint[];
  /** The changes that remove the most classes, best first. */
  fixes?: FixImpact[];
  /** True when the snapshot was partial: some kinds were not visible. */
  incomplete?: boolean;
  /** True when path enumeration hit its hop/count/time bound. */
  truncated?: boolean;
  warnings?: string[];
}

/** What the builder returns: classes and fixes always present. */
export type BuiltPathsReport = PathsReport & Required<Pick<PathsReport, "pathClasses" | "fixes">>;
