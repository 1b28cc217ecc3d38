// Recommendations view: posture controls by severity × number of affected resources, the list of
// controls, a drill-down to each failing resource with its fix (YAML patch, RBAC edit, az line),
// exempted resources apart (not scored), and each cluster's score with its trend over snapshots.
// Reads GET /api/recommendations and GET /api/compliance.
import { $, ago, api, badge, el, empty, errorBox, setContent } from "../core.js";

const SEVERITIES = ["critical", "high", "medium", "low"];
/** Columns of the matrix: how many resources a control fails on. */
const BUCKETS = [["1", (n) => n === 1], ["2–9", (n) => n >= 2 && n <= 9], ["10–99", (n) => n >= 10 && n <= 99], ["100+", (n) => n >= 100]];
const STATUS_BADGE = { fail: "high", error: "critical", pass: "ok", "not-assessed": "muted", "not-applicable": "muted" };
const REFERENCE_NAMES = { cisAks: "CIS AKS 1.8.0", kubescape: "Kubescape", pss: "Pod Security Standards", defender: "Defender for Cloud" };
/** Failing resources drawn per control; the rest are counted (a big cluster can fail thousands). */
const SHOWN = 200;
const ROUTE = "#recommendations";

const state = { recommendations: [], compliance: null, cluster: "", severity: "", bucket: "", selected: "" };

function describe(r) {
  return `${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}${r.container ? ` · container ${r.container}` : ""}`;
}

function mount() {
  $("view-recommendations").append(
    el("p", { class: "lede" }, "What to fix, where, and whether it is getting better: CIS AKS Benchmark, Pod Security Standards and Defender hardening controls evaluated on every cluster after each snapshot. Pick a control to see every failing resource with its fix."),
    el("div", { class: "filters" },
      el("label", { class: "filter" }, "Cluster ", el("select", { id: "posture-cluster", onchange: (e) => { state.cluster = e.target.value; state.selected = ""; void load(); } }, el("option", { value: "" }, "All clusters"))),
      el("span", { id: "posture-status", class: "muted", "aria-live": "polite" }),
    ),
    el("section", { class: "panel", "aria-labelledby": "posture-scores-title" }, el("h2", { id: "posture-scores-title" }, "Score per cluster"), el("div", { id: "posture-scores", class: "cards", "data-state": "loading" }, el("p", { class: "muted" }, "Loading…"))),
    el("section", { class: "panel", "aria-labelledby": "posture-matrix-title" }, el("h2", { id: "posture-matrix-title" }, "Failing controls by severity and affected resources"), el("div", { id: "posture-matrix", "data-state": "loading" })),
    el("div", { class: "posture-layout" },
      el("section", { class: "panel", "aria-labelledby": "posture-list-title" }, el("h2", { id: "posture-list-title" }, "Controls"), el("div", { id: "posture-list", "data-state": "loading" })),
      el("section", { id: "posture-detail", class: "panel", "aria-live": "polite" }, el("p", { class: "muted" }, "Select a control to see the affected resources and their fixes.")),
    ),
    el("section", { class: "panel", "aria-labelledby": "posture-exempted-title" }, el("h2", { id: "posture-exempted-title" }, "Exempted resources (not scored)"), el("div", { id: "posture-exempted" })),
  );
}

async function load() {
  const status = $("posture-status");
  status.textContent = "Loading…";
  const query = state.cluster ? `?cluster=${encodeURIComponent(state.cluster)}` : "";
  try {
    const [rec, comp] = await Promise.all([api(`/api/recommendations${query}`), api("/api/compliance")]);
    state.recommendations = rec.recommendations;
    state.compliance = comp;
  } catch (err) {
    status.textContent = "";
    for (const id of ["posture-scores", "posture-matrix", "posture-list"]) setContent($(id), "error", errorBox("recommendations", err));
    return;
  }
  const picker = $("posture-cluster");
  const names = state.compliance.clusters.map((c) => c.clusterName);
  picker.replaceChildren(el("option", { value: "" }, "All clusters"), ...names.map((n) => el("option", { value: n }, n)));
  picker.value = names.includes(state.cluster) ? state.cluster : "";
  const failing = state.recommendations.filter((r) => r.status === "fail");
  status.textContent = `${failing.length} failing controls, ${failing.reduce((n, r) => n + r.failedCount, 0)} failing resources`;
  renderScores();
  renderMatrix();
  renderList();
  renderDetail();
  renderExempted();
}

