// Posture per cluster: after every snapshot and every ARM discovery, evaluate the catalog on the
// latest snapshot with the cluster's current ARM facts. Failing and exempted (control, resource)
// pairs live in Table with their first-seen time; only what changed is written (an unchanged
// cluster costs zero writes) and resolved ones are removed. A score row is added only when the
// outcome changed, which makes the score history.
import { parseSubscriptionId, subscriptionOf } from "../azure/ids.js";
import type { ClusterRecord } from "../azure/model.js";
import { ensureError, InputError } from "../errors.js";
import { inStandard } from "../posture/evaluate.js";
import { postureIsolated } from "../isolation/index.js";
import { parseExceptions, type PostureException } from "../posture/exceptions.js";
import { resourcePath } from "../posture/format/resource.js";
import { CATALOG } from "../posture/catalog.js";
import { combinedScore, postureScore } from "../posture/score.js";
import { CONTROL_SEVERITIES, STANDARDS, type ControlResult, type ControlStatus, type PostureReport, type Standard } from "../posture/model.js";
import { allows, ALL, type Scope } from "./access.js";
import type { Dependencies } from "./dependencies.js";
import { ACTIVITIES } from "./names.js";
import { invertedTimeKey, type PostureResultRecord, type PostureScoreRecord } from "./state.js";

export interface PostureActivityResult {
  ok: boolean;
  clusterId: string;
  controls?: number;
  failed?: number;
  score?: number | null;
  /** Table rows written (upserts + deletes) for results, and whether a score row was added. */
  writes?: number;
  historyAdded?: boolean;
  error?: string;
}

/** Exceptions documents are small lists; a bigger blob is refused rather than parsed. */
export const EXCEPTIONS_BLOB_MAX_BYTES = 1024 * 1024;

async function readExceptionsBlob(deps: Dependencies, spec: string): Promise<string> {
  const where = `VANTAGE_POSTURE_EXCEPTIONS_BLOB ${spec}`;
  const slash = spec.indexOf("/");
  if (slash <= 0 || slash === spec.length - 1) throw new InputError(`${where}: expected "container/path/to/exceptions.yaml"`);
  const blob = deps.storage.blobService.getContainerClient(spec.slice(0, slash)).getBlockBlobClient(spec.slice(slash + 1));
  let size: number;
  try {
    size = (await blob.getProperties()).contentLength ?? 0;
  } catch (err) {
    const status = (err as { statusCode?: number }).statusCode;
    throw new InputError(`${where}: ${status === 404 ? "no such blob" : `cannot be read (${ensureError(err).message.split("\n")[0]})`}`);
  }
  if (size > EXCEPTIONS_BLOB_MAX_BYTES) throw new InputError(`${where}: ${size} bytes, more than the ${EXCEPTIONS_BLOB_MAX_BYTES} an exceptions document may have`);
  return (await blob.downloadToBuffer(0, size || undefined)).toString("utf8");
}

/**
 * The exceptions in force: the VANTAGE_POSTURE_EXCEPTIONS document, or the blob
 * VANTAGE_POSTURE_EXCEPTIONS_BLOB names. A malformed or unreadable one is an InputError (one line).
 */
export async function configuredExceptions(deps: Dependencies): Promise<PostureException[]> {
  const { exceptions: text, exceptionsBlob } = deps.config.posture ?? {};
  if (text && exceptionsBlob) throw new InputError("set VANTAGE_POSTURE_EXCEPTIONS or VANTAGE_POSTURE_EXCEPTIONS_BLOB, not both");
  if (exceptionsBlob) return parseExceptions(await readExceptionsBlob(deps, exceptionsBlob), `VANTAGE_POSTURE_EXCEPTIONS_BLOB ${exceptionsBlob}`);
  return text ? parseExceptions(text, "VANTAGE_POSTURE_EXCEPTIONS") : [];
}

function armFactsOf(record: ClusterRecord) {
  const { state: _s, strategy: _st, reason: _r, remediation: _m, errorCode: _e, roleAssignmentId: _a, trustedAccessBindingId: _t, lastSnapshotAt: _l, lastSnapshotDigest: _d, ...facts } = record;
  return facts;
}

/** Everything but the first-seen time: what makes a stored result "changed". */
function comparable(r: Omit<PostureResultRecord, "firstSeen">): string {
  return JSON.stringify([r.clusterName, r.subscriptionId, r.controlId, r.severity, r.status, r.resource, r.detail ?? "", r.fix ?? "", r.reason ?? "", r.expires ?? ""]);
}

