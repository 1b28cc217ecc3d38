// Azure entry point (package.json "main"): registers the catalog with the v4 programming model.
// Nothing here runs under the local host or tests; they use the catalog directly.
import { app, type InvocationContext } from "@azure/functions";
import * as df from "durable-functions";
import type { HandlerContext } from "../shared/platform/functions.js";
import { isFinalStatus, toInstanceStatus, type OrchestrationClient } from "../shared/platform/orchestration.js";
import { checkSettings } from "../shared/workflows/config.js";
import { dependenciesFromEnv } from "../shared/workflows/dependencies.js";
import { azureRoute, azureSchedule } from "./azure-bindings.js";
import { createCatalog } from "./catalog.js";

// A malformed setting stops the app here, at load, with its one-line error (not at the first request).
checkSettings(process.env);
// One set of dependencies for this host, from its app settings (built on first use).
const catalog = createCatalog(dependenciesFromEnv(process.env));

function clientFor(context: InvocationContext): OrchestrationClient {
  const client = df.getClient(context);
  const api: OrchestrationClient = {
    startNew: (name, options) => client.startNew(name, { instanceId: options?.instanceId, input: options?.input }),
    getStatus: async (instanceId) => {
      try {
        return toInstanceStatus(await client.getStatus(instanceId));
      } catch {
        return undefined; // 404: no such instance
      }
    },
    waitForCompletion: async (instanceId, timeoutMs = 60_000) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const s = await api.getStatus(instanceId);
        if (s && isFinalStatus(s.runtimeStatus)) return s;
        if (Date.now() > deadline) throw new Error(`orchestration ${instanceId} did not finish within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    },
  };
  return api;
}

function handlerContext(context: InvocationContext): HandlerContext {
  return { client: clientFor(context), log: (m) => context.log(m) };
}

const durableClient = df.input.durableClient();

for (const def of catalog) {
  switch (def.trigger.type) {
    case "http": {
      const d = def as Extract<typeof def, { trigger: { type: "http" } }>;
      app.http(d.name, {
        route: azureRoute(d.trigger.route),
        methods: d.trigger.methods,
        authLevel: d.trigger.authLevel ?? "function",
        extraInputs: [durableClient],
        handler: (request, context) => d.handler(request, handlerContext(context)),
      });
      break;
    }
    case "timer": {
      const d = def as Extract<typeof def, { trigger: { type: "timer" } }>;
      app.timer(d.name, { schedule: azureSchedule(d.trigger), runOnStartup: d.trigger.runOnStartup, extraInputs: [durableClient], handler: (_t, context) => d.handler(handlerContext(context)) });
      break;
    }
    case "eventGrid": {
      const d = def as Extract<typeof def, { trigger: { type: "eventGrid" } }>;
      app.eventGrid(d.name, { extraInputs: [durableClient], handler: (event, context) => d.handler(event as never, handlerContext(context)) });
      break;
    }
    case "orchestration":
      df.app.orchestration(def.name, def.handler as df.OrchestrationHandler);
      break;
    case "activity":
      df.app.activity(def.name, { handler: def.handler as df.ActivityHandler });
      break;
  }
}
