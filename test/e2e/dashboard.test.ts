// The dashboard in a real browser (Debian's Chromium via playwright-core) against the local host
// serving the real catalog over Azurite-backed state seeded through the pipeline's repositories.
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { BrowserContext, ConsoleMessage, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchBrowser, type Browser } from "../support/browser.js";
import { decodeShareLink } from "../../shared/explorer/share.js";
import type { LocalHost } from "../../shared/host/local-host.js";
import { testHost } from "../support/host.js";
import { CLUSTERS, PATHS, REPORT, seedEstate } from "./seed.js";

const ARTIFACTS = join(process.cwd(), "test-artifacts");

let host: LocalHost;
let base: string;
let context: BrowserContext;
let page: Page;
let browser: Browser;
const consoleErrors: string[] = [];
const requests: string[] = [];

function watch(p: Page): void {
  p.on("console", (m: ConsoleMessage) => {
    if (m.type() !== "error") return;
    // Chromium logs every 4xx fetch as a console error; tolerate only the query API's 400 that the
    // query-error test provokes on purpose.
    if (/Failed to load resource: .* 400/.test(m.text()) && /\/api\/query$/.test(m.location().url)) return;
    consoleErrors.push(`${m.text()} (${m.location().url})`);
  });
  p.on("pageerror", (err) => consoleErrors.push(`uncaught: ${err.message}`));
}

async function screenshot(p: Page, name: string): Promise<void> {
  await p.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

beforeAll(async () => {
  const built = testHost("w");
  host = built.host;
  await host.start();
  base = host.http!.url;
  await seedEstate(built.deps);

  await mkdir(ARTIFACTS, { recursive: true });
  browser = await launchBrowser();
  context = browser.context;
  context.on("request", (r) => requests.push(r.url()));
  page = context.pages()[0] ?? (await context.newPage());
  watch(page);
}, 45_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
});