export function resultKey(controlId: string, r: ControlResult["failed"][number]["resource"]): string {
  return `${controlId}|${resourcePath(r)}`;
}

/** The posture activity, keyed by its function name. */
export function postureActivities(deps: Dependencies) {
  return { [ACTIVITIES.evaluatePosture]: (input: { clusterId: string }) => evaluatePostureActivity(deps, input) };
}

export async function evaluatePostureActivity(deps: Dependencies, input: { clusterId: string }): Promise<PostureActivityResult> {
  const { state, config } = deps;
  const clusterId = input.clusterId.toLowerCase();
  try {
    const exceptions = await configuredExceptions(deps);
    const latest = await deps.snapshots.latest(clusterId);
    if (!latest) return { ok: false, clusterId, error: "no snapshot yet" };
    const subscriptionId = parseSubscriptionId(subscriptionOf(clusterId) ?? "");
    // The freshest ARM facts: discovery may have run after the snapshot was taken.
    const record = (await state.clusters.get(subscriptionId, clusterId))?.value;
    const snapshot = record ? { ...latest.snapshot, cluster: { ...latest.snapshot.cluster, ...armFactsOf(record), id: clusterId } } : latest.snapshot;
    const registries = (await state.registries.all({ partitionKey: "registry" })).map((r) => r.value).filter((r) => r.subscriptionId.toLowerCase() === subscriptionId);
    const trustedRegistries = config.posture?.trustedRegistries ?? [...registries.map((r) => r.loginServer.toLowerCase()), "mcr.microsoft.com"];
    const now = new Date();
    // Off the host thread: a cluster's snapshot is as hostile as any other input.
    const report = await postureIsolated(
      { snapshot, registries, options: { trustedRegistries, supportedKubernetesVersions: config.posture?.supportedKubernetesVersions, allowedServicePorts: config.posture?.allowedServicePorts } },
      { exceptions, now, context: { cluster: snapshot.cluster.name, subscriptionId } },
    );

    const nowIso = now.toISOString();
    const base = { clusterId, clusterName: snapshot.cluster.name, subscriptionId };
    const desired = new Map<string, Omit<PostureResultRecord, "firstSeen">>();
    for (const c of report.controls) {
      for (const f of c.failed) desired.set(resultKey(c.id, f.resource), { ...base, controlId: c.id, severity: c.severity, status: "fail", resource: f.resource, detail: f.detail, fix: f.fix });
      for (const e of c.exempted) desired.set(resultKey(c.id, e.resource), { ...base, controlId: c.id, severity: c.severity, status: "exempted", resource: e.resource, reason: e.reason, ...(e.expires ? { expires: e.expires } : {}) });
    }
    const existing = new Map((await state.postureResults.all({ partitionKey: clusterId })).map((r) => [r.rowKey, r.value]));
    const upserts: { partitionKey: string; rowKey: string; value: PostureResultRecord }[] = [];
    for (const [key, value] of desired) {
      const prev = existing.get(key);
      existing.delete(key);
      if (prev && comparable(prev) === comparable(value)) continue;
      upserts.push({ partitionKey: clusterId, rowKey: key, value: { ...value, firstSeen: prev?.firstSeen ?? nowIso } });
    }
    const deletes = [...existing.keys()].map((rowKey) => ({ partitionKey: clusterId, rowKey }));
    if (upserts.length || deletes.length) await state.postureResults.writeBatch({ upserts, deletes });

    const summary: PostureScoreRecord["controls"] = report.controls.map((c) => ({ id: c.id, status: c.status, passed: c.passed, failed: c.failed.length, exempted: c.exempted.length, ...(c.reason ? { reason: c.reason } : {}) }));
    const [newest] = await state.postureScores.all({ partitionKey: clusterId, filter: undefined }).then((rows) => rows.slice(0, 1));
    const changed = !newest || newest.value.snapshotDigest !== latest.pointer.digest || newest.value.score !== report.score || JSON.stringify(newest.value.controls) !== JSON.stringify(summary);
    if (changed) {
      await state.postureScores.upsert(clusterId, invertedTimeKey(nowIso), { ...base, snapshotDigest: latest.pointer.digest, collectedAt: snapshot.collectedAt, evaluatedAt: nowIso, score: report.score, controls: summary });
    }
    return { ok: true, clusterId, controls: report.controls.length, failed: report.controls.filter((c) => c.status === "fail").length, score: report.score, writes: upserts.length + deletes.length, historyAdded: changed };
  } catch (err) {
    return { ok: false, clusterId, error: ensureError(err).message };
  }
}

// ---- read model: recommendations, compliance, exceptions ------------------------------------------

