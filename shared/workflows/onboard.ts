// Onboarding: create → assign → discover → bind, one activity per step. The orchestrator is pure
// (no clock, random, env or I/O); activities do the ARM calls and record state in Tables.
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { assessBindability } from "../azure/bindability.js";
import { bindCluster, unbindCluster } from "../azure/binding.js";
import { discoverClusters, getCluster } from "../azure/clusters.js";
import { ensureOperatorIdentity } from "../azure/identity.js";
import { parseResourceIdOfType, parseSubscriptionId } from "../azure/ids.js";
import type { BindStrategy, ClusterFacts, ClusterRecord, SubscriptionRecord } from "../azure/model.js";
import { discoverRegistries, ensureRegistryEventSubscription, removeRegistryEventSubscription } from "../azure/registries.js";
import { ensureDataReadRole, ensureOperatorRole, removeOperatorRole } from "../azure/roles.js";
import { armStep, type StepFailure } from "./arm.js";
import type { Dependencies } from "./dependencies.js";
import { inventoryAfterOnboardInstanceId, snapshotAfterOnboardInstanceId } from "./instance-ids.js";
import { ACTIVITIES, ACTIVITY_RETRY, ORCHESTRATIONS } from "./names.js";
import { clusterKey } from "./state.js";

export interface OnboardInput {
  subscriptionId: string;
  /** Only this cluster (a managedClusters/write event); all clusters when absent. */
  clusterId?: string;
  /** Skip the snapshot that follows binding (tests of onboarding alone). */
  skipSnapshot?: boolean;
}

export interface OnboardSummary {
  subscriptionId: string;
  ok: boolean;
  error?: string;
  clusters: { discovered: number; bound: number; unbindable: number; failed: number };
  registries: number;
  snapshot?: unknown;
  /** The registry inventory of the registries this run discovered first. */
  inventory?: unknown;
}

// ---- orchestrators -------------------------------------------------------------------------

