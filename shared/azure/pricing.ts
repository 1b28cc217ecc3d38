// Microsoft Defender for Cloud plans (Microsoft.Security/pricings): Vantage reads the Containers
// plan's tier before acting on a pricing write, since Event Grid reports every plan change, on or
// off, as the same ResourceWriteSuccess. No SDK for Microsoft.Security is used, so this is one GET
// on the connection's endpoint with its credential and TLS trust.
import { request } from "node:https";
import type { ArmConnection } from "./connection.js";
import { ArmError } from "./errors.js";
import { parseSubscriptionId } from "./ids.js";

export const PRICINGS_API_VERSION = "2024-01-01";
/** The Defender for Containers plan. */
export const CONTAINERS_PLAN = "Containers";

export type PricingTier = "Free" | "Standard";

const PRICING_ID = /^\/subscriptions\/([0-9a-f-]{36})\/providers\/Microsoft\.Security\/pricings\/([^/]+)$/i;

/** The plan a pricing resource id names ("/subscriptions/{s}/providers/Microsoft.Security/pricings/{plan}"), or undefined. */
export function pricingPlanOf(resourceId: string): { subscriptionId: string; plan: string } | undefined {
  const m = PRICING_ID.exec(resourceId.trim());
  return m ? { subscriptionId: m[1]!.toLowerCase(), plan: m[2]! } : undefined;
}

const MAX_BODY = 256 * 1024;

/** The plan's `pricingTier` as ARM reports it now. Throws ArmError (status 0 without a response). */
export async function getPricingTier(conn: ArmConnection, plan: string = CONTAINERS_PLAN): Promise<PricingTier> {
  const sub = parseSubscriptionId(conn.subscriptionId);
  const endpoint = conn.endpoint.replace(/\/+$/, "");
  const url = new URL(`${endpoint}/subscriptions/${sub}/providers/Microsoft.Security/pricings/${encodeURIComponent(plan)}`);
  url.searchParams.set("api-version", PRICINGS_API_VERSION);
  const token = await conn.credential.getToken(`${endpoint}/.default`);
  if (!token) throw new ArmError("AuthenticationFailed", "no ARM token for the pricing read", 0);
  const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(
      url,
      { method: "GET", headers: { authorization: `Bearer ${token.token}`, accept: "application/json", "user-agent": "vantage" }, timeout: 30_000, ...(conn.tls ? { ca: conn.tls.ca } : {}) },
      (res) => {
        let size = 0;
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => {
          size += c.length;
          if (size > MAX_BODY) return res.destroy(new Error(`pricing response over ${MAX_BODY} bytes`));
          chunks.push(c);
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("no answer within 30 s")));
    req.on("error", reject);
    req.end();
  }).catch((err: Error) => {
    throw new ArmError("NetworkError", `GET pricing ${plan}: ${err.message}`, 0);
  });
  let parsed: { properties?: { pricingTier?: unknown }; error?: { code?: unknown; message?: unknown } } | undefined;
  try {
    parsed = JSON.parse(body);
  } catch {
    parsed = undefined;
  }
  if (status !== 200) {
    const code = typeof parsed?.error?.code === "string" ? parsed.error.code : `Http${status}`;
    const message = typeof parsed?.error?.message === "string" ? parsed.error.message : `GET pricing ${plan} answered ${status}`;
    throw new ArmError(code, message, status);
  }
  const tier = parsed?.properties?.pricingTier;
  if (tier !== "Free" && tier !== "Standard") throw new ArmError("InvalidResponse", `pricing ${plan} has no known pricingTier (${JSON.stringify(tier)})`, status);
  return tier;
}
