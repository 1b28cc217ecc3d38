// Without a registry the demo's images are read from OCI layouts, with the same results.
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DemoStack } from "../../demo/runtime/stack.js";

let stack: DemoStack | undefined;
let dir: string | undefined;
afterAll(async () => {
  await stack?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("demo estate without docker-registry", () => {
  it("scans the running images and the registry-only ones from OCI layouts", async () => {
    dir = await mkdtemp(join(tmpdir(), "vantage-oci-"));
    stack = new DemoStack({ port: 0, registry: false, dataDir: dir });
    await stack.start();
    expect(stack.registry).toBeUndefined();
    const t0 = Date.now();
    await stack.onboardAll();
    const s = await stack.summary(t0);
    expect(s.images).toEqual({ scanned: 9, failed: 0 }); // 7 running, 2 found by the registry inventory
    expect(s.registries).toMatchObject({ discovered: 1, repositories: 9, images: 9, scanned: 2, skipped: 7 });
    expect(s.findings.knownExploited).toBeGreaterThan(0);
    expect(s.clusters.bound).toBe(3);
  }, 120_000);
});
