// Small helpers shared by catalogers: bounded text parsing and uniform warnings.
import type { FileFacts } from "./types.js";

/** Upper bound on packages one file may yield; a real rpmdb has a few thousand. */
export const MAX_PACKAGES_PER_FILE = 50_000;
/** Text databases larger than this are not parsed (dpkg status of a full desktop is ~5 MiB). */
export const MAX_TEXT_BYTES = 64 * 1024 * 1024;

export function toText(content: Buffer): string {
  return content.toString("utf8");
}

export function basename(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(i + 1) : path;
}

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  return i >= 0 ? path.slice(0, i) : "";
}

export function warnOnly(path: string, message: string): FileFacts {
  return { packages: [], warnings: [`${path}: ${message}`] };
}

/** Runs a parser and turns any unexpected exception into a warning: catalogers never throw. */
export async function guarded(path: string, name: string, fn: () => FileFacts | Promise<FileFacts>): Promise<FileFacts> {
  try {
    return await fn();
  } catch (e) {
    return warnOnly(path, `${name} cataloger failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export function guardedSync(path: string, name: string, fn: () => FileFacts): FileFacts {
  try {
    return fn();
  } catch (e) {
    return warnOnly(path, `${name} cataloger failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/**
 * RFC 822-style control stanzas (dpkg status, Python METADATA headers): "Key: value" lines,
 * continuation lines start with space/tab, stanzas separated by blank lines. Keys keep their case
 * as written; lookups use the exact field names the formats define. `only` keeps just those fields
 * (a stanza still counts when none of its fields is kept).
 *
 * Lines are found by index rather than split and trimmed, and the fields not kept are skipped
 * without building strings: a 740 KB dpkg status took 30–50 ms to split, a stall of the walk's
 * thread during which no inflate of that layer is scheduled.
 */
export function parseStanzas(text: string, maxStanzas = MAX_PACKAGES_PER_FILE * 2, only?: ReadonlySet<string>): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let fields = 0;
  let lastKey: string | undefined;
  let keep = false;
  let colon = -2;
  for (let pos = 0; pos <= text.length; ) {
    let end = text.indexOf("\n", pos);
    if (end < 0) end = text.length;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const next = end + 1;
    const first = text.charCodeAt(pos);
    // Only a line that starts with a space, a control character or a non-ASCII character can be blank.
    const maybeBlank = lineEnd === pos || first <= 32 || first >= 0x80;
    const trimmed = maybeBlank ? text.slice(pos, lineEnd).trim() : undefined;
    if (trimmed === "") {
      if (fields) {
        out.push(cur);
        if (out.length >= maxStanzas) return out;
      }
      cur = new Map();
      fields = 0;
      lastKey = undefined;
      pos = next;
      continue;
    }
    if ((first === 32 || first === 9) && lastKey !== undefined) {
      // Only the first line matters for the fields we read; cap growth of long descriptions.
      if (keep) {
        const prev = cur.get(lastKey) ?? "";
        if (prev.length < 4096) cur.set(lastKey, prev + "\n" + trimmed);
      }
      pos = next;
      continue;
    }
    // The next colon is searched again only once passed: lines without one stay linear in total.
    if (colon !== -1 && colon < pos) colon = text.indexOf(":", pos);
    if (colon > pos && colon < lineEnd) {
      lastKey = text.slice(pos, colon).trim();
      fields++;
      keep = !only || only.has(lastKey);
      if (keep && !cur.has(lastKey)) cur.set(lastKey, text.slice(colon + 1, lineEnd).trim());
    }
    pos = next;
  }
  if (fields) out.push(cur);
  return out;
}

/** True for printable, reasonably short identifiers (names, versions) — rejects garbage bytes. */
export function plausible(s: string | undefined, max = 256): s is string {
  return typeof s === "string" && s.length > 0 && s.length <= max && !/[\u0000-\u001f\u007f\ufffd\s]/.test(s);
}
