// Findings per image: one Table partition per image digest, one row per (vulnerability, package).
// Replacing an image's findings writes only what changed and keeps when each was first seen.
import type { Finding } from "../../scanner/model.js";
import type { FindingRecord, PipelineState } from "../state.js";
import { diffSeenRows } from "./row-diff.js";

function findingKey(f: Finding): string {
  return `${f.id}|${f.package.purl}`;
}

function withoutBookkeeping(record: FindingRecord): Finding {
  const { digest: _d, firstSeen: _f, lastSeen: _l, ...finding } = record;
  return finding;
}

export class FindingRepository {
  constructor(private readonly state: PipelineState) {}

  async forImage(digest: string): Promise<Finding[]> {
    return (await this.state.findings.all({ partitionKey: digest })).map((r) => withoutBookkeeping(r.value));
  }

  /**
   * Replaces an image's findings with `findings`, writing only what changed. Idempotent: a retry
   * converges to exactly one row per (image, vulnerability, package). Returns the rows written.
   */
  async replace(digest: string, findings: Finding[]): Promise<number> {
    const existing = new Map((await this.state.findings.all({ partitionKey: digest })).map((r) => [r.rowKey, r.value]));
    const diff = diffSeenRows(
      existing,
      findings.map((f) => [findingKey(f), f] as const),
      new Date().toISOString(),
      (f, seen): FindingRecord => ({ ...f, digest, ...seen }),
      (previous, f) => JSON.stringify(withoutBookkeeping(previous)) === JSON.stringify(f),
    );
    const upserts = diff.upserts.map((u) => ({ partitionKey: digest, ...u }));
    const deletes = diff.deletes.map((rowKey) => ({ partitionKey: digest, rowKey }));
    if (upserts.length || deletes.length) await this.state.findings.writeBatch({ upserts, deletes });
    return upserts.length + deletes.length;
  }

  /** Removes every finding of an image; returns how many there were. */
  async removeImage(digest: string): Promise<number> {
    const rows = await this.state.findings.all({ partitionKey: digest });
    await this.state.findings.writeBatch({ deletes: rows.map((r) => ({ partitionKey: r.partitionKey, rowKey: r.rowKey })) });
    return rows.length;
  }
}
