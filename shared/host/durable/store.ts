// Orchestration state in Table storage: one instance row per orchestration and its history rows
// (one per event) in a partition named after the instance, so each episode's events land in a
// single entity-group transaction.
import type { InstanceStatus, RuntimeStatus } from "../../platform/orchestration.js";
import type { StorageConnection } from "../../storage/connection.js";
import { BlobStore, type BlobRef } from "../../storage/blobs.js";
import { asciiJson, TableRepo } from "../../storage/tables.js";
import { deserializeEvent, serializeEvent, type HistoryEvent } from "./history.js";

/** What clients see of the instance, plus the engine's bookkeeping. */
export interface InstanceRecord extends InstanceStatus {
  /** Changes on continueAsNew and on restart of a finished instance. */
  executionId: string;
  historyLength: number;
  /** Signature of every action the orchestrator produced so far, in order: the determinism check. */
  actionLog: string[];
  /** Who to tell when this (sub-)orchestration ends: the parent's execution that scheduled it. */
  parent?: { instanceId: string; taskId: number; executionId?: string };
}

const HISTORY_KEY_WIDTH = 8;
const historyKey = (i: number) => String(i).padStart(HISTORY_KEY_WIDTH, "0");

/** Table names allow only letters and digits. */
function tableName(hub: string, suffix: string): string {
  const clean = hub.replace(/[^A-Za-z0-9]/g, "");
  return `${/^[A-Za-z]/.test(clean) ? clean : `h${clean}`}${suffix}`.slice(0, 63);
}

/** A history row: the event itself, or (when larger than a Table entity allows) a Blob reference. */
type HistoryRow = { e: string } | { blob: BlobRef };

/** Events up to this size stay in the row; larger ones (big activity results) go to Blob, as Durable's Azure Storage backend does. */
const INLINE_EVENT_CHARS = 256 * 1024;

export class InstanceStore {
  readonly instances: TableRepo<InstanceRecord>;
  readonly history: TableRepo<HistoryRow>;
  private readonly blobs: BlobStore;
  private readonly payloads: string;

  constructor(conn: StorageConnection, hub: string) {
    this.instances = new TableRepo<InstanceRecord>(conn, tableName(hub, "Instances"), (r) => ({ runtimeStatus: r.runtimeStatus, name: r.name }));
    this.history = new TableRepo<HistoryRow>(conn, tableName(hub, "History"));
    this.blobs = new BlobStore(conn);
    this.payloads = `${tableName(hub, "").toLowerCase()}-payloads`.slice(0, 63);
  }

  async get(instanceId: string): Promise<InstanceRecord | undefined> {
    return (await this.instances.get(instanceId, ""))?.value;
  }

  async loadHistory(instanceId: string): Promise<HistoryEvent[]> {
    const rows = await this.history.all({ partitionKey: instanceId });
    rows.sort((a, b) => a.rowKey.localeCompare(b.rowKey));
    return Promise.all(rows.map(async (r) => deserializeEvent("e" in r.value ? r.value.e : await this.blobs.getJson<string>(r.value.blob))));
  }

  /**
   * Persists the events appended since `fromIndex` (all when a new execution starts) and then the
   * instance row. History first: a crash in between leaves history ahead of the row, which replay
   * tolerates; the reverse could lose scheduled work.
   */
  async save(record: InstanceRecord, history: HistoryEvent[], fromIndex: number, previousLength: number): Promise<void> {
    const upserts: { partitionKey: string; rowKey: string; value: HistoryRow }[] = [];
    for (let i = fromIndex; i < history.length; i++) {
      const e = serializeEvent(history[i]);
      // Measured as stored (non-ASCII escaped), so the row always fits an entity.
      const value: HistoryRow = asciiJson(e).length > INLINE_EVENT_CHARS ? { blob: await this.blobs.putJson(this.payloads, record.instanceId.replace(/[^A-Za-z0-9-]/g, "_"), e) } : { e };
      upserts.push({ partitionKey: record.instanceId, rowKey: historyKey(i), value });
    }
    const deletes = [];
    for (let i = history.length; i < previousLength; i++) deletes.push({ partitionKey: record.instanceId, rowKey: historyKey(i) });
    // In order: a crash may lose the tail of an episode, never leave a hole in the middle.
    if (upserts.length || deletes.length) await this.history.writeBatch({ upserts, deletes }, { ordered: true });
    record.historyLength = history.length;
    await this.instances.upsert(record.instanceId, "", record);
  }

  async listByStatus(statuses: RuntimeStatus[]): Promise<InstanceRecord[]> {
    const filter = statuses.map((s) => `runtimeStatus eq '${s}'`).join(" or ");
    return (await this.instances.all({ filter })).map((r) => r.value);
  }

  async list(): Promise<InstanceRecord[]> {
    return (await this.instances.all()).map((r) => r.value);
  }
}
