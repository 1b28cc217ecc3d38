// The dashboard's HTTP functions on the local host: routes, content types, headers, path safety,
// and that the catch-all root route leaves the API's JSON 404/405 behaviour intact.
import { request } from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assetPath, webFunctions } from "../../functions/web.js";
import type { LocalHost } from "../../shared/host/local-host.js";
import { testHost } from "../support/host.js";

let host: LocalHost;
let base: string;

beforeAll(async () => {
  ({ host } = testHost("a", { extra: webFunctions }));
  await host.start();
  base = host.http!.url;
});
afterAll(async () => host?.stop());

/** A raw GET, so the path reaches the server exactly as written (fetch normalizes dot segments). */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(`${base}${path}`, { method: "GET" }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on("error", reject);
    req.end();
  });
}

describe("dashboard HTTP functions", () => {
  it("serves the page at / with a same-origin-only Content-Security-Policy", async () => {
    const res = await fetch(`${base}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const csp = res.headers.get("content-security-policy") ?? "";
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|https?:/);
    expect(res.headers.get("cache-control")).toBe("no-cache");
    const html = await res.text();
    expect(html).toContain('src="/assets/app.js"');
    // Nothing in the page points off-origin.
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
  });

  it("serves assets with their content types and cache headers", async () => {
    const js = await fetch(`${base}/assets/app.js`);
    expect(js.status).toBe(200);
    expect(js.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(js.headers.get("cache-control")).toMatch(/max-age=\d+/);
    expect(js.headers.get("x-content-type-options")).toBe("nosniff");
    const css = await fetch(`${base}/assets/style.css`);
    expect(css.headers.get("content-type")).toBe("text/css; charset=utf-8");
    const vendor = await fetch(`${base}/assets/vendor/cytoscape.min.js`);
    expect(vendor.status).toBe(200);
    expect(vendor.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect((await vendor.text()).length).toBeGreaterThan(100_000);
  });

  it("refuses paths that leave shared/web and answers unknown paths with JSON 404", async () => {
    for (const p of ["/assets/..%2fpackage.json", "/assets/..%2f..%2fpackage.json", "/assets/%2fetc%2fpasswd", "/assets/nope.js", "/assets/", "/assets/index.html"]) {
      const res = await fetch(`${base}${p}`);
      expect(res.status, p).toBe(404);
      expect(((await res.json()) as any).error.code).toBe("NotFound");
    }
    expect(await rawGet("/assets/../../package.json")).toBe(404);
    expect(await rawGet("/assets/..\\..\\package.json")).toBe(404);
    expect(assetPath("a/../../x")).toBeUndefined();
    expect(assetPath("/etc/passwd")).toBeUndefined();
    expect(assetPath("app.js")).toMatch(/shared[/\\]web[/\\]app\.js$/);
  });

  it("keeps the API's own routes, 404s and 405s", async () => {
    const health = await fetch(`${base}/api/health`);
    expect(((await health.json()) as any).status).toBe("ok");
    const missing = await fetch(`${base}/api/nope`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as any).error.code).toBe("NotFound");
    expect((await fetch(`${base}/api/health`, { method: "POST" })).status).toBe(405);
  });
});
