// What the Azure Functions host receives: the BUILT entry point loaded with a stand-in for the
// worker's `@azure/functions-core`, so the real @azure/functions and durable-functions code runs.
// Every catalog function must arrive exactly once with the trigger binding its definition implies.
import { beforeAll, describe, expect, it } from "vitest";
import { createCatalog } from "../../functions/catalog.js";
import { azureRoute, azureSchedule } from "../../functions/azure-bindings.js";
import type { FunctionDefinition } from "../../shared/platform/functions.js";
import { bicepAppSettings } from "../infra/app-settings.js";
import { dependenciesFromEnv } from "../../shared/workflows/dependencies.js";
import { assertBuilt, manifestOf, ROOT, type Manifest, type Registration } from "./built.js";

// The catalog as the Azure entry builds it (its dependencies are only touched when a function runs).
const catalog = createCatalog(dependenciesFromEnv({}));

// The Functions host's rule for function names; binding names must be identifiers.
const FUNCTION_NAME = /^[a-z][a-z0-9_-]{0,127}$/i;
const BINDING_NAME = /^([a-z][a-z0-9]*|\$return)$/i;
const TRIGGER_TYPE: Record<FunctionDefinition["trigger"]["type"], string> = {
  http: "httpTrigger",
  timer: "timerTrigger",
  eventGrid: "eventGridTrigger",
  orchestration: "orchestrationTrigger",
  activity: "activityTrigger",
};

let manifest: Manifest;
beforeAll(async () => {
  assertBuilt();
  manifest = await manifestOf(ROOT);
}, 120_000);

const triggerOf = (r: Registration) => Object.values(r.bindings).filter((b) => /trigger$/i.test(b.type));

describe("Azure registrations (functions:manifest)", () => {
  it("registers through the real @azure/functions programming model, without errors", () => {
    expect(manifest.programmingModel?.name).toBe("@azure/functions");
    expect(manifest.errors).toEqual([]);
  });

  it("registers every catalog function exactly once and nothing else, under valid, case-insensitively unique names", () => {
    const names = manifest.functions.map((f) => f.name);
    expect([...names].sort()).toEqual(catalog.map((d) => d.name).sort());
    expect(new Set(names.map((n) => n.toLowerCase())).size).toBe(names.length);
    for (const n of names) expect(n).toMatch(FUNCTION_NAME);
  });

  it("gives each function one trigger binding of its kind, direction in, and valid binding names", () => {
    for (const def of catalog) {
      const reg = manifest.functions.find((f) => f.name === def.name)!;
      const triggers = triggerOf(reg);
      expect(triggers, def.name).toHaveLength(1);
      expect(triggers[0], def.name).toMatchObject({ type: TRIGGER_TYPE[def.trigger.type], direction: "in" });
      for (const [key, b] of Object.entries(reg.bindings)) {
        expect(key, def.name).toMatch(BINDING_NAME);
        expect(["in", "out"]).toContain(b.direction);
      }
    }
  });

  it("declares HTTP routes, methods and auth levels as the catalog does, with an http return binding", () => {
    const http = catalog.filter((d): d is Extract<FunctionDefinition, { trigger: { type: "http" } }> => d.trigger.type === "http");
    expect(http.length).toBeGreaterThan(5);
    for (const def of http) {
      const reg = manifest.functions.find((f) => f.name === def.name)!;
      expect(triggerOf(reg)[0], def.name).toMatchObject({ route: azureRoute(def.trigger.route), methods: def.trigger.methods, authLevel: def.trigger.authLevel ?? "function" });
      expect(reg.bindings.$return, def.name).toMatchObject({ type: "http", direction: "out" });
    }
    // Routes are unique per method: two functions answering the same request would be ambiguous.
    const keys = http.flatMap((d) => d.trigger.methods.map((m) => `${m} ${d.trigger.route}`));
    expect(new Set(keys).size).toBe(keys.length);
    // Only the Event Grid webhook and onboarding need a function key; reads stay behind Easy Auth.
    const keyed = http.filter((d) => (d.trigger.authLevel ?? "function") === "function").map((d) => d.trigger.route);
    expect(keyed.every((r) => /^api\/(events|onboard)/.test(r))).toBe(true);
  });

  it("schedules timers with %SETTING% that infra/ resolves to the catalog default", () => {
    const settings = bicepAppSettings();
    const timers = catalog.filter((d): d is Extract<FunctionDefinition, { trigger: { type: "timer" } }> => d.trigger.type === "timer");
    expect(timers.map((t) => t.name).sort()).toEqual(["feedUpdateTimer", "inventoryTimer", "rediscoverTimer", "refreshTimer", "snapshotTimer"]);
    for (const def of timers) {
      const trigger = triggerOf(manifest.functions.find((f) => f.name === def.name)!)[0];
      expect(trigger.schedule, def.name).toBe(azureSchedule(def.trigger));
      const setting = /^%(\w+)%$/.exec(String(trigger.schedule))?.[1];
      expect(setting, def.name).toBe(def.trigger.scheduleSetting);
      expect(settings[setting!], `${setting} in infra app settings`).toBe(def.trigger.schedule);
      expect(def.trigger.schedule.split(" "), "NCRONTAB has six fields").toHaveLength(6);
      expect(trigger.runOnStartup ?? false, `${def.name}: runOnStartup would fire on every scale-out`).toBe(false);
    }
  });

  it("gives HTTP, timer and Event Grid functions the durable client input; orchestrations and activities none", () => {
    for (const def of catalog) {
      const reg = manifest.functions.find((f) => f.name === def.name)!;
      const clients = Object.values(reg.bindings).filter((b) => b.type === "durableClient");
      const wants = ["http", "timer", "eventGrid"].includes(def.trigger.type);
      expect(clients.map((c) => c.direction), def.name).toEqual(wants ? ["in"] : []);
    }
  });

  it("registers the orchestrations and activities the workflows call by name", async () => {
    const { ACTIVITIES, ORCHESTRATIONS } = await import("../../shared/workflows/names.js");
    const kinds = new Map(manifest.functions.map((f) => [f.name, triggerOf(f)[0].type]));
    for (const name of Object.values(ORCHESTRATIONS)) expect(kinds.get(name), name).toBe("orchestrationTrigger");
    for (const name of Object.values(ACTIVITIES)) expect(kinds.get(name), name).toBe("activityTrigger");
  });
});
