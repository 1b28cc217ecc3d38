// Typed Table/Blob state of the pipeline: what each table holds and how it is keyed.
import type { ClusterRecord, RegistryFacts, SubscriptionRecord } from "../azure/model.js";
import type { AttackPath, Insight } from "../graph/model.js";
import type { ControlResult, ControlSeverity, ResourceRef } from "../posture/model.js";
import type { Finding, Severity } from "../scanner/model.js";
import { BlobStore, shortDigest, type BlobRef } from "../storage/blobs.js";
import type { StorageConnection } from "../storage/connection.js";
import { TableRepo } from "../storage/tables.js";

export const CONTAINERS = {
  snapshots: "snapshots",
  sboms: "sboms",
  graphs: "graphs",
  feed: "feed",
  layers: "layers",
  pointers: "pointers",
} as const;

export interface RunRecord {
  runId: string;
  kind: "onboard" | "snapshot" | "scan" | "refresh" | "graph" | "offboard";
  subscriptionId?: string;
  startedAt: string;
  finishedAt?: string;
  status: "running" | "succeeded" | "failed" | "partial";
  summary?: Record<string, unknown>;
  error?: string;
}

export interface SnapshotMeta {
  clusterId: string;
  clusterName: string;
  subscriptionId?: string;
  collectedAt: string;
  digest: string;
  blob: BlobRef;
  partial: boolean;
  notVisible: string[];
  counts: Record<string, number>;
  inventoryWrites: number;
}

export interface ImageRecord {
  digest: string;
  /** Every reference the image was seen under (pushed tags, pod image fields). */
  refs: string[];
  registry?: string;
  repository?: string;
  os?: string;
  sbom?: BlobRef;
  packages?: number;
  scannedAt?: string;
  pushedAt?: string;
  lastSeenRunningAt?: string;
  feedVersion?: string;
  counts: Record<Severity | "knownExploited", number>;
  /** Secrets baked into the layers (the findings themselves, redacted, live in the SBOM blob). */
  secrets?: SecretCounts;
  error?: string;
}

export interface SecretCounts {
  total: number;
  critical: number;
  high: number;
  medium: number;
  /** In files a later layer deleted (still in the image). */
  deleted: number;
}

export interface FindingRecord extends Finding {
  digest: string;
  firstSeen: string;
  lastSeen: string;
}

/** One path class of a cluster: its preferred member path plus the class's facts. Row key = class id. */
export interface PathRecord extends AttackPath {
  clusterId: string;
  clusterName: string;
  firstSeen: string;
  lastSeen: string;
  // Class facts (absent on rows written before path classes existed).
  /** Distinct shortest routes of the class (exact); `members` lists the spelled-out ones. */
  count?: number;
  members?: string[];
  entryName?: string;
  targetName?: string;
  entryType?: string;
  targetType?: string;
  hops?: number;
  reachesAzure?: boolean;
  implies?: number;
}

export interface GraphMeta {
  clusterId: string;
  clusterName: string;
  builtAt: string;
  blob: BlobRef;
  nodes: number;
  edges: number;
  paths: number;
  /** Path classes (absent in graphs built before classes existed). */
  classes?: number;
  insights: Insight[];
  incomplete: boolean;
  truncated: boolean;
  /** Digests of the images the cluster runs, and of those running in internet-exposed containers. */
  imageDigests: string[];
  exposedImageDigests: string[];
}

/** One failing or exempted (control, resource) of a cluster; passes are counted in the score row. */
export interface PostureResultRecord {
  clusterId: string;
  clusterName: string;
  subscriptionId: string;
  controlId: string;
  severity: ControlSeverity;
  status: "fail" | "exempted";
  resource: ResourceRef;
  detail?: string;
  fix?: string;
  reason?: string;
  expires?: string;
  firstSeen: string;
}

/** A cluster's posture after one evaluation whose outcome changed: the score history. */
export interface PostureScoreRecord {
  clusterId: string;
  clusterName: string;
  subscriptionId: string;
  snapshotDigest: string;
  collectedAt: string;
  evaluatedAt: string;
  score: number | null;
  controls: (Pick<ControlResult, "id" | "status" | "passed"> & { failed: number; exempted: number; reason?: string })[];
}

export interface InventoryRow {
  kind: string;
  namespace?: string;
  name: string;
  hash: string;
  summary?: Record<string, unknown>;
}

export class PipelineState {
  readonly blobs: BlobStore;
  readonly subscriptions: TableRepo<SubscriptionRecord>;
  readonly clusters: TableRepo<ClusterRecord>;
  readonly registries: TableRepo<RegistryFacts>;
  readonly runs: TableRepo<RunRecord>;
  readonly snapshots: TableRepo<SnapshotMeta>;
  readonly inventory: TableRepo<InventoryRow>;
  readonly images: TableRepo<ImageRecord>;
  readonly findings: TableRepo<FindingRecord>;
  readonly paths: TableRepo<PathRecord>;
  readonly graphs: TableRepo<GraphMeta>;
  readonly postureResults: TableRepo<PostureResultRecord>;
  readonly postureScores: TableRepo<PostureScoreRecord>;
  /** Event ids already handled: duplicates and replays start nothing new. */
  /** Handled Event Grid event ids, each with what was done about it. */
  readonly seenEvents: TableRepo<{ at: string; eventType: string; action?: string; reason?: string; instanceId?: string }>;

  constructor(readonly conn: StorageConnection, prefix = "vantage") {
    const t = (name: string) => `${prefix}${name}`;
    this.blobs = new BlobStore(conn);
    this.subscriptions = new TableRepo(conn, t("Subscriptions"), (s) => ({ state: s.state }));
    this.clusters = new TableRepo(conn, t("Clusters"), (c) => ({ state: c.state, name: c.name }));
    this.registries = new TableRepo(conn, t("Registries"));
    this.runs = new TableRepo(conn, t("Runs"), (r) => ({ kind: r.kind, status: r.status }));
    this.snapshots = new TableRepo(conn, t("Snapshots"));
    this.inventory = new TableRepo(conn, t("Inventory"));
    this.images = new TableRepo(conn, t("Images"));
    this.findings = new TableRepo(conn, t("Findings"), (f) => ({ severity: f.severity, knownExploited: f.exploitability.knownExploited }));
    this.paths = new TableRepo(conn, t("AttackPaths"), (p) => ({ risk: p.risk }));
    this.graphs = new TableRepo(conn, t("Graphs"));
    this.postureResults = new TableRepo(conn, t("PostureResults"), (r) => ({ controlId: r.controlId, severity: r.severity, status: r.status }));
    this.postureScores = new TableRepo(conn, t("PostureScores"));
    this.seenEvents = new TableRepo(conn, t("Events"));
  }
}

/** A cluster's row key: its ARM id, lower-cased (ARM ids are case-insensitive). */
export function clusterKey(id: string): string {
  return id.toLowerCase();
}

/** Where a cluster's snapshots and graphs go in Blob (names are content-addressed below this). */
export function clusterBlobName(clusterId: string): string {
  return `clusters/${shortDigest(clusterId, 16)}`;
}

/** Newest first in a Table partition: keys sort ascending, so invert the time. */
export function invertedTimeKey(iso: string): string {
  return String(8_640_000_000_000_000 - Date.parse(iso)).padStart(16, "0");
}
