// Snapshot → inventory rows (one per object) and the pure diff against what a table already holds,
// so an unchanged cluster costs zero writes. Hashes ignore resourceVersion: it moves on every
// status heartbeat without any security-relevant change.
import { createHash } from "node:crypto";
import type { ObjectMeta, Snapshot } from "./model.js";

export type SummaryValue = string | number | boolean;

export interface InventoryItem {
  kind: string;
  namespace: string;
  name: string;
  /** Stable and safe as an Azure Table RowKey: no '/', '\\', '#', '?' or control characters. */
  key: string;
  /** sha256 (hex) of the canonical JSON of the normalized object. */
  hash: string;
  /** A small flat record for the Table entity (strings capped in length). */
  summary: Record<string, SummaryValue>;
}

export interface InventoryDiff {
  upserts: InventoryItem[];
  /** Keys present before and gone now. */
  deletes: string[];
  unchanged: number;
}

const MAX_SUMMARY_STRING = 1024;

/** Percent-encodes what RowKeys forbid plus the separator and '%' itself, so keys stay injective. */
function keyPart(value: string): string {
  return value.replace(/[%|/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`);
}

export function inventoryKey(kind: string, namespace: string, name: string): string {
  return `${keyPart(kind)}|${keyPart(namespace)}|${keyPart(name)}`;
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => {
    if (v && typeof v === "object" && !Array.isArray(v)) {
      const sorted: Record<string, unknown> = {};
      for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
      return sorted;
    }
    return v;
  });
}

function hashOf(object: { meta: ObjectMeta }): string {
  const { resourceVersion: _rv, ...meta } = object.meta;
  return createHash("sha256").update(canonical({ ...object, meta })).digest("hex");
}

function capped(summary: Record<string, SummaryValue | undefined>): Record<string, SummaryValue> {
  const out: Record<string, SummaryValue> = {};
  for (const [k, v] of Object.entries(summary)) {
    if (v === undefined) continue;
    out[k] = typeof v === "string" && v.length > MAX_SUMMARY_STRING ? `${v.slice(0, MAX_SUMMARY_STRING - 1)}…` : v;
  }
  return out;
}

export function inventoryOf(snapshot: Snapshot): InventoryItem[] {
  const items: InventoryItem[] = [];
  const push = (kind: string, object: { meta: ObjectMeta }, summary: Record<string, SummaryValue | undefined>) => {
    const namespace = object.meta.namespace ?? "";
    const name = object.meta.name;
    items.push({ kind, namespace, name, key: inventoryKey(kind, namespace, name), hash: hashOf(object), summary: capped({ kind, namespace, name, ...summary }) });
  };
  for (const n of snapshot.nodes)
    push("Node", n, {
      addresses: n.addresses.map((a) => `${a.type}=${a.address}`).join(","),
      externalIP: n.addresses.some((a) => a.type === "ExternalIP"),
      kubeletVersion: n.kubeletVersion,
      pool: n.meta.labels["kubernetes.azure.com/agentpool"] ?? n.meta.labels["agentpool"],
    });
  for (const n of snapshot.namespaces) push("Namespace", n, { phase: n.phase });
  for (const p of snapshot.pods)
    push("Pod", p, {
      node: p.nodeName,
      phase: p.phase,
      serviceAccount: p.serviceAccountName,
      workload: p.workload ? `${p.workload.kind}/${p.workload.name}` : undefined,
      images: p.containers.map((c) => c.image).join(","),
      containers: p.containers.length,
      privileged: p.containers.some((c) => c.securityContext.privileged === true),
      hostNetwork: p.hostNetwork,
      hostPID: p.hostPID,
      fromTemplate: p.fromTemplate ?? false,
    });
  for (const w of snapshot.workloads) push(w.kind, w, { replicas: w.replicas, serviceAccount: w.serviceAccountName, schedule: w.schedule });
  for (const s of snapshot.services)
    push("Service", s, {
      type: s.type,
      ports: s.ports.map((p) => `${p.port}/${p.protocol}`).join(","),
      internal: s.internal,
      loadBalancer: s.loadBalancerIngress.map((i) => i.ip ?? i.hostname).join(","),
    });
  for (const e of snapshot.endpointSlices) push("EndpointSlice", e, { service: e.serviceName, endpoints: e.endpoints.length });
  for (const i of snapshot.ingresses)
    push("Ingress", i, { ingressClass: i.ingressClassName, hosts: i.rules.map((r) => r.host ?? "*").join(","), tls: i.tls.length > 0 });
  for (const n of snapshot.networkPolicies) push("NetworkPolicy", n, { policyTypes: n.policyTypes.join(",") });
  for (const sa of snapshot.serviceAccounts)
    push("ServiceAccount", sa, { workloadIdentityClientId: sa.workloadIdentity?.clientId, automountToken: sa.automountServiceAccountToken });
  for (const r of snapshot.roles) push(r.kind, r, { rules: r.rules.length, aggregated: r.aggregationRule !== undefined });
  for (const b of snapshot.roleBindings)
    push(b.kind, b, { roleRef: `${b.roleRef.kind}/${b.roleRef.name}`, subjects: b.subjects.map((s) => `${s.kind}:${s.namespace ? `${s.namespace}/` : ""}${s.name}`).join(",") });
  for (const s of snapshot.secrets) push("Secret", s, { type: s.type, keys: s.keys?.join(",") });
  for (const w of snapshot.webhooks) push(w.kind, w, { webhooks: w.webhooks.length, failurePolicies: [...new Set(w.webhooks.map((h) => h.failurePolicy ?? ""))].join(",") });
  return items;
}

export function diffInventory(previous: { key: string; hash: string }[], next: InventoryItem[]): InventoryDiff {
  const before = new Map(previous.map((p) => [p.key, p.hash]));
  const current = new Map(next.map((n) => [n.key, n])); // last wins should a key repeat
  const upserts: InventoryItem[] = [];
  let unchanged = 0;
  for (const item of current.values()) {
    if (before.get(item.key) === item.hash) unchanged++;
    else upserts.push(item);
  }
  const deletes = [...before.keys()].filter((k) => !current.has(k));
  return { upserts, deletes, unchanged };
}
