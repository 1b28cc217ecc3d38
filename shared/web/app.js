// Vantage dashboard: three views over the HTTP API (CONTRACTS.md §6), plain DOM, no build step.
// Every value from the API goes through textContent (never innerHTML), so data cannot inject markup.

const SEVERITIES = ["critical", "high", "medium", "low", "unknown"];
const RISKS = ["critical", "high", "medium", "low"];
const SHARE_PREFIX = "#explorer?q=";

/* ------------------------------------------------------------------ helpers */

/** el("td", {class: "x"}, "text", childNode) — attributes starting with "on" become listeners. */
function el(tag, attrs = {}, ...children) {
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

const $ = (id) => document.getElementById(id);

function setContent(container, state, ...nodes) {
  container.dataset.state = state;
  container.replaceChildren(...nodes);
}

class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** Fetches JSON; non-2xx becomes an ApiError carrying the API's own {error:{code,message}}. */
async function api(path, init = {}) {
  let res;
  try {
    res = await fetch(path, { ...init, headers: { accept: "application/json", ...(init.headers ?? {}) } });
  } catch (err) {
    throw new ApiError(0, "NetworkError", `cannot reach the Vantage API (${err.message})`);
  }
  if (!res.ok) throw await errorFrom(res);
  return res.json();
}

async function errorFrom(res) {
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

function errorBox(what, err) {
  return el("div", { class: "error", role: "alert" }, el("strong", {}, `Could not load ${what}: `), err.message);
}

function empty(text, hint) {
  return el("div", { class: "empty" }, el("p", {}, text), hint ? el("p", { class: "muted" }, hint) : null);
}

function ago(iso) {
  if (!iso) return el("span", { class: "muted" }, "never");
  const ms = Date.now() - Date.parse(iso);
  if (!Number.isFinite(ms)) return iso;
  const units = [["d", 86_400_000], ["h", 3_600_000], ["min", 60_000]];
  const [unit, size] = units.find(([, size]) => Math.abs(ms) >= size) ?? ["s", 1000];
  const text = ms < 60_000 ? "just now" : `${Math.floor(ms / size)} ${unit} ago`;
  return el("time", { datetime: iso, title: new Date(iso).toLocaleString() }, text);
}

function badge(value, kind = value) {
  return el("span", { class: `badge badge-${kind}` }, value);
}

/** A table: columns are [header, cell(row) → Node|string, {numeric}]. */
function table(caption, columns, rows, attrs = {}) {
  return el("table", { class: "data", ...attrs },
    el("caption", { class: "visually-hidden" }, caption),
    el("thead", {}, el("tr", {}, columns.map(([h, , o]) => el("th", { scope: "col", class: o?.numeric ? "num" : null }, h)))),
    el("tbody", {}, rows.map((r) => el("tr", {}, columns.map(([, cell, o]) => el("td", { class: o?.numeric ? "num" : null }, cell(r)))))),
  );
}

const shortDigest = (d) => (d?.startsWith("sha256:") ? `sha256:${d.slice(7, 19)}` : d ?? "");
const kindOf = (id) => id.slice(0, id.indexOf(":"));
/** Node ids are "kind:rest" (CONTRACTS.md §5); the label is the rest. */
const labelOf = (id) => id.slice(id.indexOf(":") + 1);

/* ------------------------------------------------------------------ routing */

function parseHash() {
  const hash = location.hash || "#overview";
  if (hash.startsWith(SHARE_PREFIX)) return { tab: "explorer", q: hash.slice(SHARE_PREFIX.length) };
  const tab = hash.slice(1).split("?")[0];
  return { tab: ["overview", "paths", "explorer"].includes(tab) ? tab : "overview" };
}

function showTab(tab) {
  for (const view of document.querySelectorAll(".view")) view.hidden = view.id !== `view-${tab}`;
  for (const link of document.querySelectorAll("[data-tab]")) {
    if (link.dataset.tab === tab) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  if (tab === "paths") cy?.resize();
}

function route() {
  const { tab, q } = parseHash();
  showTab(tab);
  if (q !== undefined) restoreSharedQuery(q);
}

/* ------------------------------------------------------------------ overview */

const data = { clusters: [], images: [], findings: [], paths: [], subscriptions: [] };

async function loadOverview() {
  const sections = {
    subscriptions: () => api("/api/subscriptions").then((b) => (data.subscriptions = b.subscriptions)),
    clusters: () => api("/api/clusters").then((b) => (data.clusters = b.clusters)),
    images: () => api("/api/images").then((b) => (data.images = b.images)),
    findings: () => api("/api/findings").then((b) => (data.findings = b.findings)),
    paths: () => api("/api/attack-paths").then((b) => (data.paths = b.paths)),
  };
  const names = Object.keys(sections);
  const results = await Promise.allSettled(names.map((n) => sections[n]()));
  const errors = Object.fromEntries(names.map((n, i) => [n, results[i].status === "rejected" ? results[i].reason : undefined]));
  renderSummary(errors);
  renderClusters(errors.clusters);
  renderFindings(errors.findings);
  renderImages(errors.images);
  renderSubscriptions(errors.subscriptions);
  renderPathList(errors.paths);
  renderClusterPicker();
}

/** Explorer scope: every cluster with a snapshot (the API concatenates per-cluster results). */
function renderClusterPicker() {
  const select = $("cluster");
  const current = select.value;
  const names = [...new Set(data.clusters.filter((c) => c.lastSnapshotAt).map((c) => c.name))].sort();
  select.replaceChildren(el("option", { value: "" }, "All clusters"), ...names.map((n) => el("option", { value: n }, n)));
  select.value = names.includes(current) ? current : "";
}

function card(label, value, detail, cls = "") {
  return el("div", { class: `card ${cls}` }, el("div", { class: "card-value" }, value), el("div", { class: "card-label" }, label), detail ? el("div", { class: "card-detail" }, detail) : null);
}

function renderSummary(errors) {
  const bound = data.clusters.filter((c) => c.state === "bound").length;
  const bySeverity = countBy(data.findings, (f) => f.severity);
  const kev = data.findings.filter((f) => f.exploitability?.knownExploited).length;
  const dash = (name, v) => (errors[name] ? "—" : v);
  $("summary").replaceChildren(
    card("Subscriptions", dash("subscriptions", data.subscriptions.length)),
    card("Clusters", dash("clusters", data.clusters.length), errors.clusters ? null : `${bound} bound`),
    card("Images", dash("images", data.images.length), errors.images ? null : `${data.images.filter((i) => i.scannedAt).length} scanned`),
    card("Critical findings", dash("findings", bySeverity.critical ?? 0), errors.findings ? null : `${bySeverity.high ?? 0} high`, "card-critical"),
    card("Known exploited", dash("findings", kev), "in CISA's KEV catalog", "card-kev"),
    card("Attack paths", dash("paths", data.paths.length), errors.paths ? null : `${data.paths.filter((p) => p.risk === "critical").length} critical`),
  );
}

function countBy(items, key) {
  const out = {};
  for (const item of items) out[key(item)] = (out[key(item)] ?? 0) + 1;
  return out;
}

function apiServer(c) {
  if (c.privateCluster) return badge("private", "ok");
  return c.publicApiServer ? badge("public (internet)", "high") : badge("public, IP-restricted", "medium");
}

function renderClusters(err) {
  const box = $("clusters");
  if (err) return setContent(box, "error", errorBox("clusters", err));
  if (!data.clusters.length) return setContent(box, "empty", empty("No clusters onboarded yet.", "Onboard a subscription (POST /api/onboard) and Vantage discovers its AKS clusters."));
  const stateBadge = { bound: "ok", unbindable: "medium", failed: "high", discovered: "info" };
  setContent(box, "ready", table("Clusters", [
    ["Cluster", (c) => el("strong", {}, c.name)],
    ["Subscription", (c) => el("code", {}, c.subscriptionId)],
    ["State", (c) => badge(c.state, stateBadge[c.state] ?? "info")],
    ["Kubernetes", (c) => c.kubernetesVersion ?? "—"],
    ["API server", apiServer],
    ["Last snapshot", (c) => ago(c.lastSnapshotAt)],
    ["Notes", (c) => (c.reason || c.remediation
      ? el("div", { class: "notes" }, c.reason ? el("div", {}, c.reason) : null, c.remediation ? el("div", { class: "remediation" }, el("strong", {}, "Fix: "), c.remediation) : null)
      : "")],
  ], data.clusters, { id: "clusters-table" }));
}

function severityCounts(counts, prefix) {
  return el("ul", { class: "severity-counts", "aria-label": prefix },
    SEVERITIES.map((s) => el("li", { class: `sev sev-${s}`, "data-severity": s }, el("span", { class: "sev-count" }, counts[s] ?? 0), el("span", { class: "sev-name" }, s))));
}

function renderFindings(err) {
  const box = $("findings");
  if (err) return setContent(box, "error", errorBox("findings", err));
  if (!data.findings.length) {
    return setContent(box, "empty", empty(data.images.length ? "No vulnerabilities found in the scanned images." : "No images scanned yet.", data.images.length ? null : "Images are scanned after each cluster snapshot and when registries push new ones."));
  }
  const refOf = new Map(data.images.map((i) => [i.digest, i.refs[0] ?? i.digest]));
  const kev = data.findings.filter((f) => f.exploitability?.knownExploited);
  setContent(box, "ready",
    el("p", { class: "muted" }, `${data.findings.length} findings (one per vulnerability, package and image) in ${new Set(data.findings.map((f) => f.digest)).size} images.`),
    severityCounts(countBy(data.findings, (f) => f.severity), "Findings by severity"),
    el("h3", {}, `Known exploited (${kev.length})`),
    kev.length
      ? table("Known exploited vulnerabilities", [
        ["Vulnerability", (f) => el("code", {}, f.id)],
        ["Severity", (f) => badge(f.severity)],
        ["Package", (f) => `${f.package.name} ${f.package.version}`],
        ["Fixed in", (f) => f.fixedVersion ?? el("span", { class: "muted" }, f.fixStatus === "not-fixed" ? "no fix yet" : f.fixStatus)],
        ["EPSS", (f) => (f.exploitability.epss == null ? "—" : `${(f.exploitability.epss * 100).toFixed(1)} %`), { numeric: true }],
        ["Image", (f) => el("span", { title: f.digest }, refOf.get(f.digest) ?? shortDigest(f.digest))],
      ], kev, { id: "kev-table" })
      : el("p", { class: "muted" }, "None of the findings is in CISA's known exploited vulnerabilities catalog."),
  );
}

function renderImages(err) {
  const box = $("images");
  if (err) return setContent(box, "error", errorBox("images", err));
  if (!data.images.length) return setContent(box, "empty", empty("No images scanned yet."));
  const rank = (i) => SEVERITIES.map((s) => -(i.counts?.[s] ?? 0));
  const images = [...data.images].sort((a, b) => {
    const ra = rank(a), rb = rank(b);
    for (let k = 0; k < ra.length; k++) if (ra[k] !== rb[k]) return ra[k] - rb[k];
    return 0;
  });
  const count = (s) => [s[0].toUpperCase() + s.slice(1), (i) => el("span", { class: (i.counts?.[s] ?? 0) > 0 ? `count count-${s}` : "count zero" }, i.counts?.[s] ?? 0), { numeric: true }];
  setContent(box, "ready", table("Images by severity", [
    ["Image", (i) => el("div", {}, el("div", {}, i.refs[0] ?? "(no reference)"), el("code", { class: "muted small", title: i.digest }, shortDigest(i.digest)), i.refs.length > 1 ? el("span", { class: "muted small" }, ` +${i.refs.length - 1} more`) : null)],
    ["OS", (i) => i.os ?? "—"],
    ["Packages", (i) => i.packages ?? "—", { numeric: true }],
    ...SEVERITIES.map(count),
    ["Known exploited", (i) => el("span", { class: (i.counts?.knownExploited ?? 0) > 0 ? "count count-kev" : "count zero" }, i.counts?.knownExploited ?? 0), { numeric: true }],
    ["Scanned", (i) => (i.error ? el("span", { class: "error-text" }, i.error) : ago(i.scannedAt))],
  ], images, { id: "images-table" }));
}

function renderSubscriptions(err) {
  const box = $("subscriptions");
  if (err) return setContent(box, "error", errorBox("subscriptions", err));
  if (!data.subscriptions.length) return setContent(box, "empty", empty("No subscriptions onboarded yet.", "POST /api/onboard {\"subscriptionId\": \"…\"} starts onboarding."));
  const stateBadge = { onboarded: "ok", onboarding: "info", failed: "high", offboarded: "muted" };
  setContent(box, "ready", table("Subscriptions", [
    ["Subscription", (s) => el("code", {}, s.subscriptionId)],
    ["State", (s) => badge(s.state, stateBadge[s.state] ?? "info")],
    ["Operator identity", (s) => (s.identity ? el("code", { title: s.identity.resourceId }, s.identity.clientId) : "—")],
    ["Last run", (s) => ago(s.lastRunAt)],
    ["Error", (s) => (s.error ? el("span", { class: "error-text" }, s.error) : "")],
  ], data.subscriptions, { id: "subscriptions-table" }));
}

/* ------------------------------------------------------------------ attack paths */

let cy;
let selectedPath;
/** Cluster name → Promise<PathsReport | null> (null: the graph endpoint has nothing for it). */
const graphCache = new Map();

function renderPathList(err) {
  const box = $("path-list");
  if (err) return setContent(box, "error", errorBox("attack paths", err));
  if (!data.paths.length) return setContent(box, "empty", empty("No attack paths found.", data.clusters.length ? "None of the onboarded clusters has a path from an entry point to a target." : "Paths appear once clusters are onboarded and snapshotted."));
  const paths = [...data.paths].sort((a, b) => RISKS.indexOf(a.risk) - RISKS.indexOf(b.risk) || a.title.localeCompare(b.title));
  setContent(box, "ready", el("ul", { class: "paths", "aria-label": "Attack paths" }, paths.map((p) =>
    el("li", {}, el("button", {
      type: "button", class: "path-item", "data-path-id": p.id, "aria-pressed": selectedPath?.id === p.id ? "true" : "false",
      onclick: () => selectPath(p),
    },
    el("span", { class: "path-title" }, badge(p.risk), " ", p.title),
    el("span", { class: "path-meta" }, `${p.clusterName} · ${p.edges.length} step${p.edges.length === 1 ? "" : "s"}`))))));
  if (selectedPath && !paths.some((p) => p.id === selectedPath.id)) selectedPath = undefined;
}

function graphFor(clusterName) {
  if (!graphCache.has(clusterName)) {
    graphCache.set(clusterName, api(`/api/graphs/${encodeURIComponent(clusterName)}`).catch((err) => {
      if (err.status === 404) return null; // no graph route or no graph yet: details degrade to id + kind
      throw err;
    }));
  }
  return graphCache.get(clusterName);
}

function selectPath(path) {
  selectedPath = path;
  for (const b of document.querySelectorAll(".path-item")) b.setAttribute("aria-pressed", String(b.dataset.pathId === path.id));
  $("path-header").replaceChildren(
    el("h2", {}, badge(path.risk), " ", path.title),
    el("p", { class: "muted" }, `Cluster ${path.clusterName} · first seen `, ago(path.firstSeen), " · last seen ", ago(path.lastSeen)),
    path.fix ? el("p", { class: "fix" }, el("strong", {}, "Fix: "), path.fix) : null,
  );
  renderSteps(path);
  drawPath(path);
  $("node-details").replaceChildren(el("h2", { id: "node-details-title" }, "Node details"), el("p", { class: "muted" }, "Click a node in the graph."));
  void graphFor(path.clusterName).catch(() => {}); // warm the cache for node clicks
}

function renderSteps(path) {
  const nodeButton = (id) => el("button", { type: "button", class: `step-node kind-${kindOf(id)}`, onclick: () => selectNode(id) }, labelOf(id));
  $("path-steps").replaceChildren(
    el("li", {}, el("span", { class: "step-role" }, "Entry "), nodeButton(path.entry)),
    ...path.edges.map((e) => el("li", {}, el("span", { class: "step-edge" }, e.kind), " → ", nodeButton(e.to))),
  );
}

const KIND_COLORS = {
  cluster: "#5b6b7f", namespace: "#8a96a8", node: "#6c4ab6", pod: "#1f77b4", container: "#2ca0c8",
  volume: "#8c6d31", endpoint: "#d62728", service: "#e377c2", ingress: "#e45756", workload: "#17becf",
  identity: "#2ca02c", permissionset: "#bcbd22", image: "#7f7f7f", vulnerability: "#b8001f",
  cloudidentity: "#0b6e4f", secret: "#ff7f0e",
};

function drawPath(path) {
  if (typeof window.cytoscape !== "function") {
    $("cy").replaceChildren(errorBox("the graph library", new Error("/assets/vendor/cytoscape.min.js did not load")));
    return;
  }
  const ids = [...new Set([path.entry, ...path.edges.flatMap((e) => [e.from, e.to]), path.target])];
  const elements = [
    ...ids.map((id) => ({ data: { id, label: labelOf(id), kind: kindOf(id), color: KIND_COLORS[kindOf(id)] ?? "#555", role: id === path.entry ? "entry" : id === path.target ? "target" : "step" } })),
    ...path.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind } })),
  ];
  cy?.destroy();
  cy = window.cytoscape({
    container: $("cy"),
    elements,
    wheelSensitivity: 0.3,
    style: [
      { selector: "node", style: {
        "background-color": "data(color)", label: "data(label)", color: "#1b1f24",
        "font-size": 12, "text-valign": "center", "text-halign": "right", "text-margin-x": 8, "text-wrap": "ellipsis", "text-max-width": 260,
        width: 26, height: 26, "border-width": 2, "border-color": "#fff",
      } },
      { selector: "node[role = 'entry']", style: { shape: "round-rectangle", "border-color": "#d62728", "border-width": 4 } },
      { selector: "node[role = 'target']", style: { shape: "star", width: 34, height: 34, "border-color": "#b8001f", "border-width": 3 } },
      { selector: "node:selected", style: { "overlay-color": "#0b57d0", "overlay-opacity": 0.25, "overlay-padding": 6 } },
      { selector: "edge", style: {
        width: 2, "line-color": "#9aa4b2", "target-arrow-color": "#9aa4b2", "target-arrow-shape": "triangle", "curve-style": "bezier",
        // Paths are chains laid out top to bottom: an upright label boxed on the edge stays readable
        // and clear of the node labels, which sit to the right of their nodes.
        label: "data(kind)", "font-size": 10, color: "#3c4450", "text-rotation": "none",
        "text-background-color": "#eef1f5", "text-background-opacity": 1, "text-background-padding": 3, "text-background-shape": "round-rectangle",
      } },
    ],
    layout: { name: "breadthfirst", directed: true, roots: [path.entry], spacingFactor: 1.4, padding: 30 },
  });
  cy.on("tap", "node", (evt) => showNodeDetails(evt.target.id()));
  renderLegend([...new Set(ids.map(kindOf))]);
  window.cy = cy; // handy in the browser console and for the e2e tests
}

