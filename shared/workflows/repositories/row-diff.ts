// Replacing a Table partition's rows with a new set while keeping when each row was first seen:
// findings per image and attack paths per cluster both work this way. Pure: the caller reads the
// partition, diffs, and writes the result in one batch.

export interface Seen {
  firstSeen: string;
  lastSeen: string;
}

export interface RowDiff<R> {
  upserts: { rowKey: string; value: R }[];
  /** Row keys present before and absent now. */
  deletes: string[];
}

/**
 * `next` maps row keys to the new values. A row keeps its firstSeen; lastSeen becomes `now`. When
 * `unchanged(previous, value)` says a row is the same, it is not written at all (its lastSeen stays).
 */
export function diffSeenRows<V, R extends Seen>(
  existing: ReadonlyMap<string, R>,
  next: Iterable<readonly [string, V]>,
  now: string,
  toRecord: (value: V, seen: Seen) => R,
  unchanged: (previous: R, value: V) => boolean = () => false,
): RowDiff<R> {
  const upserts: RowDiff<R>["upserts"] = [];
  const keep = new Set<string>();
  for (const [rowKey, value] of next) {
    keep.add(rowKey);
    const previous = existing.get(rowKey);
    if (previous && unchanged(previous, value)) continue;
    upserts.push({ rowKey, value: toRecord(value, { firstSeen: previous?.firstSeen ?? now, lastSeen: now }) });
  }
  return { upserts, deletes: [...existing.keys()].filter((k) => !keep.has(k)) };
}
