// The local host's HTTP front end: serves the catalog's HTTP functions on loopback with the same
// routes as Azure (host.json routePrefix ""), a 1 MB body bound, and JSON errors.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import functions, { type HttpResponseInit } from "@azure/functions";
import { ensureError, InputError, RequestError } from "../errors.js";
import type { FunctionDefinition, HandlerContext } from "../platform/functions.js";

// @azure/functions is CommonJS and its HttpRequest is not a statically detectable named export.
const { HttpRequest } = functions;

type HttpDef = Extract<FunctionDefinition, { trigger: { type: "http" } }>;
const MAX_BODY = 1024 * 1024;

interface CompiledRoute {
  def: HttpDef;
  regex: RegExp;
  names: string[];
  /** Literal segments win over parameters, parameters over catch-alls (ASP.NET routing precedence). */
  rank: number;
}

export function compileRoute(def: HttpDef): CompiledRoute {
  const names: string[] = [];
  let rank = 0;
  const segments = def.trigger.route.split("/").filter(Boolean);
  let pattern = "";
  for (const seg of segments) {
    const m = /^\{(\*)?([A-Za-z_][A-Za-z0-9_]*)(\?)?\}$/.exec(seg);
    if (!m) { pattern += `/${seg.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`; rank += 100; continue; }
    names.push(m[2]);
    if (m[1]) { pattern += "(?:/(.*))?"; rank += 1; }
    else if (m[3]) { pattern += "(?:/([^/]+))?"; rank += 10; }
    else { pattern += "/([^/]+)"; rank += 20; }
  }
  return { def, regex: new RegExp(`^${pattern || ""}/?$`), names, rank };
}

export function matchRoute(routes: CompiledRoute[], method: string, path: string) {
  let best: { route: CompiledRoute; params: Record<string, string> } | undefined;
  let methodMismatch = false;
  for (const route of routes) {
    const m = route.regex.exec(path);
    if (!m) continue;
    if (!route.def.trigger.methods.includes(method as never)) { methodMismatch = true; continue; }
    if (best && best.route.rank >= route.rank) continue;
    const params: Record<string, string> = {};
    route.names.forEach((n, i) => {
      if (m[i + 1] === undefined) return;
      try {
        params[n] = decodeURIComponent(m[i + 1]);
      } catch {
        throw new InputError(`malformed percent-encoding in ${path}`);
      }
    });
    best = { route, params };
  }
  return { match: best, methodMismatch };
}

function send(res: ServerResponse, init: HttpResponseInit): void {
  const headers: Record<string, string> = {};
  const h = init.headers as Record<string, string> | undefined;
  if (h) for (const [k, v] of Object.entries(h)) headers[k.toLowerCase()] = String(v);
  let body: Buffer | string = "";
  if (init.jsonBody !== undefined) {
    body = JSON.stringify(init.jsonBody);
    headers["content-type"] ??= "application/json; charset=utf-8";
  } else if (typeof init.body === "string" || Buffer.isBuffer(init.body)) body = init.body;
  else if (init.body instanceof Uint8Array) body = Buffer.from(init.body);
  res.writeHead(init.status ?? 200, headers);
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string): void {
  send(res, { status, jsonBody: { error: { code, message } } });
}

export interface HttpServerHandle {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(
  definitions: HttpDef[],
  context: HandlerContext,
  options: { host?: string; port?: number } = {},
): Promise<HttpServerHandle> {
  const routes = definitions.map(compileRoute);
  const host = options.host ?? "127.0.0.1";
  // The first HttpRequest loads Node's fetch implementation (tens of ms): here, not in a request.
  new HttpRequest({ method: "GET", url: `http://${host}/` });
  const server: Server = createServer((req, res) => void handle(req, res));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    try {
      const url = new URL(req.url ?? "/", `http://${host}`);
      const method = (req.method ?? "GET").toUpperCase();
      let matched: ReturnType<typeof matchRoute>;
      try {
        matched = matchRoute(routes, method, url.pathname);
      } catch (err) {
        if (err instanceof RequestError) return sendError(res, err.status, err.code, err.message);
        throw err;
      }
      const { match, methodMismatch } = matched;
      if (!match) {
        return methodMismatch ? sendError(res, 405, "MethodNotAllowed", `${method} is not allowed on ${url.pathname}`) : sendError(res, 404, "NotFound", `no route for ${url.pathname}`);
      }
      const chunks: Buffer[] = [];
      let size = 0;
      for await (const chunk of req) {
        size += (chunk as Buffer).length;
        if (size > MAX_BODY) {
          context.log(`413 ${method} ${url.pathname}: request body is larger than 1 MB`);
          return sendError(res, 413, "PayloadTooLarge", "request body is larger than 1 MB");
        }
        chunks.push(chunk as Buffer);
      }
      const headers: Record<string, string> = {};
      for (const [k, v] of Object.entries(req.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(", ") : v;
      const body = Buffer.concat(chunks);
      const request = new HttpRequest({
        method,
        url: url.toString(),
        headers,
        params: match.params,
        body: body.length ? { string: body.toString("utf8") } : undefined,
      });
      send(res, await match.route.def.handler(request, context));
    } catch (err) {
      context.log(`http: ${ensureError(err).stack}`);
      if (!res.headersSent) sendError(res, 500, "InternalError", "the request failed; see the host log");
      else res.end();
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  return {
    url: `http://${host}:${port}`,
    port,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections?.(); server.close(() => resolve()); }),
  };
}
