// Attack paths view: path classes with counts and filters (cluster, risk, entry type, target type,
// Azure-reaching); the selected class's preferred route drawn with Cytoscape, its fix on top with
// how many classes that one change removes, the evidence of every step (listed, and on a click on
// an edge), Azure identities and scopes drawn like any other node.
import { $, ago, api, badge, el, empty, errorBox, formatValue, keyValue, kindOf, labelOf, RISKS, setContent } from "../core.js";

let cy;
let selected;
let rows = [];
/** Cluster name → Promise<PathsReport | null> (null: the graph endpoint has nothing for it). */
const graphCache = new Map();

const FILTERS = [
  ["filter-cluster", "Cluster", (r) => r.clusterName],
  ["filter-risk", "Risk", (r) => r.risk],
  ["filter-entry", "Entry", (r) => r.entryType ?? "unknown"],
  ["filter-target", "Target", (r) => r.targetType ?? kindOf(r.target)],
];

const KIND_COLORS = {
  cluster: "#5b6b7f", namespace: "#8a96a8", node: "#6c4ab6", pod: "#1f77b4", container: "#2ca0c8",
  volume: "#8c6d31", endpoint: "#d62728", service: "#e377c2", ingress: "#e45756", workload: "#17becf",
  identity: "#2ca02c", permissionset: "#bcbd22", image: "#7f7f7f", vulnerability: "#b8001f",
  cloudidentity: "#0b6e4f", azurescope: "#0078d4", secret: "#ff7f0e", secretfinding: "#c45500",
};

/** A short label: Azure scopes by their last segment and type, image secrets by rule and file, everything else by its id. */
function nodeLabel(id) {
  if (kindOf(id) === "secretfinding") {
    // secretfinding:IMAGE|LAYER|PATH|RULE|FINGERPRINT
    const [, , path, rule] = labelOf(id).split("|");
    return `${rule ?? "secret"} in /${path ?? ""}`;
  }
  if (kindOf(id) === "azurescope") {
    const parts = labelOf(id).split("/").filter(Boolean);
    if (parts.length <= 2) return `subscription ${parts[1] ?? ""}`;
    if (parts.length <= 4) return `resource group ${parts[3]}`;
    return `${parts[parts.length - 2]} ${parts[parts.length - 1]}`;
  }
  return labelOf(id);
}

async function load() {
  const box = $("path-list");
  try {
    rows = (await api("/api/attack-paths")).paths ?? [];
  } catch (err) {
    setContent(box, "error", errorBox("attack paths", err));
    return;
  }
  graphCache.clear();
  renderFilters();
  renderList();
}

function renderFilters() {
  const box = $("path-filters");
  const previous = Object.fromEntries(FILTERS.map(([id]) => [id, $(id)?.value ?? ""]));
  const azurePrev = $("filter-azure")?.checked ?? false;
  box.replaceChildren(
    ...FILTERS.map(([id, label, key]) => {
      const values = [...new Set(rows.map(key))].sort((a, b) => (id === "filter-risk" ? RISKS.indexOf(a) - RISKS.indexOf(b) : String(a).localeCompare(String(b))));
      const select = el("select", { id, onchange: renderList }, el("option", { value: "" }, "All"), ...values.map((v) => el("option", { value: v }, `${v} (${rows.filter((r) => key(r) === v).length})`)));
      select.value = values.includes(previous[id]) ? previous[id] : "";
      return el("label", { class: "filter" }, `${label} `, select);
    }),
    el("label", { class: "filter" }, el("input", { type: "checkbox", id: "filter-azure", onchange: renderList, checked: azurePrev }), " Reaches Azure"),
  );
}

function visibleRows() {
  const azure = $("filter-azure")?.checked;
  return rows
    .filter((r) => FILTERS.every(([id, , key]) => !$(id)?.value || key(r) === $(id).value))
    .filter((r) => !azure || r.reachesAzure)
    .sort((a, b) => RISKS.indexOf(a.risk) - RISKS.indexOf(b.risk) || (a.hops ?? a.edges.length) - (b.hops ?? b.edges.length) || a.title.localeCompare(b.title));
}

