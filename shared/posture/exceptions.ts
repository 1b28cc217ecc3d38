// Exceptions: a control id plus a scope selector (subscription, cluster, namespace, name glob, label
// selector), a reason and an optional expiry. Exempted failures are reported apart and not scored;
// an expired exception no longer applies, so the failure counts again.
import { parse as parseYaml } from "yaml";
import { InputError } from "../errors.js";
import type { ResourceRef } from "./model.js";

export interface PostureException {
  control: string;
  subscription?: string;
  cluster?: string;
  namespace?: string;
  /** Glob on the resource's own name (`*` and `?`). */
  name?: string;
  /** Kubernetes label selector syntax: `app=web,tier in (a,b),!legacy`. */
  labels?: string;
  reason: string;
  /** ISO date or date-time; from that instant on the exception is expired. */
  expires?: string;
}

export interface ExceptionContext {
  subscriptionId?: string;
  cluster?: string;
}

type Requirement = { key: string; op: "=" | "!=" | "in" | "notin" | "exists" | "!exists"; values: string[] };

const FIELDS = new Set(["control", "subscription", "cluster", "namespace", "name", "labels", "reason", "expires"]);

/** Parses an exceptions document (JSON or YAML: a list, or `{exceptions: [...]}`). Throws InputError naming the entry. */
export function parseExceptions(text: string, source = "exceptions"): PostureException[] {
  let doc: unknown;
  try {
    doc = parseYaml(text);
  } catch (err) {
    throw new InputError(`${source}: not valid YAML/JSON (${(err as Error).message.split("\n")[0]})`);
  }
  if (doc === null || doc === undefined) return [];
  const list = Array.isArray(doc) ? doc : (doc as { exceptions?: unknown }).exceptions;
  if (!Array.isArray(list)) throw new InputError(`${source}: expected a list of exceptions (or {exceptions: [...]})`);
  return list.map((raw, i) => {
    const at = `${source}: exception ${i + 1}`;
    if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw new InputError(`${at}: expected a mapping`);
    const e = raw as Record<string, unknown>;
    for (const k of Object.keys(e)) if (!FIELDS.has(k)) throw new InputError(`${at}: unknown field "${k}"`);
    for (const k of Object.keys(e)) if (typeof e[k] !== "string" && !(k === "expires" && e[k] instanceof Date)) throw new InputError(`${at}: ${k} must be a string`);
    if (!e.control) throw new InputError(`${at}: control is required`);
    if (!e.reason || !(e.reason as string).trim()) throw new InputError(`${at}: reason is required`);
    const expires = e.expires instanceof Date ? e.expires.toISOString() : (e.expires as string | undefined);
    if (expires !== undefined && Number.isNaN(Date.parse(expires))) throw new InputError(`${at}: expires "${expires}" is not an ISO date`);
    if (e.labels !== undefined) parseSelector(e.labels as string, at);
    return { ...(e as unknown as PostureException), ...(expires !== undefined ? { expires } : {}) };
  });
}

export function isExpired(e: PostureException, now: Date): boolean {
  return e.expires !== undefined && Date.parse(e.expires) <= now.getTime();
}

function globMatches(glob: string, value: string): boolean {
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`);
  return re.test(value);
}

export function parseSelector(text: string, where = "labels"): Requirement[] {
  const parts: string[] = [];
  let depth = 0;
  let cur = "";
  for (const ch of text) {
    if (ch === "(") depth++;
    if (ch === ")") depth--;
    if (ch === "," && depth === 0) {
      parts.push(cur);
      cur = "";
    } else cur += ch;
  }
  if (cur.trim()) parts.push(cur);
  return parts.map((p) => {
    const s = p.trim();
    let m = /^([\w./-]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(s);
    if (m) return { key: m[1]!, op: m[2] as "in" | "notin", values: m[3]!.split(",").map((v) => v.trim()).filter(Boolean) };
    m = /^([\w./-]+)\s*(==|=|!=)\s*([\w.-]*)$/.exec(s);
    if (m) return { key: m[1]!, op: m[2] === "!=" ? "!=" : "=", values: [m[3]!] };
    m = /^(!?)([\w./-]+)$/.exec(s);
    if (m) return { key: m[2]!, op: m[1] ? "!exists" : "exists", values: [] };
    throw new InputError(`${where}: cannot parse label selector "${s}"`);
  });
}

function selectorMatches(reqs: Requirement[], labels: Record<string, string>): boolean {
  return reqs.every((r) => {
    const has = Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case "=": return has && v === r.values[0];
      case "!=": return !has || v !== r.values[0];
      case "in": return has && r.values.includes(v!);
      case "notin": return !has || !r.values.includes(v!);
      case "exists": return has;
      case "!exists": return !has;
    }
  });
}

/** The first exception (expired or not) whose control and scope match the failure. */
export function matchException(
  exceptions: readonly PostureException[],
  controlId: string,
  resource: ResourceRef,
  labels: Record<string, string> | undefined,
  ctx: ExceptionContext,
): PostureException | undefined {
  return exceptions.find(
    (e) =>
      globMatches(e.control, controlId) &&
      (e.subscription === undefined || e.subscription.toLowerCase() === ctx.subscriptionId?.toLowerCase()) &&
      (e.cluster === undefined || globMatches(e.cluster, ctx.cluster ?? "")) &&
      (e.namespace === undefined || globMatches(e.namespace, resource.namespace ?? "")) &&
      (e.name === undefined || globMatches(e.name, resource.name)) &&
      (e.labels === undefined || selectorMatches(parseSelector(e.labels), labels ?? {})),
  );
}
