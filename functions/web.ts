// The dashboard (docs/http-api.md `GET /`): static assets from shared/web/ plus Cytoscape.js from
// node_modules. No build step, so the same files serve from source (tests) and from dist/.
import { readFile, stat } from "node:fs/promises";
import { createRequire } from "node:module";
import { extname, join, resolve, sep } from "node:path";
import type { HttpRequest, HttpResponseInit } from "@azure/functions";
import { packageRoot } from "../shared/package-root.js";
import type { FunctionDefinition } from "../shared/platform/functions.js";
import { errorResponse, withErrors } from "../shared/platform/http.js";

type HttpDef = Extract<FunctionDefinition, { trigger: { type: "http" } }>;

/** Nothing but our own origin: no inline script or style, no framing, no external loads. */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const CONTENT_TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".txt": "text/plain; charset=utf-8",
};


const WEB_ROOT = join(packageRoot(), "shared", "web");
const require = createRequire(import.meta.url);

function headers(contentType: string, cacheControl: string): Record<string, string> {
  return {
    "content-type": contentType,
    "cache-control": cacheControl,
    "content-security-policy": CONTENT_SECURITY_POLICY,
    "x-content-type-options": "nosniff",
    "referrer-policy": "no-referrer",
  };
}

async function fileResponse(path: string, cacheControl: string): Promise<HttpResponseInit> {
  const body = await readFile(path);
  return { status: 200, body, headers: headers(CONTENT_TYPES[extname(path).toLowerCase()] ?? "application/octet-stream", cacheControl) };
}

/** Maps a request path onto a file under shared/web/, or undefined for anything that escapes it. */
export function assetPath(requested: string, root = WEB_ROOT): string | undefined {
  if (!requested || requested.includes("\0") || requested.startsWith("/") || requested.includes("\\")) return undefined;
  if (requested.split("/").some((seg) => seg === ".." || seg === "." || seg === "")) return undefined;
  const full = resolve(root, requested);
  return full.startsWith(root + sep) ? full : undefined;
}

const notFound = (req: HttpRequest) => errorResponse(404, "NotFound", `no route for ${new URL(req.url).pathname}`);

export const webFunctions: HttpDef[] = [
  {
    // "/" rather than "": with routePrefix "" Azure reads an empty route as "use the function name";
    // "/" serves the site root there once AzureWebJobsDisableHomepage=true, and locally matches "/" only.
    name: "dashboard",
    trigger: { type: "http", route: "/", methods: ["GET"], authLevel: "anonymous" },
    // Revalidate the page on each load so a deployment's new asset links are picked up.
    handler: withErrors(async () => fileResponse(join(WEB_ROOT, "index.html"), "no-cache")),
  },
  {
    name: "dashboardAssets",
    trigger: { type: "http", route: "assets/{*path}", methods: ["GET"], authLevel: "anonymous" },
    handler: withErrors(async (req) => {
      const file = assetPath(req.params.path ?? "");
      if (!file || file === join(WEB_ROOT, "index.html")) return notFound(req);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) return notFound(req);
      // Unversioned file names: short caching, then revalidate.
      return fileResponse(file, "public, max-age=300, must-revalidate");
    }),
  },
  {
    // A literal route outranks assets/{*path}; the file comes straight from the installed package.
    name: "dashboardCytoscape",
    trigger: { type: "http", route: "assets/vendor/cytoscape.min.js", methods: ["GET"], authLevel: "anonymous" },
    handler: withErrors(async () => fileResponse(require.resolve("cytoscape/dist/cytoscape.min.js"), "public, max-age=86400")),
  },
];