export interface RecommendationFilter {
  cluster?: string;
  severity?: string;
  control?: string;
  status?: string;
}

export interface Recommendation {
  id: string;
  title: string;
  severity: ControlResult["severity"];
  category: string;
  scope: ControlResult["scope"];
  references: ControlResult["references"];
  rationale: string;
  remediation: string;
  /** Worst status over the selected clusters (fail > error > pass > not-assessed > not-applicable). */
  status: ControlStatus;
  passed: number;
  failedCount: number;
  exemptedCount: number;
  clusters: { clusterId: string; clusterName: string; status: ControlStatus; passed: number; failed: number; exempted: number; reason?: string }[];
  failed: (PostureResultRecord & { lastSeen: string })[];
  exempted: (PostureResultRecord & { lastSeen: string })[];
}

const STATUS_ORDER: ControlStatus[] = ["fail", "error", "pass", "not-assessed", "not-applicable"];

function listOf(name: string, raw: string | undefined, allowed: readonly string[]): string[] | undefined {
  if (!raw) return undefined;
  const list = raw.split(",").map((s) => s.trim()).filter(Boolean);
  for (const v of list) if (!allowed.includes(v)) throw new InputError(`${name} must be one of ${allowed.join(", ")} (got "${v}")`);
  return list;
}

/** Latest score row of every cluster the scope may see. */
async function latestScores(deps: Dependencies, scope: Scope, cluster?: string): Promise<PostureScoreRecord[]> {
  const rows = (await deps.state.postureScores.all()).map((r) => r.value).filter((s) => allows(scope, s.subscriptionId));
  const newest = new Map<string, PostureScoreRecord>();
  for (const r of rows) {
    const cur = newest.get(r.clusterId);
    if (!cur || r.evaluatedAt > cur.evaluatedAt) newest.set(r.clusterId, r);
  }
  const needle = cluster?.toLowerCase();
  return [...newest.values()].filter((s) => !needle || s.clusterName.toLowerCase() === needle || s.clusterId === needle).sort((a, b) => a.clusterName.localeCompare(b.clusterName));
}

export async function listRecommendations(deps: Dependencies, filter: RecommendationFilter = {}, scope: Scope = ALL): Promise<Recommendation[]> {
  const severities = listOf("severity", filter.severity, CONTROL_SEVERITIES);
  const statuses = listOf("status", filter.status, ["pass", "fail", "not-applicable", "not-assessed", "error", "exempted"]);
  const controlIds = filter.control ? filter.control.split(",").map((s) => s.trim().toUpperCase()) : undefined;
  if (controlIds) for (const id of controlIds) if (!CATALOG.some((c) => c.id === id)) throw new InputError(`control "${id}" is not in the catalog`);
  const scores = await latestScores(deps, scope, filter.cluster);
  const clusters = new Set(scores.map((s) => s.clusterId));
  const lastSeen = new Map(scores.map((s) => [s.clusterId, s.evaluatedAt]));
  const rows = (await deps.state.postureResults.all()).map((r) => r.value).filter((r) => clusters.has(r.clusterId));
  const out: Recommendation[] = [];
  for (const def of CATALOG) {
    if (severities && !severities.includes(def.severity)) continue;
    if (controlIds && !controlIds.includes(def.id)) continue;
    const per = scores.flatMap((s) => s.controls.filter((c) => c.id === def.id).map((c) => ({ clusterId: s.clusterId, clusterName: s.clusterName, status: c.status, passed: c.passed, failed: c.failed, exempted: c.exempted, ...(c.reason ? { reason: c.reason } : {}) })));
    if (!per.length) continue;
    const mine = rows.filter((r) => r.controlId === def.id).map((r) => ({ ...r, lastSeen: lastSeen.get(r.clusterId) ?? r.firstSeen }));
    const status = STATUS_ORDER.find((s) => per.some((p) => p.status === s)) ?? "not-applicable";
    const rec: Recommendation = {
      id: def.id, title: def.title, severity: def.severity, category: def.category, scope: def.scope, references: def.references,
      rationale: def.rationale, remediation: def.remediation, status,
      passed: per.reduce((n, p) => n + p.passed, 0), failedCount: per.reduce((n, p) => n + p.failed, 0), exemptedCount: per.reduce((n, p) => n + p.exempted, 0),
      clusters: per, failed: mine.filter((r) => r.status === "fail"), exempted: mine.filter((r) => r.status === "exempted"),
    };
    if (statuses && !statuses.some((s) => (s === "exempted" ? rec.exemptedCount > 0 : per.some((p) => p.status === s)))) continue;
    out.push(rec);
  }
  const rank = (s: string) => CONTROL_SEVERITIES.indexOf(s as (typeof CONTROL_SEVERITIES)[number]);
  return out.sort((a, b) => STATUS_ORDER.indexOf(a.status) - STATUS_ORDER.indexOf(b.status) || rank(a.severity) - rank(b.severity) || b.failedCount - a.failedCount || a.id.localeCompare(b.id));
}

