// Azure Container Registry token exchange: an Entra ID access token for the ACR audience is swapped at
// POST /oauth2/exchange for an ACR refresh token, which POST /oauth2/token turns into an access token
// for one scope (e.g. "repository:app:pull"). The form bodies are built and read by pure functions.
import type { TokenCredential } from "@azure/identity";
import { RegistryError } from "./errors.js";

/** Entra scope whose tokens ACR accepts for the exchange. */
export const ACR_ENTRA_SCOPE = "https://containerregistry.azure.net/.default";

export function acrExchangeForm(input: { service: string; entraToken: string; tenant?: string }): URLSearchParams {
  const form = new URLSearchParams({ grant_type: "access_token", service: input.service, access_token: input.entraToken });
  if (input.tenant) form.set("tenant", input.tenant);
  return form;
}

export function acrTokenForm(input: { service: string; refreshToken: string; scope: string }): URLSearchParams {
  return new URLSearchParams({ grant_type: "refresh_token", service: input.service, scope: input.scope, refresh_token: input.refreshToken });
}

/** Reads `field` from a token endpoint's JSON answer. */
export function readTokenResponse(status: number, body: string, field: "refresh_token" | "access_token", what: string): string {
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    doc = undefined;
  }
  const value = typeof doc === "object" && doc !== null ? (doc as Record<string, unknown>)[field] : undefined;
  if (status < 200 || status >= 300 || typeof value !== "string" || !value) {
    throw new RegistryError(`${what}: token endpoint answered ${status} without ${field}`, "AuthFailed", status === 401 || status === 403 ? 401 : 502);
  }
  return value;
}

export interface AcrExchangeInput {
  /** https://myregistry.azurecr.io (or a loopback fake's http URL). */
  baseUrl: string;
  /** Registry login server, sent as `service` (the bearer challenge's service). */
  service: string;
  scope: string;
  entraToken: string;
  tenant?: string;
  fetch?: typeof fetch;
}

async function postForm(fetchImpl: typeof fetch, url: string, form: URLSearchParams): Promise<{ status: number; body: string }> {
  const res = await fetchImpl(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: form.toString(),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.text()).slice(0, 1 << 20);
  return { status: res.status, body };
}

/** Exchange an Entra token for an ACR refresh token. */
export async function acrRefreshToken(input: Omit<AcrExchangeInput, "scope">): Promise<string> {
  const f = input.fetch ?? fetch;
  const { status, body } = await postForm(f, new URL("/oauth2/exchange", input.baseUrl).href, acrExchangeForm(input));
  return readTokenResponse(status, body, "refresh_token", `${input.service} /oauth2/exchange`);
}

/** Exchange an ACR refresh token for a scoped access token. */
export async function acrAccessToken(input: { baseUrl: string; service: string; scope: string; refreshToken: string; fetch?: typeof fetch }): Promise<string> {
  const f = input.fetch ?? fetch;
  const { status, body } = await postForm(f, new URL("/oauth2/token", input.baseUrl).href, acrTokenForm(input));
  return readTokenResponse(status, body, "access_token", `${input.service} /oauth2/token`);
}

/** Both steps, starting from an Entra token. */
export async function exchangeAcrToken(input: AcrExchangeInput): Promise<{ refreshToken: string; accessToken: string }> {
  const refreshToken = await acrRefreshToken(input);
  const accessToken = await acrAccessToken({ ...input, refreshToken });
  return { refreshToken, accessToken };
}

/** Gets the Entra token for ACR from an @azure/identity credential. */
export async function entraTokenForAcr(credential: TokenCredential, registry: string): Promise<string> {
  const token = await credential.getToken(ACR_ENTRA_SCOPE);
  if (!token?.token) throw new RegistryError(`${registry}: the Azure credential returned no token for ${ACR_ENTRA_SCOPE}`, "AuthFailed", 401);
  return token.token;
}