function renderLegend(kinds) {
  // Swatch colours are set through the CSSOM: the CSP forbids style attributes, not this.
  const swatch = (cls, color) => {
    const span = el("span", { class: `swatch ${cls}`, "aria-hidden": "true" });
    if (color) span.style.backgroundColor = color;
    return span;
  };
  $("graph-legend").replaceChildren(
    ...kinds.map((k) => el("li", {}, swatch("", KIND_COLORS[k] ?? "#555"), k)),
    el("li", {}, swatch("swatch-entry"), "entry point"),
    el("li", {}, swatch("swatch-target"), "target"),
  );
}

function selectNode(id) {
  if (cy) {
    cy.elements().unselect();
    cy.getElementById(id).select();
  }
  void showNodeDetails(id);
}

function keyValue(rows) {
  return el("dl", { class: "kv" }, rows.flatMap(([k, v]) => [el("dt", {}, k), el("dd", {}, v)]));
}

function formatValue(v) {
  if (v === null || v === undefined) return "—";
  if (typeof v === "object") return el("code", {}, JSON.stringify(v));
  return String(v);
}

async function showNodeDetails(id) {
  const panel = $("node-details");
  const role = selectedPath?.entry === id ? "entry point" : selectedPath?.target === id ? "target" : null;
  const basics = [["Id", el("code", { class: "node-id" }, id)], ["Kind", el("span", { class: "node-kind" }, kindOf(id))]];
  if (role) basics.push(["Role", role]);
  const render = (...extra) => panel.replaceChildren(el("h2", { id: "node-details-title" }, labelOf(id)), keyValue(basics), ...extra);
  panel.dataset.node = id;
  render(el("p", { class: "muted" }, "Loading details…"));
  let report;
  try {
    report = selectedPath ? await graphFor(selectedPath.clusterName) : null;
  } catch (err) {
    if (panel.dataset.node === id) render(errorBox("the cluster's graph", err));
    return;
  }
  if (panel.dataset.node !== id) return; // another node was clicked meanwhile
  const node = report?.graph?.nodes?.find((n) => n.id === id);
  if (!node) return render(el("p", { class: "muted" }, report ? "This node is not in the cluster's current graph." : "Properties and insights are not available for this cluster."));
  const props = Object.entries(node.properties ?? {});
  const insights = (report.insights ?? []).filter((i) => i.node === id);
  const choke = (report.chokePoints ?? []).find((c) => c.node === id);
  if (node.namespace) basics.push(["Namespace", node.namespace]);
  if (node.name) basics.push(["Name", node.name]);
  if (choke) basics.push(["Choke point", `removing it cuts ${choke.pathsCut} path${choke.pathsCut === 1 ? "" : "s"}`]);
  render(
    el("h3", {}, "Properties"),
    props.length ? keyValue(props.map(([k, v]) => [k, formatValue(v)])) : el("p", { class: "muted" }, "No properties."),
    el("h3", {}, "Insights"),
    insights.length
      ? el("ul", { class: "insights" }, insights.map((i) => el("li", {}, i.severity ? badge(i.severity) : null, " ", el("strong", {}, i.kind), i.evidence ? ` — ${i.evidence}` : "")))
      : el("p", { class: "muted" }, "No insights."),
  );
}

/* ------------------------------------------------------------------ explorer */

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

/* ------------------------------------------------------------------ start */

function refresh() {
  graphCache.clear();
  void loadOverview();
}

$("refresh").addEventListener("click", refresh);
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
window.addEventListener("hashchange", route);

route();
void loadOverview();
void loadTemplates();