const SVG = "http://www.w3.org/2000/svg";
function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
  if (text !== undefined) node.textContent = text;
  return node;
}

/** The score over the cluster's evaluations (one point per changed outcome, oldest first), 0–100 upwards. */
function trendChart(history, clusterName) {
  const w = 220;
  const h = 56;
  const points = history.filter((p) => p.score !== null);
  const label = points.length ? `Score trend of ${clusterName}: ${points.map((p) => p.score).join(", ")}` : `No scored evaluation of ${clusterName} yet`;
  const chart = svg("svg", { class: "trend", width: w, height: h, viewBox: `0 0 ${w} ${h}`, role: "img", "aria-label": label, "data-points": points.length });
  chart.append(svg("title", {}, label), svg("line", { x1: 4, y1: h - 4, x2: w - 4, y2: h - 4, class: "trend-axis" }), svg("line", { x1: 4, y1: 4, x2: w - 4, y2: 4, class: "trend-axis" }));
  const x = (i) => (points.length === 1 ? w / 2 : 6 + (i * (w - 12)) / (points.length - 1));
  const y = (s) => h - 6 - (s * (h - 12)) / 100;
  if (points.length > 1) chart.append(svg("polyline", { class: "trend-line", points: points.map((p, i) => `${x(i)},${y(p.score)}`).join(" ") }));
  points.forEach((p, i) => {
    const dot = svg("circle", { class: "trend-point", cx: x(i), cy: y(p.score), r: 3, "data-score": p.score });
    dot.append(svg("title", {}, `${p.score} — snapshot collected ${p.collectedAt ?? "?"}, evaluated ${p.evaluatedAt}`));
    chart.append(dot);
  });
  return chart;
}

function renderScores() {
  const box = $("posture-scores");
  const view = state.compliance;
  const clusters = view.clusters.filter((c) => !state.cluster || c.clusterName === state.cluster);
  if (!clusters.length) return setContent(box, "empty", empty("No posture evaluation yet.", "Controls are evaluated after every snapshot of a bound cluster."));
  setContent(box, "ready",
    ...clusters.map((c) =>
      el("div", { class: "card score-card", "data-cluster": c.clusterName },
        el("div", { class: "card-label" }, c.clusterName),
        el("div", { class: "card-value score-value", "data-score": c.score ?? "" }, c.score === null ? "n/a" : String(c.score)),
        el("div", { class: "card-detail" }, `${c.controls.fail} failing · ${c.controls.pass} passing · ${c.controls.notAssessed} not assessed`),
        trendChart(c.history, c.clusterName),
        el("div", { class: "card-detail" }, "evaluated ", ago(c.evaluatedAt)),
      ),
    ),
    ...(state.cluster ? [] : view.subscriptions.map((s) =>
      el("div", { class: "card", "data-subscription": s.subscriptionId },
        el("div", { class: "card-label" }, "Subscription"),
        el("div", { class: "card-value" }, s.score === null ? "n/a" : String(s.score)),
        el("div", { class: "card-detail" }, el("code", {}, s.subscriptionId), ` · ${s.clusters} cluster${s.clusters === 1 ? "" : "s"}`),
      ))),
  );
}

function pickCell(severity, bucket) {
  const same = state.severity === severity && state.bucket === bucket;
  state.severity = same ? "" : severity;
  state.bucket = same ? "" : bucket;
  renderMatrix();
  renderList();
}