export const onboardSubscription: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as OnboardInput;
  const sub = input.subscriptionId;
  const runId = context.df.currentUtcDateTime.toISOString();
  const summary: OnboardSummary = { subscriptionId: sub, ok: false, clusters: { discovered: 0, bound: 0, unbindable: 0, failed: 0 }, registries: 0 };

  context.df.setCustomStatus({ step: "create" });
  const identity = yield context.df.callActivityWithRetry(ACTIVITIES.createIdentity, ACTIVITY_RETRY, { subscriptionId: sub });
  if (!identity.ok) return yield* finish(context, summary, runId, `create identity: ${identity.code}: ${identity.message}`);

  context.df.setCustomStatus({ step: "assign" });
  const roles = yield context.df.callActivityWithRetry(ACTIVITIES.assignRoles, ACTIVITY_RETRY, { subscriptionId: sub, principalId: identity.principalId });
  if (!roles.ok) return yield* finish(context, summary, runId, `assign roles: ${roles.code}: ${roles.message}`);

  context.df.setCustomStatus({ step: "discover" });
  const discovered = yield context.df.callActivityWithRetry(ACTIVITIES.discoverClusters, ACTIVITY_RETRY, { subscriptionId: sub, clusterId: input.clusterId });
  if (!discovered.ok) return yield* finish(context, summary, runId, `discover clusters: ${discovered.code}: ${discovered.message}`);
  const clusters = discovered.clusters as { id: string; bindable: boolean }[];
  summary.clusters.discovered = clusters.length;
  summary.clusters.unbindable = clusters.filter((c) => !c.bindable).length;

  context.df.setCustomStatus({ step: "bind", clusters: clusters.length });
  // Fan-out: each bind returns its own state, so one failing cluster never fails the others.
  const binds: { state: string }[] = yield context.df.Task.all(
    clusters
      .filter((c) => c.bindable)
      .map((c) =>
        context.df.callActivityWithRetry(ACTIVITIES.bindCluster, ACTIVITY_RETRY, {
          subscriptionId: sub,
          clusterId: c.id,
          principalId: identity.principalId,
          dataRoleDefinitionId: roles.dataRoleDefinitionId,
        }),
      ),
  );
  for (const b of binds) {
    if (b.state === "bound") summary.clusters.bound++;
    else if (b.state === "unbindable") summary.clusters.unbindable++;
    else summary.clusters.failed++;
  }

  let newRegistries: string[] = [];
  if (!input.clusterId) {
    context.df.setCustomStatus({ step: "registries" });
    const registries = yield context.df.callActivityWithRetry(ACTIVITIES.discoverRegistries, ACTIVITY_RETRY, { subscriptionId: sub });
    summary.registries = registries.ok ? registries.count : 0;
    newRegistries = registries.ok ? (registries.added ?? []) : [];
  }
  summary.ok = true;
  yield* finish(context, summary, runId);

  // ARM facts just changed: re-judge the cluster settings of every bound cluster that has a snapshot
  // (a new cluster has none yet and reports so; its snapshot below evaluates it).
  const bindable = clusters.filter((c) => c.bindable);
  const bound = bindable.filter((_c, i) => binds[i]?.state === "bound");
  if (bound.length) {
    context.df.setCustomStatus({ step: "posture" });
    yield context.df.Task.all(bound.map((c) => context.df.callActivity(ACTIVITIES.evaluatePosture, { clusterId: c.id })));
  }

  if (summary.clusters.bound > 0 && !input.skipSnapshot) {
    context.df.setCustomStatus({ step: "snapshot" });
    summary.snapshot = yield context.df.callSubOrchestrator(
      ORCHESTRATIONS.snapshotSubscription,
      { subscriptionId: sub, clusterId: input.clusterId },
      snapshotAfterOnboardInstanceId(context.df.instanceId, runId),
    );
  }
  // Images that sat in a registry before onboarding (running or not): the inventory of the registries
  // seen for the first time; the daily inventory keeps every registry current after that.
  if (newRegistries.length && !input.skipSnapshot) {
    context.df.setCustomStatus({ step: "inventory" });
    summary.inventory = yield context.df.callSubOrchestrator(
      ORCHESTRATIONS.inventoryRegistries,
      { subscriptionId: sub, registries: newRegistries },
      inventoryAfterOnboardInstanceId(context.df.instanceId, runId),
    );
  }
  context.df.setCustomStatus({ step: "done" });
  return summary;
};

function* finish(context: OrchestrationContext, summary: OnboardSummary, runId: string, error?: string): Generator<df.Task, OnboardSummary, unknown> {
  if (error) summary.error = error;
  yield context.df.callActivity(ACTIVITIES.recordOnboarding, { runId, summary: { ...summary, clusters: { ...summary.clusters } } });
  return summary;
}

export const offboardSubscription: OrchestrationHandler = function* (context: OrchestrationContext) {
  const { subscriptionId } = context.df.getInput() as { subscriptionId: string };
  const result = yield context.df.callActivityWithRetry(ACTIVITIES.offboard, ACTIVITY_RETRY, { subscriptionId });
  return result;
};

// ---- activities ----------------------------------------------------------------------------

/** Merges fresh ARM facts into the stored record, keeping binding state and what was created. */
function mergeCluster(previous: ClusterRecord | undefined, facts: ClusterFacts, strategy: BindStrategy): ClusterRecord {
  const bindability = assessBindability(facts, strategy);
  const base: ClusterRecord = { ...previous, ...facts, id: clusterKey(facts.id), strategy, state: previous?.state ?? "discovered" };
  if (!bindability.bindable) {
    return { ...base, state: "unbindable", reason: bindability.reason, remediation: bindability.remediation, errorCode: bindability.code };
  }
  // A cluster that became bindable (started, RBAC enabled) is bound again on this run.
  return base.state === "unbindable" ? { ...base, state: "discovered", reason: undefined, remediation: undefined, errorCode: undefined } : base;
}

