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
 * as written; lookups use the exact field names the formats define.
 */
export function parseStanzas(text: string, maxStanzas = MAX_PACKAGES_PER_FILE * 2): Map<string, string>[] {
  const out: Map<string, string>[] = [];
  let cur = new Map<string, string>();
  let lastKey: string | undefined;
  const lines = text.split(/\r?\n/);
  for (const line of lines) {
    if (line.trim() === "") {
      if (cur.size) {
        out.push(cur);
        if (out.length >= maxStanzas) return out;
      }
      cur = new Map();
      lastKey = undefined;
      continue;
    }
    if ((line[0] === " " || line[0] === "\t") && lastKey !== undefined) {
      // Only the first line matters for the fields we read; cap growth of long descriptions.
      const prev = cur.get(lastKey) ?? "";
      if (prev.length < 4096) cur.set(lastKey, prev + "\n" + line.trim());
      continue;
    }
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    lastKey = line.slice(0, colon).trim();
    if (!cur.has(lastKey)) cur.set(lastKey, line.slice(colon + 1).trim());
  }
  if (cur.size) out.push(cur);
  return out;
}

/** True for printable, reasonably short identifiers (names, versions) — rejects garbage bytes. */
export function plausible(s: string | undefined, max = 256): s is string {
  return typeof s === "string" && s.length > 0 && s.length <= max && !/[\u0000-\u001f\u007f\ufffd\s]/.test(s);
}
