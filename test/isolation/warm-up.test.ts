// Warming up before a host serves: every worker thread of the pool is started and holds the feed,
// so the first scans make no feed call back to the host thread; a host without a feed still warms.
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DEADLINES, TaskPool, matchIsolated } from "../../shared/isolation/index.js";
import { packageRoot } from "../../shared/package-root.js";
import { loadFeedDir } from "../../shared/scanner/feed/index.js";
import type { Sbom } from "../../shared/scanner/model.js";
import { warmUp } from "../../shared/workflows/warm-up.js";

const pools: TaskPool[] = [];
const newPool = () => {
  const p = new TaskPool({ threads: 2, heapMb: 256, deadlines: DEFAULT_DEADLINES, inline: false });
  pools.push(p);
  return p;
};
afterAll(() => Promise.all(pools.map((p) => p.close())));

const sbom: Sbom = {
  schemaVersion: 1,
  target: "test",
  artifact: { os: { family: "debian", version: "12" } },
  packages: [{ name: "bash", version: "5.2", type: "deb", purl: "pkg:deb/debian/bash@5.2?distro=debian-12", locations: ["var/lib/dpkg/status"] }],
  warnings: [],
} as unknown as Sbom;

describe("warmUp", () => {
  it("starts every worker with the feed: later matches on either worker never ask the host for it", async () => {
    const feed = await loadFeedDir(join(packageRoot(), "demo", "feed"));
    const pool = newPool();
    expect(pool.stats.threads).toBe(0);
    await warmUp({ feed: { current: async () => feed } as never }, pool);
    expect(pool.stats.threads).toBe(2);
    const asked: string[] = [];
    // Two at once, so both workers run one; a worker without the feed would call back (and be counted).
    const runs = [0, 1].map(() =>
      pool.run("matchSbom", { sbom, feedHash: feed.version.hash }, { host: { feed: async (hash) => (asked.push(hash), feed) } }),
    );
    const [a, b] = await Promise.all(runs);
    expect(asked).toEqual([]);
    // The same answer as a cold worker that is offered the feed on demand.
    const cold = await matchIsolated(sbom, feed, newPool());
    expect(a).toEqual(cold);
    expect(b).toEqual(cold);
  });

  it("a host without a feed yet still warms its workers, and says why the feed was skipped", async () => {
    const pool = newPool();
    const log: string[] = [];
    await warmUp({ feed: { current: async () => Promise.reject(new Error("no advisory feed: run `vantage feed update`")) } as never }, pool, (m) => log.push(m));
    expect(pool.stats.threads).toBe(2);
    expect(log).toEqual(["warm-up: no advisory feed yet (no advisory feed: run `vantage feed update`)"]);
  });
});
