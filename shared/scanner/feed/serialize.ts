// FeedIndex ↔ JSON text / gzip bytes. Parsing validates the envelope so a truncated or foreign
// blob is rejected instead of matching against nothing.
import { gunzipSync, gzipSync } from "node:zlib";
import { InputError } from "../../errors.js";
import { FEED_INDEX_SCHEMA, type FeedIndex } from "./model.js";

export function serializeFeedIndex(index: FeedIndex): string {
  return JSON.stringify(index);
}

export function parseFeedIndex(text: string, source = "feed index"): FeedIndex {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new InputError(`${source}: not valid JSON (${(err as Error).message})`);
  }
  const d = doc as Partial<FeedIndex> | null;
  const isObj = (v: unknown) => typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObj(d) || d!.schema !== FEED_INDEX_SCHEMA) throw new InputError(`${source}: not a Vantage feed index (schema ${FEED_INDEX_SCHEMA} expected)`);
  for (const field of ["version", "stats", "vulns", "packages", "kev", "epss"] as const) {
    if (!isObj(d![field])) throw new InputError(`${source}: feed index lacks "${field}"`);
  }
  if (typeof d!.version!.hash !== "string") throw new InputError(`${source}: feed index lacks version.hash`);
  return d as FeedIndex;
}

export function gzipFeedIndex(index: FeedIndex): Buffer {
  return gzipSync(serializeFeedIndex(index));
}

export function gunzipFeedIndex(bytes: Uint8Array, source = "feed index", maxBytes = 2 * 1024 ** 3): FeedIndex {
  let text: string;
  try {
    text = gunzipSync(bytes, { maxOutputLength: maxBytes }).toString("utf8");
  } catch (err) {
    throw new InputError(`${source}: not a gzip'd feed index (${(err as Error).message})`);
  }
  return parseFeedIndex(text, source);
}