describe("dashboard", () => {
  it("shows the seeded clusters, their states and remediation, and severity counts", async () => {
    await page.goto(`${base}/`);
    await page.locator("#clusters[data-state=ready]").waitFor();
    const clusters = page.locator("#clusters-table tbody tr");
    await expect.poll(() => clusters.count()).toBe(3);
    const text = await page.locator("#clusters-table").innerText();
    for (const c of CLUSTERS) expect(text).toContain(c.name);
    expect(text).toMatch(/unbindable/);
    expect(text).toContain("Deploy Vantage with VNet integration");
    expect(text).toContain("az aks update --enable-azure-rbac");

    await page.locator("#findings[data-state=ready]").waitFor();
    const count = (s: string) => page.locator(`#findings [data-severity=${s}] .sev-count`).innerText();
    expect([await count("critical"), await count("high"), await count("medium"), await count("low"), await count("unknown")]).toEqual(["2", "1", "0", "2", "0"]);
    expect(await page.locator("#kev-table tbody tr").count()).toBe(2);
    expect(await page.locator("#kev-table").innerText()).toContain("CVE-2024-6387");

    // Images are ordered worst first, with per-severity counts.
    const firstImage = await page.locator("#images-table tbody tr").first().innerText();
    expect(firstImage).toContain("contoso.azurecr.io/shop/web:1.4.2");
    expect(await page.locator("#subscriptions-table").innerText()).toContain("onboarded");
    expect(await page.locator("#summary").innerText()).toMatch(/2\s*Attack paths/);
    await screenshot(page, "dashboard-overview");
  });

  it("draws a selected attack path with Cytoscape and shows a clicked node's details", async () => {
    await page.click("a[data-tab=paths]");
    const path = PATHS[0];
    await page.click(`button[data-path-id="${path.id}"]`);
    await page.waitForFunction(() => (globalThis as any).cy?.nodes().length > 0);
    const drawn = await page.evaluate(() => {
      const cy = (globalThis as any).cy;
      return {
        nodes: cy.nodes().map((n: any) => ({ id: n.id(), label: n.data("label") })),
        edges: cy.edges().map((e: any) => `${e.source().id()} ${e.data("kind")} ${e.target().id()}`),
        entryY: cy.getElementById(cy.nodes()[0].id()).position().y,
        positions: cy.nodes().map((n: any) => n.position().y),
      };
    });
    expect(drawn.nodes).toHaveLength(5);
    expect(drawn.edges).toHaveLength(4);
    expect(drawn.edges).toContain(`${path.entry} ENDPOINT_EXPLOIT container:shop/web/app`);
    expect(drawn.nodes.find((n: { id: string }) => n.id === "identity:serviceaccount:shop/web")?.label).toBe("serviceaccount:shop/web");
    // Layered: the entry sits on the first layer, above every other node.
    expect(Math.min(...drawn.positions)).toBe(drawn.entryY);
    expect(await page.locator("#path-header").innerText()).toContain("Remove the pods/create permission");

    // Click the service account on the canvas.
    const target = "identity:serviceaccount:shop/web";
    const point = await page.evaluate((id) => {
      const cy = (globalThis as any).cy;
      const rect = cy.container().getBoundingClientRect();
      const p = cy.getElementById(id).renderedPosition();
      return { x: rect.left + p.x, y: rect.top + p.y };
    }, target);
    await page.mouse.click(point.x, point.y);
    await expect.poll(() => page.locator("#node-details .node-id").textContent()).toBe(target);
    expect(await page.locator("#node-details .node-kind").textContent()).toBe("identity");
    await screenshot(page, "dashboard-attack-path");
  });

  it("shows a node's properties, insights and choke point from the cluster graph", async () => {
    await page.click("a[data-tab=paths]");
    await page.click(`button[data-path-id="${PATHS[0].id}"]`);
    await page.click("#path-steps button:text-is('shop/web/app')");
    await expect.poll(() => page.locator("#node-details").innerText()).toContain("runAsRoot");
    const details = await page.locator("#node-details").innerText();
    expect(details).toContain("vulnerable-to-rce");
    expect(details).toContain(String(REPORT.graph.nodes.find((n) => n.id === "container:shop/web/app")!.properties.image));
    await page.click("#path-steps button:text-is('serviceaccount:shop/web')");
    await expect.poll(() => page.locator("#node-details").innerText()).toContain("cuts 1 path");
  });

  it("restores a query from a share link", async () => {
    const query = 'MATCH (p:Pod {namespace: "shöp ✓"}) RETURN p.id AS pod';
    await page.click("a[data-tab=explorer]");
    await page.fill("#query", query);
    await page.click("#share");
    const link = await page.inputValue("#share-link");
    expect(link).toMatch(new RegExp(`^${base}/#explorer\\?q=[A-Za-z0-9_-]+$`));
    expect(decodeShareLink(link)).toBe(query); // same encoding as `vantage` (shared/explorer/share.ts)

    const other = await context.newPage();
    watch(other);
    await other.goto(link);
    await expect.poll(() => other.inputValue("#query")).toBe(query);
    expect(await other.locator("#view-explorer").isVisible()).toBe(true);
    await other.close();
  });

  it("runs a template, shows its rows and exports them as CSV", async () => {
    await page.goto(`${base}/#explorer`);
    await expect.poll(() => page.locator("#template option").count()).toBeGreaterThan(1);
    await page.selectOption("#template", "pods-high-severity-vulnerabilities");
    const text = await page.inputValue("#query");
    expect(text).toContain('["critical", "high"]'); // defaults filled in, so the text stands alone
    expect(text).not.toContain("$severities");
    await page.click("#run");
    await page.locator("#results[data-state=ready]").waitFor();
    expect(await page.locator("#query-error").isHidden()).toBe(true);
    expect(await page.locator("#results-table thead").innerText()).toMatch(/pod/i);
    expect(await page.locator("#results-table").innerText()).toContain("pod:shop/web");
    await screenshot(page, "dashboard-explorer");

    const [download] = await Promise.all([page.waitForEvent("download"), page.click("#csv")]);
    expect(download.suggestedFilename()).toBe("vantage-query.csv");
    const csv = await readFile((await download.path())!, "utf8");
    expect(csv.split(/\r?\n/)[0].split(",")).toContain("pod");
    expect(csv).toContain("pod:shop/web");
  });

  it("shows query errors with their line and column", async () => {
    await page.goto(`${base}/#explorer`);
    await page.fill("#query", "MATCH (p:Pod\nRETURN p");
    await page.click("#run");
    await expect.poll(() => page.locator("#query-error").innerText()).toMatch(/line 2/i);
  });

  it("shows empty states and API errors in the page instead of failing silently", async () => {
    const other = await context.newPage();
    const uncaught: string[] = [];
    other.on("pageerror", (err) => uncaught.push(err.message));
    // Fulfilled in the browser: an estate with nothing onboarded, and one endpoint failing.
    await other.route("**/api/clusters", (r) => r.fulfill({ json: { clusters: [] } }));
    await other.route("**/api/subscriptions", (r) => r.fulfill({ json: { subscriptions: [] } }));
    await other.route("**/api/attack-paths", (r) => r.fulfill({ json: { paths: [] } }));
    await other.route("**/api/images", (r) => r.fulfill({ status: 500, json: { error: { code: "InternalError", message: "the request failed; see the host log" } } }));
    await other.goto(`${base}/`);
    await other.locator("#clusters[data-state=empty]").waitFor();
    expect(await other.locator("#clusters").innerText()).toContain("No clusters onboarded yet");
    expect(await other.locator("#subscriptions").innerText()).toContain("No subscriptions onboarded yet");
    await other.locator("#images[data-state=error]").waitFor();
    expect(await other.locator("#images [role=alert]").innerText()).toContain("the request failed; see the host log");
    await other.click("a[data-tab=paths]");
    expect(await other.locator("#path-list").innerText()).toContain("No attack paths found");
    await screenshot(other, "dashboard-empty");
    expect(uncaught).toEqual([]);
    await other.close();
  });

  it("logged no console errors and sent no request off 127.0.0.1", () => {
    expect(consoleErrors).toEqual([]);
    expect(requests.length).toBeGreaterThan(5);
    const offHost = requests.filter((u) => {
      const url = new URL(u);
      if (url.protocol === "blob:" || url.protocol === "data:") return false;
      return url.hostname !== "127.0.0.1";
    });
    expect(offHost).toEqual([]);
  });
});
