// App settings and host.json agree with the code that reads them. The settings the deployed code
// can read are taken from the compiled files the Azure entry point actually loads; each must be set
// by infra/ or documented (with its default) in README's configuration table.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { createCatalog } from "../../functions/catalog.js";
import { azureRoute } from "../../functions/azure-bindings.js";
import { TECHNIQUES } from "../../shared/graph/edges/index.js";
import { configFromEnv } from "../../shared/workflows/config.js";
import { dependenciesFromEnv } from "../../shared/workflows/dependencies.js";
import { assertBuilt, ROOT } from "../functions/built.js";
import { bicepAppSettings, bicepSettingsSources, type SettingValue } from "./app-settings.js";
// @ts-expect-error plain ES module script without types
import { entryGraph } from "../../scripts/package.mjs";

const catalog = createCatalog(dependenciesFromEnv({}));

// Read as env.NAME or named in a string literal (env["NAME"], jsonMap(env, "NAME"), scheduleSetting: "NAME").
const SETTING = /(?:\benv\.|["'])(VANTAGE_[A-Z0-9_]+|AzureWebJobs[A-Za-z0-9_]+|AZURE_[A-Z0-9_]+|APPLICATIONINSIGHTS_[A-Z0-9_]+)\b/g;

/** README's configuration table: setting → default cell (a row may name several settings). */
function documentedSettings(): Map<string, string> {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const table = readme.slice(readme.indexOf("| setting | default | meaning |"));
  const out = new Map<string, string>();
  for (const row of table.split("\n").slice(2)) {
    if (!row.startsWith("|")) break;
    const [names, def] = row.split("|").slice(1).map((c) => c.trim());
    const all = [...`${names} ${row}`.matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)].map((m) => m[1]);
    const first = all[0];
    for (const n of all) out.set(n.startsWith("__") ? `${first}${n}` : n, def);
  }
  return out;
}

let readByCode: string[];
let settings: Record<string, SettingValue>;
beforeAll(async () => {
  assertBuilt();
  const graph = (await entryGraph()) as { files: string[] };
  const names = new Set<string>();
  for (const f of graph.files) for (const m of readFileSync(f, "utf8").matchAll(SETTING)) names.add(m[1]);
  // Graph edge kinds (AZURE_ROLE_ASSIGNMENT) are quoted upper-case names too, not settings.
  for (const t of TECHNIQUES) names.delete(t.kind);
  readByCode = [...names].sort();
  settings = bicepAppSettings();
}, 60_000);

describe("app settings", () => {
  it("parses every settings object infra/ unions into the app settings", () => {
    expect(bicepSettingsSources()).toEqual(["baseSettings", "eventsSettings", "appSettings"]);
    expect(Object.keys(settings)).toEqual(expect.arrayContaining(["AzureWebJobsStorage__accountName", "VANTAGE_TASK_HUB", "VANTAGE_EVENTS_URL"]));
  });

  it("sets or documents (with a default) every setting the deployed code reads", () => {
    const docs = documentedSettings();
    expect(readByCode).toEqual(expect.arrayContaining(["VANTAGE_TASK_HUB", "VANTAGE_BIND_STRATEGY", "AzureWebJobsStorage__accountName"]));
    const missing = readByCode.filter((n) => !(n in settings) && !docs.get(n));
    expect(missing).toEqual([]);
    // Settings infra/ sets are settings the code reads (or the platform does): no dead names.
    const platform = ["AzureWebJobsStorage__credential", "APPLICATIONINSIGHTS_CONNECTION_STRING", "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "AzureWebJobsDisableHomepage"];
    expect(Object.keys(settings).filter((n) => !readByCode.includes(n) && !platform.includes(n))).toEqual([]);
  });

  it("leaves out what Flex Consumption rejects or the identity-only storage cannot use", () => {
    expect(settings).not.toHaveProperty("FUNCTIONS_WORKER_RUNTIME"); // Flex: set by functionAppConfig.runtime
    expect(settings).not.toHaveProperty("FUNCTIONS_EXTENSION_VERSION");
    expect(settings).not.toHaveProperty("AzureWebJobsStorage"); // shared keys are disabled
    expect(settings.AzureWebJobsStorage__credential).toBe("managedidentity");
  });

  it("names only known settings in local.settings.sample.json", () => {
    const docs = documentedSettings();
    const sample = JSON.parse(readFileSync(join(ROOT, "local.settings.sample.json"), "utf8")) as { Values: Record<string, string> };
    const unknown = Object.keys(sample.Values).filter((n) => n !== "FUNCTIONS_WORKER_RUNTIME" && !docs.has(n));
    expect(unknown).toEqual([]);
  });
});

describe("host.json", () => {
  const host = JSON.parse(readFileSync(join(ROOT, "host.json"), "utf8"));

  it("uses extension bundle 4.x (Durable Functions for the v4 Node model needs it)", () => {
    expect(host.version).toBe("2.0");
    expect(host.extensionBundle.id).toBe("Microsoft.Azure.Functions.ExtensionBundle");
    const m = /^\[(\d+)\.\*,\s*(\d+)\.0\.0\)$/.exec(host.extensionBundle.version);
    expect(m, host.extensionBundle.version).not.toBeNull();
    expect([Number(m![1]), Number(m![2])]).toEqual([4, 5]);
  });

  it("has no route prefix, because the catalog's routes carry api/ themselves", () => {
    expect(host.extensions.http.routePrefix).toBe("");
    const routes = catalog.flatMap((d) => (d.trigger.type === "http" ? [azureRoute(d.trigger.route)] : []));
    for (const r of routes) expect(r === "" || r.startsWith("/") || r.startsWith("api/api"), r).toBe(false);
    expect(routes).toContain("{root:maxlength(0)?}"); // the dashboard at the site root
    expect(routes.filter((r) => r.startsWith("api/")).length).toBeGreaterThan(10);
  });

  it("takes the durable task hub from the setting the code and infra/ use", () => {
    const hub = /^%(\w+)%$/.exec(host.extensions.durableTask.hubName)?.[1];
    expect(hub).toBe("VANTAGE_TASK_HUB");
    expect(configFromEnv({ VANTAGE_TASK_HUB: "HubX" }).taskHub).toBe("HubX");
    expect(settings[hub!]).toEqual({ expression: "replace(name, '-', '')" });
  });

  it("allows functions more time than the HTTP client waits and than Azure's HTTP front end (230 s)", () => {
    const [h, m, s] = String(host.functionTimeout).split(":").map(Number);
    const ms = ((h * 60 + m) * 60 + s) * 1000;
    expect(ms).toBeGreaterThanOrEqual(230_000);
    const entry = readFileSync(join(ROOT, "functions/index.ts"), "utf8");
    const wait = Number(/waitForCompletion: async \(instanceId, timeoutMs = ([\d_]+)\)/.exec(entry)?.[1].replace(/_/g, ""));
    expect(wait).toBeGreaterThan(0);
    expect(wait).toBeLessThan(230_000);
  });
});
