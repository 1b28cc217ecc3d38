// HTTP triggers: request → domain call → response. No domain logic here.
import type { HttpRequest } from "@azure/functions";
import { ConflictError, InputError, NotFoundError } from "../shared/errors.js";
import type { FunctionDefinition, HandlerContext } from "../shared/platform/functions.js";
import { VERSION } from "../shared/version.js";
import { parseDelivery } from "../shared/platform/event-grid.js";
import { json, readJson, withErrors } from "../shared/platform/http.js";
import { accessibleSubscription, scopeFor, type Scope } from "../shared/workflows/access.js";
import type { Dependencies } from "../shared/workflows/dependencies.js";
import { handleEvent, startOnce } from "../shared/workflows/events.js";
import { onboardInstanceId } from "../shared/workflows/instance-ids.js";
import { ORCHESTRATIONS } from "../shared/workflows/names.js";
import { listImageSecrets } from "../shared/workflows/read-secrets.js";
import { listAttackPaths, toPathClasses, listClusters, listFindings, listImages, listSubscriptions } from "../shared/workflows/read-model.js";
import { compliance, listExceptions, listRecommendations } from "../shared/workflows/posture.js";

type HttpDef = Extract<FunctionDefinition, { trigger: { type: "http" } }>;

/** The caller's read scope (VANTAGE_ACCESS over the App Service authentication principal). */
export function scopeOf(deps: Dependencies, req: HttpRequest): Scope {
  return scopeFor(req.headers, deps.config.access);
}

function get(name: string, route: string, handler: (req: HttpRequest, ctx: HandlerContext) => Promise<unknown>): HttpDef {
  // Reads are "anonymous" at the function level: App Service authentication (Entra ID) admits every
  // request before it reaches a function, and the dashboard in a browser holds no function key.
  return { name, trigger: { type: "http", route, methods: ["GET"], authLevel: "anonymous" }, handler: withErrors(async (req, ctx) => json(200, await handler(req, ctx))) };
}

const q = (req: HttpRequest, name: string) => req.query.get(name) ?? undefined;

export function httpFunctions(deps: Dependencies): HttpDef[] {
  const scope = (req: HttpRequest) => scopeOf(deps, req);
  return [
    get("health", "api/health", async () => ({ status: "ok", version: VERSION })),
    get("subscriptions", "api/subscriptions", async (req) => ({ subscriptions: await listSubscriptions(deps, scope(req)) })),
    get("clusters", "api/clusters", async (req) => ({ clusters: await listClusters(deps, scope(req)) })),
    get("images", "api/images", async (req) => ({ images: await listImages(deps, scope(req)) })),
    get("findings", "api/findings", async (req) => ({
      findings: await listFindings(deps, { severity: q(req, "severity"), knownExploited: q(req, "knownExploited"), cluster: q(req, "cluster"), image: q(req, "image"), exposed: q(req, "exposed") }, scope(req)),
    })),
    get("secrets", "api/secrets", async (req) => ({
      secrets: await listImageSecrets(deps, { image: q(req, "image"), cluster: q(req, "cluster"), severity: q(req, "severity"), deleted: q(req, "deleted") }, scope(req)),
    })),
    get("attackPaths", "api/attack-paths", async (req) => {
      const rows = await listAttackPaths(deps, { cluster: q(req, "cluster"), risk: q(req, "risk"), entryType: q(req, "entryType"), targetType: q(req, "targetType"), azure: q(req, "azure") }, scope(req));
      return { paths: rows, classes: toPathClasses(rows) };
    }),
    get("recommendations", "api/recommendations", async (req) => {
      const recommendations = await listRecommendations(deps, { cluster: q(req, "cluster"), severity: q(req, "severity"), control: q(req, "control"), status: q(req, "status") }, scope(req));
      return { recommendations };
    }),
    get("compliance", "api/compliance", async (req) => compliance(deps, q(req, "standard"), scope(req))),
    get("exceptions", "api/exceptions", async () => ({ exceptions: await listExceptions(deps) })),
    {
      name: "onboard",
      trigger: { type: "http", route: "api/onboard", methods: ["POST"] },
      handler: withErrors(async (req, ctx) => {
        const body = (await readJson(req)) as { subscriptionId?: unknown };
        if (!body || typeof body !== "object") throw new InputError("body must be a JSON object with subscriptionId");
        const subscriptionId = accessibleSubscription(scope(req), body.subscriptionId);
        const outcome = await startOnce(ctx.client, ORCHESTRATIONS.onboardSubscription, onboardInstanceId(subscriptionId), { subscriptionId });
        if (outcome.action === "duplicate") throw new ConflictError(outcome.reason, "OnboardingInProgress");
        return json(202, { subscriptionId, instanceId: onboardInstanceId(subscriptionId), statusUrl: `/api/onboard/${subscriptionId}` });
      }),
    },
    get("onboardStatus", "api/onboard/{subscriptionId}", async (req, ctx) => {
      const subscriptionId = accessibleSubscription(scope(req), req.params.subscriptionId);
      const status = await ctx.client.getStatus(onboardInstanceId(subscriptionId));
      if (!status) throw new NotFoundError(`subscription ${subscriptionId} has no onboarding run`);
      return status;
    }),
    {
      // CloudEvents webhook validation (abuse protection): Event Grid sends OPTIONS with
      // WebHook-Request-Origin and expects it allowed back.
      name: "eventsValidation",
      trigger: { type: "http", route: "api/events", methods: ["OPTIONS"] },
      handler: withErrors(async (req) => {
        const origin = req.headers.get("webhook-request-origin");
        if (!origin) throw new InputError("OPTIONS /api/events needs a WebHook-Request-Origin header");
        return { status: 200, headers: { "WebHook-Allowed-Origin": origin, Allow: "POST, OPTIONS" } };
      }),
    },
    {
      name: "events",
      trigger: { type: "http", route: "api/events", methods: ["POST"] },
      handler: withErrors(async (req, ctx) => {
        // The Event Grid schema handshake is a SubscriptionValidationEvent answered with its code.
        const delivery = await parseDelivery(await req.text());
        if (delivery.kind === "validation") return json(200, { validationResponse: delivery.validationCode });
        const outcomes = [];
        for (const event of delivery.events) outcomes.push({ id: event.id, ...(await handleEvent(deps, event, ctx.client, ctx.log)) });
        return json(200, { accepted: outcomes.length, outcomes });
      }),
    },
  ];
}
