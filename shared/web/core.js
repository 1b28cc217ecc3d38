// Shared helpers of the dashboard's views: DOM building (values only ever set as text, never
// as markup), the API client with its error shape, and small formatters.

export const SEVERITIES = ["critical", "high", "medium", "low", "unknown"];
export const RISKS = ["critical", "high", "medium", "low"];

/** el("td", {class: "x"}, "text", childNode) — attributes starting with "on" become listeners. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "class") node.className = v;
    else node.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat()) if (c !== undefined && c !== null && c !== false) node.append(c instanceof Node ? c : String(c));
  return node;
}

export const $ = (id) => document.getElementById(id);

export function setContent(container, state, ...nodes) {
  container.dataset.state = state;
  container.replaceChildren(...nodes);
}

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fetches JSON; non-2xx becomes an ApiError carrying the API's own {error:{code,message}}. */
export async function api(path, init = {}) {
  let res;
  try {
    res = await fetch(path, { ...init, headers: { accept: "application/json", ...(init.headers ?? {}) } });
  } catch (err) {
    throw new ApiError(0, "NetworkError", `cannot reach the Vantage API (${err.message})`);
  }
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}

export async function errorFrom(res) {
  let code = `HTTP${res.status}`;
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body = await res.json();
    if (body?.error) ({ code = code, message = message } = body.error);
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(res.status, code, message);
}

export function errorBox(what, err) {
  return el("div", { class: "error", role: "alert" }, el("strong", {}, `Could not load ${what}: `), err.message);
}

export function empty(text, hint) {
  return el("div", { class: "empty" }, el("p", {}, text), hint ? el("p", { class: "muted" }, hint) : null);
}

export function ago(iso) {
  if (!iso) return el("span", { class: "muted" }, "never");
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const units = [["d", 86_400_000], ["h", 3_600_000], ["min", 60_000]];
  const [unit, size] = units.find(([, size]) => Math.abs(ms) >= size) ?? ["s", 1000];
  const text = ms < 60_000 ? "just now" : `${Math.floor(ms / size)} ${unit} ago`;
  return el("time", { datetime: iso, title: new Date(iso).toLocaleString() }, text);
}

export function badge(value, kind = value) {
  return el("span", { class: `badge badge-${kind}` }, value);
}

/** A table: columns are [header, cell(row) → Node|string, {numeric}]. */
export function table(caption, columns, rows, attrs = {}) {
  return el("table", { class: "data", ...attrs },
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, columns.map(([h, , o]) => el("th", { scope: "col", class: o?.numeric ? "num" : null }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map(([, cell, o]) => el("td", { class: o?.numeric ? "num" : null }, cell(r)))))),
  );
}

export const shortDigest = (d) => (d?.startsWith("sha256:") ? `sha256:${d.slice(7, 19)}` : d ?? "");
export const kindOf = (id) => id.slice(0, id.indexOf(":"));
/** Node ids are "kind:rest" (docs/graph.md); the label is the rest. */
export const labelOf = (id) => id.slice(id.indexOf(":") + 1);


export function countBy(items, key) {
  const out = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

export function keyValue(rows) {
  return el("dl", { class: "kv" }, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

export function formatValue(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return el("code", {}, JSON.stringify(v));
  return String(v);
}
