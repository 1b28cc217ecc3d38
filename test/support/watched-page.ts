// A dashboard page in the test browser, watched for what a clean page never does: console errors
// and uncaught exceptions are kept in `problems`, and every request that leaves the app's origin in
// `offOrigin` (the dashboard is self-contained, so both stay empty). Listeners are attached before
// the first navigation, so nothing the first load does is missed.
import type { BrowserContext, ConsoleMessage, Page } from "playwright-core";
import { launchBrowser, type Browser } from "./browser.js";

export interface WatchedPage {
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions, in the order they happened. */
  problems: string[];
  /** URLs of requests to anywhere but the origin. */
  offOrigin: string[];
  close(): Promise<void>;
}

export interface WatchOptions {
  /** A console error the test provokes on purpose (it is then not a problem). */
  expected?: (message: ConsoleMessage) => boolean;
}

/** Launches the browser and opens a watched page; `origin` is the app's base URL (e.g. http://127.0.0.1:PORT). */
export async function openWatchedPage(origin: string, options: WatchOptions = {}): Promise<WatchedPage> {
  const browser = await launchBrowser();
  const { context } = browser;
  const problems: string[] = [];
  const offOrigin: string[] = [];
  const base = origin.replace(/\/+$/, "");
  context.on("request", (r) => {
    const url = r.url();
    if (url !== base && !url.startsWith(`${base}/`)) offOrigin.push(url);
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.on("console", (m) => {
    if (m.type() === "error" && !options.expected?.(m)) problems.push(m.text());
  });
  page.on("pageerror", (e) => problems.push(`uncaught: ${e.message}`));
  return { browser, context, page, problems, offOrigin, close: () => browser.close() };
}
