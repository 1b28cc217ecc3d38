// Block-style YAML for the fix patches. Every failing resource carries one, so a 30k-pod cluster
// writes hundreds of thousands of them: a general YAML library's document model costs ~25 µs per
// patch, this direct emitter well under one. It covers exactly what patches hold (maps, lists,
// strings, numbers, booleans, null), lays them out as `yaml`'s stringify does, and quotes every
// string a YAML 1.1 or 1.2 reader could take for something else (a test parses the output back).

/** A string that reads back as itself when written plain, in YAML 1.1 and 1.2 alike. */
const PLAIN = /^[A-Za-z0-9_/$][A-Za-z0-9_./@=+$-]*$/;
const NUMBER_LIKE = /^[-+]?(\.[0-9]+|[0-9][0-9_]*(\.[0-9_]*)?)([eE][-+]?[0-9]+)?$|^0[xXoObB]/;
const RESERVED = /^(true|false|null|yes|no|on|off|y|n|~)$/i;

function scalar(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "number") return Number.isFinite(v) ? String(v) : v > 0 ? ".inf" : v < 0 ? "-.inf" : ".nan";
  const s = String(v);
  // JSON's double-quoted form is valid YAML (same escapes), so anything unusual is written that way.
  return PLAIN.test(s) && !NUMBER_LIKE.test(s) && !RESERVED.test(s) ? s : JSON.stringify(s);
}

const isMap = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** `key: value` lines of a map at `indent`; the first line may continue a "- " list marker. */
function emitMap(map: Record<string, unknown>, indent: string, out: string[], firstPrefix: string): void {
  let first = true;
  for (const [k, v] of Object.entries(map)) {
    if (v === undefined) continue;
    const lead = first ? firstPrefix : indent;
    first = false;
    const key = scalar(k);
    if (isMap(v) && Object.keys(v).some((x) => v[x] !== undefined)) {
      out.push(`${lead}${key}:`);
      emitMap(v, `${indent}  `, out, `${indent}  `);
    } else if (Array.isArray(v) && v.length) {
      out.push(`${lead}${key}:`);
      emitSeq(v, `${indent}  `, out);
    } else out.push(`${lead}${key}: ${isMap(v) ? "{}" : Array.isArray(v) ? "[]" : scalar(v)}`);
  }
  if (first) out.push(`${firstPrefix}{}`);
}

function emitSeq(list: unknown[], indent: string, out: string[]): void {
  for (const item of list) {
    if (isMap(item) && Object.keys(item).some((x) => item[x] !== undefined)) emitMap(item, `${indent}  `, out, `${indent}- `);
    else if (Array.isArray(item) && item.length) {
      out.push(`${indent}-`);
      emitSeq(item, `${indent}  `, out);
    } else out.push(`${indent}- ${isMap(item) ? "{}" : Array.isArray(item) ? "[]" : scalar(item)}`);
  }
}

/** The value as block YAML without a trailing newline. */
export function toYaml(value: unknown): string {
  if (isMap(value)) {
    const out: string[] = [];
    emitMap(value, "", out, "");
    return out.join("\n");
  }
  if (Array.isArray(value) && value.length) {
    const out: string[] = [];
    emitSeq(value, "", out);
    return out.join("\n");
  }
  return isMap(value) ? "{}" : Array.isArray(value) ? "[]" : scalar(value);
}