function renderList() {
  const box = $("path-list");
  if (!rows.length) {
    return setContent(box, "empty", empty("No attack paths found.", "Paths appear once clusters are onboarded and snapshotted; none of the onboarded clusters has a path from an entry point to a target yet."));
  }
  const shown = visibleRows();
  $("path-count").textContent = `${shown.length} of ${rows.length} classes`;
  if (!shown.length) return setContent(box, "empty", empty("No class matches the filters."));
  setContent(box, "ready", el("ul", { class: "paths", "aria-label": "Attack path classes" }, shown.map((r) =>
    el("li", {}, el("button", {
      type: "button", class: "path-item", "data-path-id": r.id, "data-class-id": r.classId ?? r.id, "aria-pressed": selected?.id === r.id ? "true" : "false",
      // What the filters match on, for assistive tooling and the browser tests.
      "data-cluster": r.clusterName, "data-risk": r.risk, "data-entry-type": FILTERS[2][2](r), "data-target-type": FILTERS[3][2](r), "data-azure": String(Boolean(r.reachesAzure)),
      onclick: () => select(r),
    },
    el("span", { class: "path-title" }, badge(r.risk), " ", r.title),
    el("span", { class: "path-ends" }, `${r.entryName ?? labelOf(r.entry)} → ${r.targetName ?? labelOf(r.target)}`),
    el("span", { class: "path-meta" }, `${r.clusterName} · ${r.hops ?? r.edges.length} step${(r.hops ?? r.edges.length) === 1 ? "" : "s"} · ${r.count ?? 1} route${(r.count ?? 1) === 1 ? "" : "s"}${r.reachesAzure ? " · Azure" : ""}`))))));
  if (selected && !shown.some((r) => r.id === selected.id)) selected = undefined;
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

function select(row) {
  selected = row;
  for (const b of document.querySelectorAll(".path-item")) b.setAttribute("aria-pressed", String(b.dataset.pathId === row.id));
  const fix = row.fix ? el("p", { class: "fix", id: "path-fix" }, el("strong", {}, "Fix: "), row.fix.text ?? String(row.fix)) : null;
  $("path-header").replaceChildren(
    fix ?? "",
    el("h2", {}, badge(row.risk), " ", row.title),
    el("p", { class: "path-ends" }, `${row.entryName ?? labelOf(row.entry)} → ${row.targetName ?? labelOf(row.target)}`),
    el("p", { class: "muted" }, `Cluster ${row.clusterName} · ${row.count ?? 1} route${(row.count ?? 1) === 1 ? "" : "s"} (${row.members?.length ?? 1} listed) · first seen `, ago(row.firstSeen), " · last seen ", ago(row.lastSeen)),
    ...(row.notes ?? []).map((n) => el("p", { class: "note", role: "note" }, n)),
    row.implies ? el("p", { class: "muted" }, `Implies ${row.implies} further target(s) reached only through it.`) : "",
  );
  renderSteps(row);
  drawPath(row);
  $("node-details").replaceChildren(el("h2", { id: "node-details-title" }, "Node details"), el("p", { class: "muted" }, "Click a node or a step in the graph."));
  void graphFor(row.clusterName).then((report) => showImpact(row, report)).catch(() => {});
}

/** "This one change removes N classes", from the cluster graph's ranked fixes. */
function showImpact(row, report) {
  if (selected !== row || !row.fix?.object) return;
  const impact = (report?.fixes ?? []).find((f) => f.object === row.fix.object && f.field === row.fix.field);
  if (!impact) return;
  const p = $("path-fix");
  p?.append(el("span", { class: "impact" }, ` — this one change removes ${impact.classesCut} class${impact.classesCut === 1 ? "" : "es"} in ${row.clusterName}`));
  const top = (report.fixes ?? []).slice(0, 5);
  $("fix-panel").replaceChildren(
    el("h2", {}, `Changes that remove the most classes in ${row.clusterName}`),
    el("ol", {}, top.map((f) => el("li", {}, el("strong", {}, `${f.classesCut} class${f.classesCut === 1 ? "" : "es"}: `), f.text))),
  );
}

function renderSteps(row) {
  const nodeButton = (id) => el("button", { type: "button", class: `step-node kind-${kindOf(id)}`, onclick: () => selectNode(id) }, nodeLabel(id));
  $("path-steps").replaceChildren(
    el("li", {}, el("span", { class: "step-role" }, "Entry "), nodeButton(row.entry)),
    ...row.edges.map((e) => el("li", {},
      el("span", { class: "step-edge" }, e.kind), " → ", nodeButton(e.to),
      e.evidence?.length ? el("ul", { class: "evidence", "aria-label": `Evidence for ${e.kind}` }, e.evidence.map((x) => el("li", {}, x))) : "")),
  );
}

function drawPath(row) {
  if (typeof window.cytoscape !== "function") {
    $("cy").replaceChildren(errorBox("the graph library", new Error("/assets/vendor/cytoscape.min.js did not load")));
    return;
  }
  const ids = [...new Set([row.entry, ...row.edges.flatMap((e) => [e.from, e.to]), row.target])];
  const elements = [
    ...ids.map((id) => ({ data: { id, label: nodeLabel(id), kind: kindOf(id), color: KIND_COLORS[kindOf(id)] ?? "#555", role: id === row.entry ? "entry" : id === row.target ? "target" : "step" } })),
    ...row.edges.map((e, i) => ({ data: { id: `e${i}`, source: e.from, target: e.to, kind: e.kind } })),
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
      { selector: "node[kind = 'azurescope']", style: { shape: "hexagon", width: 32, height: 32 } },
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
    layout: { name: "breadthfirst", directed: true, roots: [row.entry], spacingFactor: 1.4, padding: 30 },
  });
  cy.on("tap", "node", (evt) => showNodeDetails(evt.target.id()));
  cy.on("tap", "edge", (evt) => showEdgeEvidence(row.edges[Number(evt.target.id().slice(1))]));
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

function showEdgeEvidence(e) {
  if (!e) return;
  const panel = $("node-details");
  panel.dataset.node = "";
  panel.replaceChildren(
    el("h2", { id: "node-details-title" }, e.kind),
    keyValue([["From", el("code", {}, e.from)], ["To", el("code", {}, e.to)]]),
    el("h3", {}, "Evidence"),
    e.evidence?.length ? el("ul", { class: "evidence", id: "edge-evidence" }, e.evidence.map((x) => el("li", {}, x))) : el("p", { class: "muted" }, "No evidence recorded."),
  );
}

function selectNode(id) {
  if (cy) {
    cy.elements().unselect();
    cy.getElementById(id).select();
  }
  void showNodeDetails(id);
}

async function showNodeDetails(id) {
  const panel = $("node-details");
  const role = selected?.entry === id ? "entry point" : selected?.target === id ? "target" : null;
  const basics = [["Id", el("code", { class: "node-id" }, id)], ["Kind", el("span", { class: "node-kind" }, kindOf(id))]];
  if (role) basics.push(["Role", role]);
  const render = (...extra) => panel.replaceChildren(el("h2", { id: "node-details-title" }, nodeLabel(id)), keyValue(basics), ...extra);
  panel.dataset.node = id;
  render(el("p", { class: "muted" }, "Loading details…"));
  let report;
  try {
    report = selected ? await graphFor(selected.clusterName) : null;
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
  if (choke) basics.push(["Choke point", `removing it cuts ${choke.pathsCut} path${choke.pathsCut === 1 ? "" : "s"}${choke.classesCut ? ` (${choke.classesCut} whole class${choke.classesCut === 1 ? "" : "es"})` : ""}`]);
  render(
    el("h3", {}, "Properties"),
    props.length ? keyValue(props.map(([k, v]) => [k, formatValue(v)])) : el("p", { class: "muted" }, "No properties."),
    el("h3", {}, "Insights"),
    insights.length
      ? el("ul", { class: "insights" }, insights.map((i) => el("li", {}, i.severity ? badge(i.severity) : null, " ", el("strong", {}, i.kind), i.evidence ? ` — ${i.evidence}` : "")))
      : el("p", { class: "muted" }, "No insights."),
  );
}

export default { id: "paths", title: "Attack paths", load, show: () => cy?.resize() };
