// One JSON file of a feed source (a file of a feed directory, an entry of an OSV all.zip): its OSV
// records, or why it holds none. A bad file is skipped with a warning naming it; the rest of the
// source still loads.
import { WarningList } from "../image/limits.js";

/** At most this many warnings per build; a hostile archive of broken entries gets one summary line. */
export const MAX_FEED_WARNINGS = 100;

export class FeedWarnings extends WarningList {
  constructor() {
    super(MAX_FEED_WARNINGS);
  }
}

/** Pushes the OSV records found in one parsed JSON document; returns false when it holds none. */
export function collectRecords(doc: unknown, into: unknown[]): boolean {
  if (Array.isArray(doc)) {
    into.push(...doc);
    return true;
  }
  if (typeof doc === "object" && doc !== null && typeof (doc as { id?: unknown }).id === "string") {
    into.push(doc);
    return true;
  }
  return false;
}

/** Adds the file's records to `into`; returns the problem when the file holds none. */
export function readRecordFile(text: string, into: unknown[]): string | undefined {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    return `not valid JSON (${(err as Error).message.slice(0, 160)})`;
  }
  return collectRecords(doc, into) ? undefined : "neither an OSV record nor an array of records";
}

/**
 * How a warning names an OSV source: `…/<Ecosystem>/all.zip` (OSV's layout) names its ecosystem,
 * anything else its URL.
 */
export function describeSource(url: string): string {
  let path = url;
  try {
    path = new URL(url).pathname;
  } catch {
    /* not a URL: a path */
  }
  const m = /(?:^|\/)([^/]+)\/all\.zip$/.exec(path);
  if (!m) return url;
  let ecosystem = m[1]!;
  try {
    ecosystem = decodeURIComponent(ecosystem);
  } catch {
    /* keep it as written */
  }
  return `${ecosystem} all.zip (${url})`;
}
