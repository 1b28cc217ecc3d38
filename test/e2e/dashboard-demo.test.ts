// What a newcomer sees after `npm start`: the dashboard over the demo estate the whole pipeline
// produced (Azurite, ARM/Kubernetes emulators, the Distribution registry), in Debian's Chromium.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWatchedPage, type WatchedPage } from "../support/watched-page.js";
import { DemoStack } from "../../demo/runtime/stack.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");
let stack: DemoStack;
let watched: WatchedPage;
let page: Page;

beforeAll(async () => {
  stack = new DemoStack({ port: 0 });
  await stack.start();
  await stack.onboardAll();
  await mkdir(ARTIFACTS, { recursive: true });
  watched = await openWatchedPage(stack.url);
  page = watched.page;
}, 120_000);

afterAll(async () => {
  await watched?.close();
  await stack?.stop();
});

describe("dashboard on the demo estate", () => {
  it("shows the estate: six clusters with their bind state, findings by severity, attack paths", async () => {
    await page.goto(`${stack.url}/`);
    await expect.poll(() => page.locator("#clusters-table tbody tr").count()).toBe(6);
    const clusters = await page.locator("#clusters-table").innerText();
    for (const name of ["aks-shop-prod", "aks-ml-prod", "aks-sandbox", "aks-legacy", "aks-dev", "aks-dev-rbac-off"]) expect(clusters).toContain(name);
    expect(clusters).toMatch(/unbindable/);
    await page.locator("#findings[data-state=ready]").waitFor();
    expect(Number(await page.locator("#findings [data-severity=critical] .sev-count").innerText())).toBeGreaterThan(0);
    expect(await page.locator("#kev-table tbody tr").count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, "demo-overview.png"), fullPage: true });
  });

  it("draws Defender's internet-exposed RCE path", async () => {
    await page.click("a[data-tab=paths]");
    const button = page.locator("button[data-path-id]", { hasText: "Internet exposed Kubernetes pod is running a container with RCE vulnerabilities" }).first();
    await button.click();
    await page.waitForFunction(() => (globalThis as any).cy?.nodes().length > 0);
    const drawn = await page.evaluate(() => {
      const cy = (globalThis as any).cy;
      return { nodes: cy.nodes().map((n: any) => n.id()), edges: cy.edges().map((e: any) => e.data("kind")) };
    });
    expect(drawn.nodes.some((id: string) => id.startsWith("endpoint:"))).toBe(true);
    expect(drawn.edges).toContain("EXPLOIT_RCE_VULNERABILITY");
    // Hundreds of paths scroll inside their list: the page itself stays about one screen high.
    expect(await page.evaluate(() => (globalThis as any).document.documentElement.scrollHeight)).toBeLessThan(2000);
    await page.screenshot({ path: join(ARTIFACTS, "demo-attack-path.png") });
  });

  it("runs a template over every cluster and exports CSV", async () => {
    await page.goto(`${stack.url}/#explorer`);
    await expect.poll(() => page.locator("#template option").count()).toBeGreaterThan(12);
    await page.selectOption("#template", "workload-identities-reaching-azure");
    await page.click("#run");
    await page.locator("#results[data-state=ready]").waitFor();
    const table = await page.locator("#results-table").innerText();
    expect(table).toContain("aks-ml-prod");
    expect(table).toContain("cloudidentity:7c1a2b3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d");
    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split(/\r?\n/)[0]).toMatch(/^cluster,/);
    expect(csv).toContain("identity:serviceaccount:ml/inference");
    await page.screenshot({ path: join(ARTIFACTS, "demo-explorer.png"), fullPage: true });
  });

  it("filters the attack path classes by cluster, risk, entry type, target type and Azure reach, as the API does", async () => {
    await page.goto(`${stack.url}/#paths`);
    await page.locator("#path-list[data-state=ready]").waitFor();
    const shown = () => page.$$eval("#path-list .path-item", (items) => items.map((b) => ({ ...(b as any).dataset })));
    const api = async (query: string) => ((await (await fetch(`${stack.url}/api/attack-paths${query}`)).json()) as any).paths.map((p: { id: string }) => p.id).sort();
    const all = await shown();
    expect(all.map((r) => r.pathId).sort()).toEqual(await api(""));
    const cases = [
      ["filter-cluster", "cluster", "aks-ml-prod", "?cluster=aks-ml-prod"],
      ["filter-risk", "risk", "critical", "?risk=critical"],
      ["filter-entry", "entryType", "host-network", "?entryType=host-network"],
      ["filter-target", "targetType", "azurescope", "?targetType=azurescope"],
    ] as const;
    for (const [select, key, value, query] of cases) {
      await page.selectOption(`#${select}`, value);
      const now = await shown();
      expect(now.length, `${select}=${value}`).toBeGreaterThan(0);
      expect(now.length, `${select}=${value}`).toBeLessThan(all.length);
      expect(now.every((r) => r[key] === value), `${select}=${value}`).toBe(true);
      expect(now.map((r) => r.pathId).sort()).toEqual(await api(query));
      expect(await page.locator("#path-count").innerText()).toBe(`${now.length} of ${all.length} classes`);
      await page.selectOption(`#${select}`, "");
    }
    await page.check("#filter-azure");
    const azure = await shown();
    expect(azure.length).toBeGreaterThan(0);
    expect(azure.every((r) => r.azure === "true")).toBe(true);
    expect(azure.map((r) => r.pathId).sort()).toEqual(await api("?azure=true"));
    // Filters combine: Azure-reaching classes of one cluster.
    await page.selectOption("#filter-cluster", "aks-shop-prod");
    expect((await shown()).map((r) => r.pathId).sort()).toEqual(await api("?azure=true&cluster=aks-shop-prod"));
    await page.selectOption("#filter-cluster", "");
    await page.uncheck("#filter-azure");
    expect((await shown()).length).toBe(all.length);
  });

  it("draws the class that ends at an Azure Owner scope: the scope node, the fix on top, the role assignment's evidence", async () => {
    await page.goto(`${stack.url}/#paths`);
    await page.locator("#path-list[data-state=ready]").waitFor();
    await page.selectOption("#filter-target", "azurescope");
    await page.locator("#path-list .path-item", { hasText: "can obtain Owner on Azure resource group rg-ml" }).first().click();
    await page.waitForFunction(() => (globalThis as any).cy?.nodes("[kind = 'azurescope']").length > 0);
    const scope = await page.evaluate(() => {
      const n = (globalThis as any).cy.nodes("[kind = 'azurescope']")[0];
      return { id: n.id(), label: n.data("label"), role: n.data("role"), shape: n.style("shape") };
    });
    expect(scope).toEqual({ id: "azurescope:/subscriptions/11111111-1111-4111-8111-111111111111/resourceGroups/rg-ml", label: "resource group rg-ml", role: "target", shape: "star" });
    // The fix is the first thing in the header, with what that one change removes.
    const first = page.locator("#path-header > *").first();
    expect(await first.getAttribute("id")).toBe("path-fix");
    await expect.poll(() => first.innerText()).toMatch(/^Fix: .+ — this one change removes \d+ class(es)? in aks-ml-prod$/);
    const stepEvidence = await page.locator("#path-steps ul[aria-label='Evidence for AZURE_ROLE_ASSIGNMENT']").innerText();
    expect(stepEvidence).toMatch(/role Owner assigned to id-ml-inference at resourceGroup/);
    // Clicking the role-assignment edge on the canvas shows the same evidence in the details panel.
    const point = await page.evaluate(() => {
      const cy = (globalThis as any).cy;
      const edge = cy.edges("[kind = 'AZURE_ROLE_ASSIGNMENT']")[0];
      const rect = cy.container().getBoundingClientRect();
      const a = edge.source().renderedPosition();
      const b = edge.target().renderedPosition();
      // A quarter of the way along the edge: clear of the nodes and of the label boxed at its middle.
      return { x: rect.left + a.x + (b.x - a.x) * 0.25, y: rect.top + a.y + (b.y - a.y) * 0.25 };
    });
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.locator("#node-details h2").innerText()).toBe("AZURE_ROLE_ASSIGNMENT");
    expect(await page.locator("#edge-evidence").innerText()).toMatch(/role Owner assigned to id-ml-inference/);
    await page.screenshot({ path: join(ARTIFACTS, "demo-azure-path.png") });
    await page.selectOption("#filter-target", "");
  });

  it("stays on the host and logs no errors", () => {
    expect(watched.offOrigin).toEqual([]);
    expect(watched.problems).toEqual([]);
  });
});
