// Drops values that must never be kept, in place, at the earliest point an object is in hand:
// Secret data/stringData values (key names survive for the model) and last-applied annotations.
import { isRecord } from "./fields.js";
import { LAST_APPLIED_ANNOTATION } from "./meta.js";

export function scrubSecretValues(raw: Record<string, unknown>, kind: unknown = raw.kind): void {
  if (isRecord(raw.metadata) && isRecord(raw.metadata.annotations)) delete raw.metadata.annotations[LAST_APPLIED_ANNOTATION];
  if (kind !== "Secret") return;
  for (const key of ["data", "stringData"]) {
    const values = raw[key];
    if (isRecord(values)) for (const k of Object.keys(values)) values[k] = "";
    else delete raw[key];
  }
}
