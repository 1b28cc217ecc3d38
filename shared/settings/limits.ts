// VANTAGE_WALK_LIMITS and VANTAGE_QUERY_LIMITS: JSON objects whose keys replace the code defaults of
// the image walk budgets (WalkLimits) and the explorer's cost limits (QueryLimits). Read once where
// the app or the CLI starts and passed down; a mistake is one line and stops the start (the CLI exits
// 2) rather than being ignored, since a typo'd key would otherwise leave a limit silently unchanged.
import { InputError } from "../errors.js";
import { DEFAULT_LIMITS as QUERY_DEFAULTS, type QueryLimits } from "../explorer/model.js";
import { DEFAULT_LIMITS as WALK_DEFAULTS, type WalkLimits } from "../scanner/image/limits.js";

type Env = Record<string, string | undefined>;

const shown = (v: unknown) => {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 60)}…` : s;
};

/**
 * The overrides a limits setting holds: every key one of `defaults`' and every value a positive
 * integer. Unset or empty: no overrides.
 */
export function parseLimitOverrides<T extends object>(name: string, raw: string | undefined, defaults: T): Partial<T> {
  if (raw === undefined || raw.trim() === "") return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (err) {
    throw new InputError(`${name} must be a JSON object of limits, e.g. {"${Object.keys(defaults)[0]}": 1000} (${(err as Error).message.split("\n")[0]})`);
  }
  if (!value || typeof value !== "object" || Array.isArray(value)) throw new InputError(`${name} must be a JSON object of limits (got ${shown(value)})`);
  const out: Record<string, number> = {};
  for (const [key, v] of Object.entries(value)) {
    if (!Object.hasOwn(defaults, key)) throw new InputError(`${name}: unknown limit ${shown(key)} (known: ${Object.keys(defaults).join(", ")})`);
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v <= 0) throw new InputError(`${name}: ${key} must be a positive integer (got ${shown(v)})`);
    out[key] = v;
  }
  return out as Partial<T>;
}

/** VANTAGE_WALK_LIMITS: image walk budgets over DEFAULT_LIMITS of shared/scanner/image/limits.ts. */
export function walkLimitsFromEnv(env: Env): Partial<WalkLimits> {
  return parseLimitOverrides("VANTAGE_WALK_LIMITS", env.VANTAGE_WALK_LIMITS, WALK_DEFAULTS);
}

/** VANTAGE_QUERY_LIMITS: explorer cost limits over DEFAULT_LIMITS of shared/explorer/model.ts. */
export function queryLimitsFromEnv(env: Env): Partial<QueryLimits> {
  return parseLimitOverrides("VANTAGE_QUERY_LIMITS", env.VANTAGE_QUERY_LIMITS, QUERY_DEFAULTS);
}
