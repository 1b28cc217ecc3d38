// What a newcomer sees after `npm start`: the dashboard over the demo estate the whole pipeline
// produced (Azurite, ARM/Kubernetes emulators, the Distribution registry), in Debian's Chromium.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Browser } from "../support/browser.js";
import { DemoStack } from "../../demo/runtime/stack.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");
let stack: DemoStack;
let context: BrowserContext;
let page: Page;
let browser: Browser;
const problems: string[] = [];
const offHost: string[] = [];

beforeAll(async () => {
  stack = new DemoStack({ port: 0 });
  await stack.start();
  await stack.onboardAll();
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  context = browser.context;
  context.on("request", (r) => {
    if (!r.url().startsWith(stack.url)) offHost.push(r.url());
  });
  page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error") problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
}, 120_000);

afterAll(async () => {
  await browser?.close();
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

  it("stays on the host and logs no errors", () => {
    expect(offHost).toEqual([]);
    expect(problems).toEqual([]);
  });
});
