// The Recommendations view in Debian's Chromium over the demo estate the whole pipeline produced:
// severities × affected resources, a score per bound cluster with its trend (a second evaluation
// with an exception in force adds a point), a failing control drilled down to its resources and
// their fixes, and the exempted resource shown apart.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DemoStack } from "../../demo/runtime/stack.js";
import { evaluatePostureActivity } from "../../shared/workflows/posture.js";
import { openWatchedPage, type WatchedPage } from "../support/watched-page.js";

let stack: DemoStack;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  stack = new DemoStack({ port: 0 });
  await stack.start();
  await stack.onboardAll();
  // An exception for the kube-proxy DaemonSet's privileged container: the next evaluation of
  // aks-shop-prod moves it apart and raises the score, which is the trend's second point.
  stack.deps.config.posture.exceptions = "- control: VANTAGE-K8S-PRIVILEGED\n  cluster: aks-shop-prod\n  namespace: kube-system\n  name: kube-proxy\n  reason: AKS-managed networking (ticket NET-7)\n  expires: 2999-12-31\n";
  const clusters = (await stack.deps.state.clusters.all()).map((r) => r.value).filter((c) => c.name === "aks-shop-prod");
  const second = await evaluatePostureActivity(stack.deps, { clusterId: clusters[0]!.id });
  expect(second).toMatchObject({ ok: true, historyAdded: true });
  watched = await openWatchedPage(stack.url);
  page = watched.page;
}, 180_000);

afterAll(async () => {
  await watched?.close();
  await stack?.stop();
});

describe("Recommendations view", () => {
  it("shows failing controls by severity and a score with its trend per bound cluster", async () => {
    await page.goto(`${stack.url}/#recommendations`);
    await page.locator("#posture-matrix[data-state=ready]").waitFor();
    const matrix = page.locator("#posture-matrix-table");
    for (const sev of ["critical", "high", "medium", "low"]) await expect.poll(() => matrix.locator(`tr[data-severity=${sev}]`).count()).toBe(1);
    // The demo has failing critical controls (privileged containers, the runtime socket, cluster-admin bindings).
    expect(Number(await matrix.locator("tr[data-severity=critical] td.count").innerText())).toBeGreaterThan(0);

    await page.locator("#posture-scores[data-state=ready]").waitFor();
    const cards = page.locator("#posture-scores .score-card");
    expect((await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-cluster")))).sort()).toEqual(["aks-ml-prod", "aks-sandbox", "aks-shop-prod"]);
    for (const score of await page.locator("#posture-scores .score-value").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-score"))))) {
      expect(score).toBeGreaterThanOrEqual(0);
      expect(score).toBeLessThan(100);
    }
    // Two evaluations of aks-shop-prod: two points, the later one higher (the exempted container is not scored).
    const shop = page.locator('#posture-scores .score-card[data-cluster="aks-shop-prod"]');
    const points = await shop.locator("svg.trend circle").evaluateAll((els) => els.map((e) => Number(e.getAttribute("data-score"))));
    expect(points.length).toBe(2);
    expect(points[1]).toBeGreaterThan(points[0]!);
    expect(Number(await shop.locator(".score-value").getAttribute("data-score"))).toBe(points[1]);
  });

  it("drills into a failing control down to each resource's fix", async () => {
    await page.locator('#posture-controls-table button[data-open="VANTAGE-K8S-RUNTIME-SOCKET"]').click();
    await page.locator("#posture-detail[data-state=ready]").waitFor();
    await expect.poll(() => page.locator("#posture-detail-title").innerText()).toBe("Pods must not mount the container runtime socket");
    const resources = page.locator("#posture-failed li.posture-resource");
    expect(await resources.count()).toBeGreaterThan(0);
    const first = resources.first();
    await first.locator("summary").click();
    const fix = await first.locator("pre.posture-fix").innerText();
    // The fix is the YAML patch removing the hostPath volume, for the resource the row names.
    expect(fix).toMatch(/^spec:\n {2}template:\n {4}spec:\n {6}volumes:/);
    expect(await first.getAttribute("data-resource")).toMatch(/^DaemonSet /);
    // Share link: the hash names the control, and opening it shows the same detail.
    expect(page.url()).toContain("#recommendations?control=VANTAGE-K8S-RUNTIME-SOCKET");
    await mkdir(join(process.cwd(), "test-artifacts"), { recursive: true });
    await page.screenshot({ path: join(process.cwd(), "test-artifacts", "demo-recommendations.png"), fullPage: true });
  });

  it("shows the exempted resource apart, with its reason, and not among the failing ones", async () => {
    const exempted = await page.locator("#posture-exempted-table").innerText();
    expect(exempted).toContain("VANTAGE-K8S-PRIVILEGED");
    expect(exempted).toContain("kube-system/kube-proxy");
    expect(exempted).toContain("AKS-managed networking (ticket NET-7)");
    await page.goto(`${stack.url}/#recommendations?control=VANTAGE-K8S-PRIVILEGED`);
    await page.locator("#posture-detail[data-state=ready]").waitFor();
    const failed = await page.locator("#posture-failed").innerText();
    expect(failed).not.toMatch(/kube-system\/kube-proxy/);
    expect(await page.locator("#posture-detail").innerText()).toMatch(/Exempted \(1, not scored\)/);
  });

  it("stays on the host and logs no errors", () => {
    expect(watched.offOrigin).toEqual([]);
    expect(watched.problems).toEqual([]);
  });
});
