// Typed Table repositories. A record is stored as one JSON `data` column plus the scalar columns a
// caller wants to filter on, so the model can evolve without schema work and every entity stays
// well under the 1 MiB entity / 64 KiB property limits for the small records kept here.
import { RestError, TableClient, type TableTransactionResponse, type TransactionAction } from "@azure/data-tables";
import type { StorageConnection } from "./connection.js";

export class ConcurrencyError extends Error {
  override readonly name = "ConcurrencyError";
}

export interface Row<T> {
  partitionKey: string;
  rowKey: string;
  value: T;
  etag?: string;
}

type Scalar = string | number | boolean;

/** Table keys may not contain / \ # ? or control characters; encode them reversibly. */
export function encodeKey(key: string): string {
  return key.replace(/[%/\\#?\u0000-\u001f\u007f-\u009f]/g, (c) => `%${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}
export function decodeKey(key: string): string {
  return key.replace(/%([0-9a-f]{2})/g, (_m, h: string) => String.fromCharCode(parseInt(h, 16)));
}

const MAX_BATCH = 100;
const MAX_BATCH_BYTES = 3_500_000;
/** A string property holds at most 64 KiB of UTF-16 (32K characters); stay a little below. */
const PART_CHARS = 32_000;
/** An entity holds at most 1 MiB, strings counted as UTF-16: ~512K characters; keep room for keys and columns. */
export const MAX_RECORD_CHARS = 15 * PART_CHARS;

export class RecordTooLargeError extends Error {
  override readonly name = "RecordTooLargeError";
}

/**
 * The record's JSON in `data`, continued in `data1`, `data2`, … when it is longer than one property
 * may be; past the entity limit the caller must keep the value in Blob and store a reference.
 */
export function splitData(json: string, what: string): Record<string, string> {
  if (json.length > MAX_RECORD_CHARS) throw new RecordTooLargeError(`${what}: ${json.length} characters exceed a Table entity (${MAX_RECORD_CHARS}); keep it in Blob`);
  const out: Record<string, string> = { data: json.slice(0, PART_CHARS) };
  for (let i = 1; i * PART_CHARS < json.length; i++) out[`data${i}`] = json.slice(i * PART_CHARS, (i + 1) * PART_CHARS);
  return out;
}

/**
 * JSON with every non-ASCII character escaped (\uXXXX). Sizes are then exact (one byte per
 * character), and no multi-byte character can straddle a body chunk: Azurite corrupts those in
 * entities over 64 KiB (a split "é" comes back as two U+FFFD).
 */
export function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

export function joinData(e: Record<string, unknown>): string {
  let text = String(e.data);
  for (let i = 1; typeof e[`data${i}`] === "string"; i++) text += e[`data${i}`] as string;
  return text;
}
const ensuredTables = new WeakMap<StorageConnection, Set<string>>();

export class TableRepo<T> {
  private readonly client: TableClient;

  constructor(
    private readonly conn: StorageConnection,
    readonly table: string,
    /** Scalar columns to project from the record, for server-side filters. */
    private readonly columns: (value: T) => Record<string, Scalar | undefined> = () => ({}),
  ) {
    this.client = conn.tableClient(table);
  }

  async ensure(): Promise<void> {
    let set = ensuredTables.get(this.conn);
    if (!set) ensuredTables.set(this.conn, (set = new Set()));
    if (set.has(this.table)) return;
    try {
      await this.client.createTable();
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 409)) throw err;
    }
    set.add(this.table);
  }

  private toEntity(partitionKey: string, rowKey: string, value: T) {
    const extra: Record<string, Scalar> = {};
    for (const [k, v] of Object.entries(this.columns(value))) if (v !== undefined) extra[k] = v;
    return { partitionKey: encodeKey(partitionKey), rowKey: encodeKey(rowKey), ...extra, ...splitData(asciiJson(value), `${this.table}/${partitionKey}/${rowKey}`) };
  }

  private fromEntity(e: Record<string, unknown>): Row<T> {
    return {
      partitionKey: decodeKey(String(e.partitionKey)),
      rowKey: decodeKey(String(e.rowKey)),
      value: JSON.parse(joinData(e)) as T,
      etag: e.etag as string | undefined,
    };
  }

  async get(partitionKey: string, rowKey: string): Promise<Row<T> | undefined> {
    await this.ensure();
    try {
      const e = await this.client.getEntity(encodeKey(partitionKey), encodeKey(rowKey));
      this.conn.metrics.tableOperations++;
      return this.fromEntity(e as Record<string, unknown>);
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 404) return undefined;
      throw err;
    }
  }

  /** Insert-or-replace: idempotent, so retries and duplicates are harmless. */
  async upsert(partitionKey: string, rowKey: string, value: T): Promise<void> {
    await this.ensure();
    await this.client.upsertEntity(this.toEntity(partitionKey, rowKey, value), "Replace");
    this.conn.metrics.tableOperations++;
    this.conn.metrics.tableTransactions++;
  }

  /** Create only if absent: false when the row already exists. */
  async create(partitionKey: string, rowKey: string, value: T): Promise<boolean> {
    await this.ensure();
    try {
      await this.client.createEntity(this.toEntity(partitionKey, rowKey, value));
      this.conn.metrics.tableOperations++;
      this.conn.metrics.tableTransactions++;
      return true;
    } catch (err) {
      if (err instanceof RestError && err.statusCode === 409) return false;
      throw err;
    }
  }

  /** Replace only if the row still has `etag`; throws ConcurrencyError when someone else won. */
  async replace(partitionKey: string, rowKey: string, value: T, etag: string): Promise<void> {
    await this.ensure();
    try {
      await this.client.updateEntity(this.toEntity(partitionKey, rowKey, value), "Replace", { etag });
      this.conn.metrics.tableOperations++;
      this.conn.metrics.tableTransactions++;
    } catch (err) {
      if (err instanceof RestError && (err.statusCode === 412 || err.statusCode === 409)) {
        throw new ConcurrencyError(`${this.table}/${partitionKey}/${rowKey} was changed concurrently`);
      }
      throw err;
    }
  }

  async delete(partitionKey: string, rowKey: string): Promise<void> {
    await this.ensure();
    try {
      await this.client.deleteEntity(encodeKey(partitionKey), encodeKey(rowKey));
      this.conn.metrics.tableOperations++;
      this.conn.metrics.tableTransactions++;
    } catch (err) {
      if (!(err instanceof RestError && err.statusCode === 404)) throw err;
    }
  }

  /**
   * Upserts and deletes in entity-group transactions: grouped per partition (a transaction may only
   * span one) and split into ≤100 operations each. Each chunk is atomic; the whole call is
   * idempotent, so a retry after a partial failure converges.
   */
  async writeBatch(
    ops: { upserts?: Row<T>[]; deletes?: { partitionKey: string; rowKey: string }[] },
    /** Submit chunks one after another in the given order (e.g. append-only logs: no gaps after a crash). */
    options: { ordered?: boolean } = {},
  ): Promise<number> {
    await this.ensure();
    const byPartition = new Map<string, TransactionAction[]>();
    const push = (pk: string, action: TransactionAction) => {
      const list = byPartition.get(pk) ?? [];
      list.push(action);
      byPartition.set(pk, list);
    };
    // The same row twice in one transaction is rejected by the service; last write wins here.
    const seen = new Map<string, TransactionAction>();
    for (const r of ops.upserts ?? []) seen.set(`${r.partitionKey}\u0000${r.rowKey}`, ["upsert", this.toEntity(r.partitionKey, r.rowKey, r.value), "Replace"]);
    for (const d of ops.deletes ?? []) seen.set(`${d.partitionKey}\u0000${d.rowKey}`, ["delete", { partitionKey: encodeKey(d.partitionKey), rowKey: encodeKey(d.rowKey) }]);
    for (const [key, action] of seen) push(key.split("\u0000")[0], action);
    // A transaction is at most 100 operations and 4 MiB of payload.
    const chunks: TransactionAction[][] = [];
    for (const actions of byPartition.values()) {
      let chunk: TransactionAction[] = [];
      let size = 0;
      for (const a of actions) {
        const bytes = a[0] === "delete" ? 200 : Buffer.byteLength(JSON.stringify(a[1])) + 200;
        if (chunk.length === MAX_BATCH || (chunk.length > 0 && size + bytes > MAX_BATCH_BYTES)) {
          chunks.push(chunk);
          chunk = [];
          size = 0;
        }
        chunk.push(a);
        size += bytes;
      }
      if (chunk.length) chunks.push(chunk);
    }
    // Chunks touch distinct rows, so a few can be in flight at once.
    let next = 0;
    const worker = async () => {
      while (next < chunks.length) await this.submit(chunks[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(options.ordered ? 1 : 4, chunks.length) }, worker));
    return chunks.length;
  }

  private async submit(chunk: TransactionAction[]): Promise<TableTransactionResponse | void> {
    try {
      const res = await this.client.submitTransaction(chunk);
      this.conn.metrics.tableTransactions++;
      this.conn.metrics.tableOperations += chunk.length;
      return res;
    } catch (err) {
      // A delete of a row that is already gone fails the whole transaction; deletes are
      // idempotent, so retry without the missing rows.
      if (err instanceof RestError && err.statusCode === 404 && chunk.some((a) => a[0] === "delete")) {
        for (const a of chunk) {
          if (a[0] === "delete") await this.delete(decodeKey(a[1].partitionKey), decodeKey(a[1].rowKey));
          else {
            await this.client.upsertEntity(a[1], "Replace");
            this.conn.metrics.tableOperations++;
            this.conn.metrics.tableTransactions++;
          }
        }
        return;
      }
      throw err;
    }
  }

  /** Lists rows (optionally one partition), following continuation tokens page by page. */
  async *list(options: { partitionKey?: string; filter?: string; pageSize?: number } = {}): AsyncGenerator<Row<T>> {
    await this.ensure();
    const filters: string[] = [];
    if (options.partitionKey !== undefined) filters.push(`PartitionKey eq '${encodeKey(options.partitionKey).replace(/'/g, "''")}'`);
    if (options.filter) filters.push(`(${options.filter})`);
    const iter = this.client
      .listEntities({ queryOptions: filters.length ? { filter: filters.join(" and ") } : undefined })
      .byPage({ maxPageSize: options.pageSize ?? 1000 });
    for await (const page of iter) {
      this.conn.metrics.tableOperations++;
      for (const e of page) yield this.fromEntity(e as Record<string, unknown>);
    }
  }

  async all(options: { partitionKey?: string; filter?: string } = {}): Promise<Row<T>[]> {
    const out: Row<T>[] = [];
    for await (const r of this.list(options)) out.push(r);
    return out;
  }
}
