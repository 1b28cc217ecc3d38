// Share links: the dashboard opens `/#explorer?q=<base64url(query)>`. Only the query travels, never
// results, so a link is safe to paste and is re-evaluated against the viewer's own graph.
import { InputError } from "../errors.js";

export const SHARE_PREFIX = "#explorer?q=";

export function encodeShareLink(query: string, baseUrl = ""): string {
  const encoded = Buffer.from(query, "utf8").toString("base64url");
  return `${baseUrl.replace(/\/?#.*$/, "").replace(/\/$/, "")}/${SHARE_PREFIX}${encoded}`;
}

/** Accepts a full link, its fragment, or the bare encoded value. */
export function decodeShareLink(link: string): string {
  const at = link.indexOf("q=");
  const raw = (at >= 0 ? link.slice(at + 2) : link).split("&")[0]!.trim();
  if (raw === "" || !/^[A-Za-z0-9_-]+={0,2}$/.test(raw)) throw new InputError("not an explorer share link (expected …/#explorer?q=<base64url>)");
  const text = Buffer.from(raw, "base64url").toString("utf8");
  if (text.includes("\uFFFD")) throw new InputError("the share link does not decode to UTF-8 text");
  return text;
}
