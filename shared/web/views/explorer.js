// Explorer view: Cypher-like queries and templates over the graph, CSV export, share links.
import { $, api, el, empty, errorFrom, setContent, table } from "../core.js";

export const SHARE_PREFIX = "#explorer?q=";

let templates = [];

async function loadTemplates() {
  const select = $("template");
  try {
    templates = (await api("/api/query/templates")).templates ?? [];
  } catch (err) {
    select.replaceChildren(el("option", { value: "" }, "Templates unavailable"));
    select.disabled = true;
    $("template-description").textContent = err.status === 404 ? "This host does not serve query templates." : `Could not load templates: ${err.message}`;
    return;
  }
  select.replaceChildren(el("option", { value: "" }, "Choose a template…"), ...templates.map((t) => el("option", { value: t.id }, t.title)));
  select.disabled = false;
}

/** Cypher literal for a template default, so the editor holds a self-contained query. */
function literal(v) {
  if (Array.isArray(v)) return `[${v.map(literal).join(", ")}]`;
  if (typeof v === "string") return JSON.stringify(v);
  return String(v);
}

/** Replaces `$param` tokens (outside string literals and comments) with their defaults. */
function renderTemplate(t) {
  const defaults = Object.fromEntries((t.parameters ?? []).map((p) => [p.name, p.default]));
  return t.query.replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|\/\/[^\n]*|\$([A-Za-z_][A-Za-z0-9_]*)/g,
    (m, name) => (name !== undefined && name in defaults ? literal(defaults[name]) : m));
}

function onTemplateChange() {
  const t = templates.find((x) => x.id === $("template").value);
  $("template-description").textContent = t ? t.description + (t.parameters?.length ? ` Parameters (defaults filled in): ${t.parameters.map((p) => `${p.name} — ${p.description}`).join("; ")}.` : "") : "";
  if (t) {
    $("query").value = renderTemplate(t);
    $("share-box").hidden = true;
  }
}

function showQueryError(message) {
  const box = $("query-error");
  box.hidden = !message;
  box.textContent = message ?? "";
}

/** The POST /api/query body: the editor's text, scoped to the picked cluster if any. */
function queryBody(query) {
  const cluster = $("cluster").value;
  return JSON.stringify(cluster ? { query, cluster } : { query });
}

function queryText() {
  const q = $("query").value.trim();
  if (!q) showQueryError("Write a query or choose a template first.");
  return q;
}

function cellValue(v) {
  if (v === null || v === undefined) return el("span", { class: "muted" }, "null");
  if (Array.isArray(v)) return v.every((x) => typeof x === "string") ? v.join(" → ") : JSON.stringify(v);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

let running = false;

async function runQuery() {
  const query = queryText();
  if (!query || running) return;
  running = true;
  $("run").disabled = true;
  showQueryError();
  const results = $("results");
  results.dataset.state = "loading";
  try {
    const started = performance.now();
    const body = await api("/api/query", { method: "POST", headers: { "content-type": "application/json" }, body: queryBody(query) });
    const ms = Math.round(performance.now() - started);
    const cols = body.columns ?? [];
    const rows = body.rows ?? [];
    setContent(results, rows.length ? "ready" : "empty",
      el("p", { class: "muted", id: "result-summary" }, `${rows.length} row${rows.length === 1 ? "" : "s"} in ${ms} ms${body.truncated ? " — truncated: refine the query or add LIMIT" : ""}`),
      rows.length
        ? el("div", { class: "table-scroll" }, table("Query results", cols.map((c, i) => [c, (r) => cellValue(r[i])]), rows, { id: "results-table" }))
        : empty("The query matched nothing."),
    );
  } catch (err) {
    results.dataset.state = "error";
    showQueryError(err.status === 404 && err.code === "NotFound" ? "This host does not serve the query API." : err.message);
  } finally {
    running = false;
    $("run").disabled = false;
  }
}

async function exportCsv() {
  const query = queryText();
  if (!query) return;
  showQueryError();
  try {
    const res = await fetch("/api/query", { method: "POST", headers: { "content-type": "application/json", accept: "text/csv" }, body: queryBody(query) });
    if (!res.ok) throw await errorFrom(res);
    const url = URL.createObjectURL(await res.blob());
    const a = el("a", { href: url, download: "vantage-query.csv", hidden: true });
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (err) {
    showQueryError(`CSV export failed: ${err.message}`);
  }
}

/* UTF-8-safe base64url, the encoding `vantage` share links use (shared/explorer/share.ts). */
function toBase64Url(text) {
  let bin = "";
  for (const b of new TextEncoder().encode(text)) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64Url(raw) {
  const b64 = raw.replace(/-/g, "+").replace(/_/g, "/");
  const bin = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return new TextDecoder("utf-8", { fatal: true }).decode(Uint8Array.from(bin, (c) => c.charCodeAt(0)));
}

async function share() {
  const query = queryText();
  if (!query) return;
  const link = `${location.origin}${location.pathname}${SHARE_PREFIX}${toBase64Url(query)}`;
  history.replaceState(null, "", link); // the address bar now holds the shareable URL too
  $("share-box").hidden = false;
  const input = $("share-link");
  input.value = link;
  input.select();
  try {
    await navigator.clipboard.writeText(link);
    $("share-status").textContent = "Copied to the clipboard.";
  } catch {
    $("share-status").textContent = "Copy the link above.";
  }
}

function restoreSharedQuery(raw) {
  let query;
  try {
    query = fromBase64Url(decodeURIComponent(raw.split("&")[0]));
  } catch {
    showQueryError("This share link is damaged: it does not decode to a query.");
    return;
  }
  $("query").value = query;
  $("template").value = "";
  void runQuery();
}


/** Explorer scope: every cluster with a snapshot (the API concatenates per-cluster results). */
async function loadClusters() {
  const select = $("cluster");
  const current = select.value;
  let clusters = [];
  try {
    clusters = (await api("/api/clusters")).clusters ?? [];
  } catch {
    // the picker keeps "All clusters"
  }
  const names = [...new Set(clusters.filter((c) => c.lastSnapshotAt).map((c) => c.name))].sort();
  select.replaceChildren(el("option", { value: "" }, "All clusters"), ...names.map((n) => el("option", { value: n }, n)));
  select.value = names.includes(current) ? current : "";
}

function mount() {
  $("template").addEventListener("change", onTemplateChange);
  $("run").addEventListener("click", () => void runQuery());
  $("csv").addEventListener("click", () => void exportCsv());
  $("share").addEventListener("click", () => void share());
  $("query").addEventListener("input", () => { $("share-box").hidden = true; }); // the old link no longer matches
  $("query").addEventListener("keydown", (e) => {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      void runQuery();
    }
  });
  void loadTemplates();
}

export default {
  id: "explorer", title: "Explorer", mount, load: loadClusters,
  /** A share link (#explorer?q=…) opens the explorer with its query. */
  route(hash) {
    if (!hash.startsWith(SHARE_PREFIX)) return false;
    restoreSharedQuery(hash.slice(SHARE_PREFIX.length));
    return true;
  },
};