function renderMatrix() {
  const failing = state.recommendations.filter((r) => r.status === "fail");
  const head = el("tr", {}, el("th", { scope: "col" }, "Severity \\ failing resources"), ...BUCKETS.map(([label]) => el("th", { scope: "col", class: "num" }, label)), el("th", { scope: "col", class: "num" }, "Controls"));
  const rows = SEVERITIES.map((sev) => {
    const ofSev = failing.filter((r) => r.severity === sev);
    return el("tr", { "data-severity": sev },
      el("th", { scope: "row" }, badge(sev)),
      ...BUCKETS.map(([label, test]) => {
        const n = ofSev.filter((r) => test(r.failedCount)).length;
        const pressed = state.severity === sev && state.bucket === label;
        return el("td", { class: "num", "data-bucket": label },
          n ? el("button", { type: "button", class: "cell-button", "aria-pressed": pressed ? "true" : "false", title: `${n} ${sev} controls failing on ${label} resources`, onclick: () => pickCell(sev, label) }, String(n)) : el("span", { class: "count zero" }, "0"));
      }),
      el("td", { class: "num count" }, String(ofSev.length)),
    );
  });
  setContent($("posture-matrix"), "ready", el("table", { class: "data matrix", id: "posture-matrix-table" }, el("caption", { class: "visually-hidden" }, "Failing controls by severity and number of affected resources"), el("thead", {}, head), el("tbody", {}, rows)));
}

function visible() {
  const test = BUCKETS.find(([label]) => label === state.bucket)?.[1];
  return state.recommendations.filter((r) => !state.severity || (r.severity === state.severity && r.status === "fail" && test(r.failedCount)));
}

function renderList() {
  const box = $("posture-list");
  const recs = visible();
  if (!recs.length) return setContent(box, "empty", empty("No controls evaluated yet."));
  const filterNote = state.severity ? el("p", { class: "muted" }, `Showing ${state.severity} controls failing on ${state.bucket} resources · `, el("button", { type: "button", class: "step-node", onclick: () => pickCell(state.severity, state.bucket) }, "show all")) : null;
  const rows = recs.map((r) =>
    el("tr", { "data-control": r.id, "aria-selected": state.selected === r.id ? "true" : "false" },
      el("td", {}, badge(r.severity)),
      el("td", {}, el("button", { type: "button", class: "step-node", "data-open": r.id, onclick: () => select(r.id) }, r.title), el("div", {}, el("code", { class: "muted small" }, r.id))),
      el("td", {}, badge(r.status, STATUS_BADGE[r.status] ?? "muted")),
      el("td", { class: "num" }, String(r.failedCount)),
      el("td", { class: "num" }, String(r.passed)),
      el("td", { class: "num" }, r.exemptedCount ? String(r.exemptedCount) : ""),
    ),
  );
  setContent(box, "ready", filterNote,
    el("table", { class: "data", id: "posture-controls-table" },
      el("caption", { class: "visually-hidden" }, "Posture controls"),
      el("thead", {}, el("tr", {}, ...["Severity", "Control", "Status", "Failing", "Passing", "Exempted"].map((h, i) => el("th", { scope: "col", class: i >= 3 ? "num" : null }, h)))),
      el("tbody", {}, rows)));
}

function select(id) {
  state.selected = id;
  if (location.hash !== `${ROUTE}?control=${encodeURIComponent(id)}`) history.replaceState(null, "", `${ROUTE}?control=${encodeURIComponent(id)}`);
  for (const row of document.querySelectorAll("#posture-controls-table tr[data-control]")) row.setAttribute("aria-selected", row.dataset.control === id ? "true" : "false");
  renderDetail();
  $("posture-detail").scrollIntoView?.({ block: "nearest" });
}

function resourceItem(f) {
  return el("li", { class: "posture-resource", "data-resource": describe(f.resource) },
    el("details", {},
      el("summary", {}, el("strong", {}, describe(f.resource)), ` in ${f.clusterName} — `, f.detail),
      el("p", { class: "muted small" }, "Fix:"),
      el("pre", { class: "fix posture-fix" }, f.fix),
      el("p", { class: "muted small" }, "first seen ", ago(f.firstSeen), " · last seen ", ago(f.lastSeen)),
    ),
  );
}