/** The onboarding activities, keyed by their function names. */
export function onboardActivities(deps: Dependencies) {
  async function getSubscription(subscriptionId: string): Promise<SubscriptionRecord> {
    return (await deps.state.subscriptions.get("subscription", subscriptionId))?.value ?? { subscriptionId, state: "onboarding" };
  }

  async function saveSubscription(record: SubscriptionRecord): Promise<void> {
    await deps.state.subscriptions.upsert("subscription", record.subscriptionId, record);
  }

  async function createIdentity(input: { subscriptionId: string }) {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const result = await armStep(async () => ensureOperatorIdentity(deps.arm(subscriptionId), deps.config.operator));
    const record = await getSubscription(subscriptionId);
    if (result.ok) {
      const { ok: _ok, ...identity } = result;
      await saveSubscription({ ...record, state: record.state === "onboarded" ? "onboarded" : "onboarding", identity, error: undefined });
    }
    return result;
  }

  async function assignRoles(input: { subscriptionId: string; principalId: string }) {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const { config } = deps;
    const conn = deps.arm(subscriptionId);
    const result = await armStep(async () => {
      const operator = await ensureOperatorRole(conn, { principalId: input.principalId, roleDefinitionId: config.operatorRoleDefinitionId });
      const dataRoleDefinitionId = config.bindStrategy === "azure-rbac" ? (config.dataRoleDefinitionId ?? (await ensureDataReadRole(conn))) : undefined;
      return { ...operator, dataRoleDefinitionId };
    });
    if (result.ok) {
      const record = await getSubscription(subscriptionId);
      await saveSubscription({
        ...record,
        roleDefinitionId: result.roleDefinitionId,
        roleAssignmentId: result.roleAssignmentId,
        dataRoleDefinitionId: result.dataRoleDefinitionId,
      });
    }
    return result;
  }

  async function discover(input: { subscriptionId: string; clusterId?: string }): Promise<({ ok: true; clusters: { id: string; bindable: boolean }[] }) | StepFailure> {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const conn = deps.arm(subscriptionId);
    const result = await armStep(async () => {
      if (input.clusterId) {
        parseResourceIdOfType(input.clusterId, "Microsoft.ContainerService/managedClusters");
        const one = await getCluster(conn, input.clusterId);
        return { facts: one ? [one] : [] };
      }
      return { facts: await discoverClusters(conn) };
    });
    if (!result.ok) return result;
    const { state, config } = deps;
    const rows = [];
    const out: { id: string; bindable: boolean }[] = [];
    for (const facts of result.facts) {
      const key = clusterKey(facts.id);
      const previous = (await state.clusters.get(subscriptionId, key))?.value;
      const record = mergeCluster(previous, facts, config.bindStrategy);
      rows.push({ partitionKey: subscriptionId, rowKey: key, value: record });
      out.push({ id: key, bindable: record.state !== "unbindable" });
    }
    await state.clusters.writeBatch({ upserts: rows });
    return { ok: true, clusters: out };
  }

  async function bind(input: { subscriptionId: string; clusterId: string; principalId: string; dataRoleDefinitionId?: string }) {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const { state, config } = deps;
    const row = await state.clusters.get(subscriptionId, clusterKey(input.clusterId));
    if (!row) return { state: "failed", reason: `cluster ${input.clusterId} is not in the inventory` };
    const result = await bindCluster(deps.arm(subscriptionId), row.value, {
      strategy: config.bindStrategy,
      principalId: input.principalId,
      dataRoleDefinitionId: input.dataRoleDefinitionId,
      trustedAccess: config.trustedAccess,
    });
    const record: ClusterRecord = {
      ...row.value,
      state: result.state,
      strategy: result.strategy,
      reason: result.reason,
      remediation: result.remediation,
      errorCode: result.errorCode,
      roleAssignmentId: result.roleAssignmentId ?? row.value.roleAssignmentId,
      trustedAccessBindingId: result.trustedAccessBindingId ?? row.value.trustedAccessBindingId,
    };
    await state.clusters.upsert(subscriptionId, clusterKey(input.clusterId), record);
    return { clusterId: input.clusterId, state: result.state, errorCode: result.errorCode };
  }

  async function registries(input: { subscriptionId: string }) {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const { state, config } = deps;
    const conn = deps.arm(subscriptionId);
    return armStep(async () => {
      const found = await discoverRegistries(conn);
      const added: string[] = [];
      for (const r of found) {
        if (!(await state.registries.get("registry", r.loginServer.toLowerCase()))) added.push(r.loginServer.toLowerCase());
        const withSub = { ...r, subscriptionId };
        if (config.eventsUrl) {
          const sub = await ensureRegistryEventSubscription(conn, r, { endpointUrl: config.eventsUrl });
          Object.assign(withSub, { eventSubscriptionId: sub.id });
        }
        await state.registries.upsert("registry", r.loginServer.toLowerCase(), withSub);
      }
      return { count: found.length, added };
    });
  }

  async function recordRun(input: { runId: string; summary: OnboardSummary }) {
    const { summary } = input;
    const record = await getSubscription(summary.subscriptionId);
    await saveSubscription({
      ...record,
      state: summary.ok ? "onboarded" : "failed",
      lastRunAt: new Date().toISOString(),
      lastRunId: input.runId,
      error: summary.error,
    });
    await deps.state.runs.upsert(summary.subscriptionId, `onboard-${input.runId}`, {
      runId: input.runId,
      kind: "onboard",
      subscriptionId: summary.subscriptionId,
      startedAt: input.runId,
      finishedAt: new Date().toISOString(),
      status: !summary.ok ? "failed" : summary.clusters.failed > 0 ? "partial" : "succeeded",
      summary: summary as unknown as Record<string, unknown>,
      error: summary.error,
    });
    return { ok: true };
  }

  /** Removes exactly what onboarding created: bindings, event subscriptions, role assignment and roles. */
  async function offboard(input: { subscriptionId: string }) {
    const subscriptionId = parseSubscriptionId(input.subscriptionId);
    const { state, config } = deps;
    const conn = deps.arm(subscriptionId);
    const removed: string[] = [];
    const failures: string[] = [];
    for (const row of await state.clusters.all({ partitionKey: subscriptionId })) {
      const r = await unbindCluster(conn, row.value);
      removed.push(...r.removed);
      if (r.state === "failed") failures.push(`${row.value.name}: ${r.errorCode}: ${r.reason}`);
      else await state.clusters.upsert(subscriptionId, row.rowKey, { ...row.value, state: "discovered", roleAssignmentId: undefined, trustedAccessBindingId: undefined });
    }
    for (const row of await state.registries.all({ partitionKey: "registry" })) {
      const reg = row.value as typeof row.value & { eventSubscriptionId?: string };
      if (reg.subscriptionId === subscriptionId && reg.eventSubscriptionId) {
        if (await removeRegistryEventSubscription(conn, reg.eventSubscriptionId)) removed.push(reg.eventSubscriptionId);
      }
    }
    const record = await getSubscription(subscriptionId);
    const roles = await removeOperatorRole(conn, {
      roleAssignmentId: record.roleAssignmentId,
      // Definitions deployed by infra/ are shared and stay; only the ones onboarding created go.
      roleDefinitionIds: [record.roleDefinitionId, record.dataRoleDefinitionId].filter(
        (x): x is string => Boolean(x) && x !== config.operatorRoleDefinitionId && x !== config.dataRoleDefinitionId,
      ),
    });
    removed.push(...roles.removed);
    await saveSubscription({ ...record, state: failures.length ? "failed" : "offboarded", roleAssignmentId: undefined, error: failures.join("; ") || undefined });
    return { removed, failures };
  }

  return {
    [ACTIVITIES.createIdentity]: createIdentity,
    [ACTIVITIES.assignRoles]: assignRoles,
    [ACTIVITIES.discoverClusters]: discover,
    [ACTIVITIES.bindCluster]: bind,
    [ACTIVITIES.discoverRegistries]: registries,
    [ACTIVITIES.recordOnboarding]: recordRun,
    [ACTIVITIES.offboard]: offboard,
  };
}
