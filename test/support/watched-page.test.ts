// The watched page the dashboard tests rely on really records what they assert is absent: console
// errors, uncaught exceptions and requests leaving the origin (and not same-origin ones).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openWatchedPage, type WatchedPage } from "./watched-page.js";

const PAGE = `<!doctype html><title>t</title><script>
  console.error("deliberate console error");
  console.error("tolerated error");
  fetch("/same-origin").then(() => fetch("http://127.0.0.2:9/elsewhere")).catch(() => {}).finally(() => {
    document.title = "done";
    setTimeout(() => { throw new Error("deliberate uncaught"); });
  });
</script>`;

let server: Server;
let origin: string;
let watched: WatchedPage;

beforeAll(async () => {
  server = createServer((req, res) => {
    res.writeHead(200, { "content-type": req.url === "/" ? "text/html" : "text/plain" });
    res.end(req.url === "/" ? PAGE : "ok");
  });
  await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  watched = await openWatchedPage(origin, { expected: (m) => m.text() === "tolerated error" });
}, 60_000);

afterAll(async () => {
  await watched?.close();
  await new Promise((done) => server?.close(done));
});

describe("openWatchedPage", () => {
  it("keeps console errors, uncaught exceptions and off-origin requests, not what the test expects", async () => {
    await watched.page.goto(`${origin}/`);
    await expect.poll(() => watched.page.title()).toBe("done");
    await expect.poll(() => watched.problems.some((p) => p.startsWith("uncaught:"))).toBe(true);
    expect(watched.problems).toContain("deliberate console error");
    expect(watched.problems).toContain("uncaught: deliberate uncaught");
    expect(watched.problems).not.toContain("tolerated error");
    expect(watched.offOrigin).toEqual(["http://127.0.0.2:9/elsewhere"]);
  });
});