function renderDetail() {
  const box = $("posture-detail");
  const r = state.recommendations.find((x) => x.id === state.selected);
  if (!r) return setContent(box, "empty", el("p", { class: "muted" }, "Select a control to see the affected resources and their fixes."));
  const refs = Object.entries(r.references ?? {}).map(([k, v]) => `${REFERENCE_NAMES[k] ?? k}: ${v}`);
  setContent(box, "ready",
    el("h2", { id: "posture-detail-title" }, r.title),
    el("p", {}, el("code", {}, r.id), " ", badge(r.severity), " ", badge(r.status, STATUS_BADGE[r.status] ?? "muted"), ` · ${r.category} · scope ${r.scope}`),
    el("p", {}, r.rationale),
    el("p", {}, el("strong", {}, "Remediation: "), r.remediation),
    refs.length ? el("p", { class: "muted small" }, refs.join(" · ")) : null,
    el("ul", { class: "insights posture-clusters" }, r.clusters.map((c) => el("li", {}, `${c.clusterName}: `, badge(c.status, STATUS_BADGE[c.status] ?? "muted"), ` ${c.failed} failing, ${c.passed} passing${c.exempted ? `, ${c.exempted} exempted` : ""}`, c.reason ? el("span", { class: "muted" }, ` — ${c.reason}`) : null))),
    el("h3", {}, `Failing resources (${r.failed.length})`),
    r.failed.length ? el("ul", { class: "posture-resources", id: "posture-failed" }, r.failed.slice(0, SHOWN).map(resourceItem)) : el("p", { class: "muted" }, "None."),
    r.failed.length > SHOWN ? el("p", { class: "muted" }, `… and ${r.failed.length - SHOWN} more (GET /api/recommendations?control=${r.id} lists them all).`) : null,
    r.exempted.length ? el("h3", {}, `Exempted (${r.exempted.length}, not scored)`) : null,
    r.exempted.length ? el("ul", { class: "posture-resources" }, r.exempted.map((e) => el("li", { "data-resource": describe(e.resource) }, `${describe(e.resource)} in ${e.clusterName}: ${e.reason}`, e.expires ? el("span", { class: "muted" }, ` (until ${e.expires})`) : null))) : null,
  );
}

function renderExempted() {
  const rows = state.recommendations.flatMap((r) => r.exempted.map((e) => ({ ...e, control: r })));
  const box = $("posture-exempted");
  if (!rows.length) return setContent(box, "empty", empty("No exempted resources.", "Exceptions (VANTAGE_POSTURE_EXCEPTIONS) exempt resources by control and scope until they expire; GET /api/exceptions lists them."));
  setContent(box, "ready", el("table", { class: "data", id: "posture-exempted-table" },
    el("caption", { class: "visually-hidden" }, "Exempted resources"),
    el("thead", {}, el("tr", {}, ...["Control", "Resource", "Cluster", "Reason", "Expires"].map((h) => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows.map((e) => el("tr", {},
      el("td", {}, el("button", { type: "button", class: "step-node", onclick: () => select(e.control.id) }, e.control.id)),
      el("td", {}, describe(e.resource)),
      el("td", {}, e.clusterName),
      el("td", {}, e.reason),
      el("td", {}, e.expires ?? "—"),
    )))));
}

/** `#recommendations?control=ID` opens that control (share links). */
function route(hash) {
  if (!hash.startsWith(ROUTE)) return false;
  const id = new URLSearchParams(hash.slice(ROUTE.length).replace(/^\?/, "")).get("control");
  if (id && id !== state.selected) {
    state.selected = id;
    if (state.recommendations.length) renderDetail();
  }
  return true;
}

export default { id: "recommendations", title: "Recommendations", mount, load, route };