export interface ComplianceView {
  standard: Standard;
  clusters: { clusterId: string; clusterName: string; subscriptionId: string; score: number | null; evaluatedAt: string; controls: { pass: number; fail: number; notApplicable: number; notAssessed: number; error: number }; history: { evaluatedAt: string; collectedAt: string; snapshotDigest: string; score: number | null }[] }[];
  subscriptions: { subscriptionId: string; score: number | null; clusters: number }[];
}

/** Scores per cluster and subscription for a standard, each cluster with its score history (oldest first). */
export async function compliance(deps: Dependencies, standardRaw: string | undefined, scope: Scope = ALL): Promise<ComplianceView> {
  const standard = (standardRaw ?? "all") as Standard;
  if (!STANDARDS.includes(standard)) throw new InputError(`standard must be one of ${STANDARDS.join(", ")} (got "${standardRaw}")`);
  const defs = new Map(CATALOG.map((c) => [c.id, c]));
  const inStd = (id: string) => {
    const d = defs.get(id);
    return d !== undefined && inStandard(d, standard);
  };
  const toResults = (s: PostureScoreRecord) =>
    s.controls.filter((c) => inStd(c.id)).map((c) => ({ id: c.id, status: c.status, severity: defs.get(c.id)!.severity, passed: c.passed, failed: new Array<unknown>(c.failed).fill(0) as PostureReport["controls"][number]["failed"] }));
  const all = (await deps.state.postureScores.all()).map((r) => r.value).filter((s) => allows(scope, s.subscriptionId));
  const byCluster = new Map<string, PostureScoreRecord[]>();
  for (const r of all) byCluster.set(r.clusterId, [...(byCluster.get(r.clusterId) ?? []), r]);
  const clusters: ComplianceView["clusters"] = [];
  const latestBySub = new Map<string, { controls: ReturnType<typeof toResults> }[]>();
  for (const [clusterId, rows] of byCluster) {
    rows.sort((a, b) => a.evaluatedAt.localeCompare(b.evaluatedAt));
    const latest = rows[rows.length - 1]!;
    const results = toResults(latest);
    const count = (st: ControlStatus) => results.filter((r) => r.status === st).length;
    clusters.push({
      clusterId, clusterName: latest.clusterName, subscriptionId: latest.subscriptionId, score: postureScore(results), evaluatedAt: latest.evaluatedAt,
      controls: { pass: count("pass"), fail: count("fail"), notApplicable: count("not-applicable"), notAssessed: count("not-assessed"), error: count("error") },
      history: rows.map((r) => ({ evaluatedAt: r.evaluatedAt, collectedAt: r.collectedAt, snapshotDigest: r.snapshotDigest, score: standard === "all" ? r.score : postureScore(toResults(r)) })),
    });
    latestBySub.set(latest.subscriptionId, [...(latestBySub.get(latest.subscriptionId) ?? []), { controls: results }]);
  }
  clusters.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId) || a.clusterName.localeCompare(b.clusterName));
  const subscriptions = [...latestBySub].map(([subscriptionId, reps]) => ({ subscriptionId, score: combinedScore(reps), clusters: reps.length })).sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
  return { standard, clusters, subscriptions };
}

/** The configured exceptions, each with whether it has expired. */
export async function listExceptions(deps: Dependencies, now = new Date()): Promise<(PostureException & { expired: boolean })[]> {
  return (await configuredExceptions(deps)).map((e) => ({ ...e, expired: e.expires !== undefined && Date.parse(e.expires) <= now.getTime() }));
}

/** Posture of the run for the `--once --json` summary: catalog size, failing controls, mean cluster score. */
export async function postureSummary(deps: Dependencies): Promise<{ controls: number; failed: number; score: number } | undefined> {
  const scores = await latestScores(deps, ALL);
  if (!scores.length) return undefined;
  const failed = new Set(scores.flatMap((s) => s.controls.filter((c) => c.status === "fail").map((c) => c.id)));
  const valued = scores.map((s) => s.score).filter((x): x is number => x !== null);
  return { controls: CATALOG.length, failed: failed.size, score: valued.length ? Math.floor(valued.reduce((a, b) => a + b, 0) / valued.length) : 0 };
}
