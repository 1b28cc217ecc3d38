// Posture evaluation runs in the pool: the worker's report equals the calling thread's, including
// exceptions judged against the caller's clock (a Date crosses the boundary).
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DEADLINES, TaskPool, postureIsolated } from "../../shared/isolation/index.js";
import { evaluatePosture } from "../../shared/posture/evaluate.js";
import { HARDENED_CLUSTER, snapshotOf, withDeployment } from "../posture/fixtures.js";

const pool = new TaskPool({ threads: 1, heapMb: 256, deadlines: DEFAULT_DEADLINES, inline: false });
afterAll(() => pool.close());

describe("posture task", () => {
  it("gives the host thread's report", async () => {
    const objects = withDeployment((_d, _pod, container) => {
      container.securityContext = { privileged: true };
    });
    const snapshot = snapshotOf(objects, { ...HARDENED_CLUSTER, name: "aks-a" });
    const now = new Date("2026-01-01T00:00:00Z");
    const exceptions = [
      { control: "VANTAGE-K8S-PRIVILEGED", reason: "accepted", expires: "2027-01-01" },
      { control: "VANTAGE-K8S-HOST-NETWORK", reason: "expired already", expires: "2025-01-01" },
    ];
    const options = { exceptions, now, context: { cluster: "aks-a", subscriptionId: "sub" } };
    const input = { snapshot, options: { trustedRegistries: ["mcr.microsoft.com"] } };
    const got = await postureIsolated(input, options, pool);
    expect(got).toEqual(evaluatePosture(input, options));
    const privileged = got.controls.find((c) => c.id === "VANTAGE-K8S-PRIVILEGED")!;
    expect(privileged.exempted.length).toBeGreaterThan(0);
    expect(pool.stats.completed).toBe(1);
  });
});
