import { describe, expect, it } from "vitest";
import { BlobStore } from "../../shared/storage/blobs.js";
import { ConcurrencyError, MAX_RECORD_CHARS, RecordTooLargeError, TableRepo } from "../../shared/storage/tables.js";
import { testStorage, uniqueName } from "../support/storage.js";

describe("Table repositories on Azurite", () => {
  it("splits batches per partition into ≤100-operation transactions", async () => {
    const conn = testStorage();
    const repo = new TableRepo<{ n: number }>(conn, uniqueName("T"));
    const upserts = [];
    for (let i = 0; i < 250; i++) upserts.push({ partitionKey: `p${i % 2}`, rowKey: `r/${i}`, value: { n: i } });
    const transactions = await repo.writeBatch({ upserts });
    expect(transactions).toBe(4); // 125 per partition → 100 + 25, twice
    expect((await repo.all({ partitionKey: "p0" })).length).toBe(125);
    // keys with '/' round-trip
    expect((await repo.get("p1", "r/7"))?.value).toEqual({ n: 7 });
    // idempotent: the same batch again changes nothing, deletes of missing rows are harmless
    await repo.writeBatch({ upserts });
    await repo.writeBatch({ deletes: [{ partitionKey: "p0", rowKey: "r/0" }, { partitionKey: "p0", rowKey: "missing" }] });
    expect((await repo.all()).length).toBe(249);
  });

  it("spreads records longer than one property over several, and refuses ones no entity can hold", async () => {
    const repo = new TableRepo<{ s: string }>(testStorage(), uniqueName("T"));
    const long = "é".repeat(60_000); // escaped to 360K ASCII characters: several 32K-character parts
    await repo.upsert("p", "one", { s: long });
    expect((await repo.get("p", "one"))?.value.s).toBe(long);
    // A shorter value replaces every part (no stale tail from the longer one).
    await repo.upsert("p", "one", { s: "short" });
    expect((await repo.get("p", "one"))?.value.s).toBe("short");
    // Batches stay under the 4 MiB transaction payload even with large rows.
    const rows = Array.from({ length: 30 }, (_, i) => ({ partitionKey: "b", rowKey: String(i), value: { s: `${i}`.padEnd(200_000, "z") } }));
    expect(await repo.writeBatch({ upserts: rows })).toBeGreaterThan(1);
    expect((await repo.all({ partitionKey: "b" })).every((r) => r.value.s.length === 200_000)).toBe(true);
    await expect(repo.upsert("p", "two", { s: "x".repeat(MAX_RECORD_CHARS + 1) })).rejects.toBeInstanceOf(RecordTooLargeError);
  });

  it("pages through continuation tokens", async () => {
    const repo = new TableRepo<{ n: number }>(testStorage(), uniqueName("T"));
    await repo.writeBatch({ upserts: Array.from({ length: 30 }, (_, i) => ({ partitionKey: "p", rowKey: String(i).padStart(3, "0"), value: { n: i } })) });
    const seen: number[] = [];
    for await (const row of repo.list({ pageSize: 7 })) seen.push(row.value.n);
    expect(seen).toEqual([...Array(30).keys()]);
  });

  it("enforces ETag optimistic concurrency", async () => {
    const repo = new TableRepo<{ v: string }>(testStorage(), uniqueName("T"));
    await repo.upsert("p", "r", { v: "a" });
    const first = await repo.get("p", "r");
    const second = await repo.get("p", "r");
    await repo.replace("p", "r", { v: "b" }, first!.etag!);
    await expect(repo.replace("p", "r", { v: "c" }, second!.etag!)).rejects.toBeInstanceOf(ConcurrencyError);
    expect((await repo.get("p", "r"))?.value.v).toBe("b");
    expect(await repo.create("p", "r", { v: "z" })).toBe(false);
  });
});

describe("content-addressed blobs on Azurite", () => {
  it("stores gzip JSON by digest, idempotently, and verifies on read", async () => {
    const conn = testStorage();
    const store = new BlobStore(conn);
    const container = uniqueName("c");
    const a = await store.putJson(container, "docs", { b: 2, a: 1 });
    const b = await store.putJson(container, "docs", { a: 1, b: 2 });
    expect(b).toEqual(a); // key order does not change the digest
    expect(await store.getJson(a)).toEqual({ a: 1, b: 2 });
    await expect(store.getJson({ ...a, digest: "sha256:00" })).rejects.toThrow(/digest/);
  });

  it("updates pointers only when the ETag still matches", async () => {
    const store = new BlobStore(testStorage());
    const container = uniqueName("c");
    expect(await store.getPointer(container, "latest")).toBeUndefined();
    expect(await store.setPointer(container, "latest", { v: 1 })).toBe(true);
    const p = await store.getPointer<{ v: number }>(container, "latest");
    expect(await store.setPointer(container, "latest", { v: 2 }, p!.etag)).toBe(true);
    expect(await store.setPointer(container, "latest", { v: 3 }, p!.etag)).toBe(false);
    expect((await store.getPointer<{ v: number }>(container, "latest"))!.value.v).toBe(2);
  });
});
