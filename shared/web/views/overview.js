// Overview view: subscriptions, clusters, images and findings, with summary cards.
import { $, ago, api, badge, countBy, el, empty, errorBox, setContent, SEVERITIES, shortDigest, table } from "../core.js";

const data = { clusters: [], images: [], findings: [], classes: [], subscriptions: [] };

async function load() {
  const sections = {
    subscriptions: () => api("/api/subscriptions").then((b) => (data.subscriptions = b.subscriptions)),
    clusters: () => api("/api/clusters").then((b) => (data.clusters = b.clusters)),
    images: () => api("/api/images").then((b) => (data.images = b.images)),
    findings: () => api("/api/findings").then((b) => (data.findings = b.findings)),
    paths: () => api("/api/attack-paths").then((b) => (data.classes = b.classes ?? b.paths)),
  };
  const names = Object.keys(sections);
  const results = await Promise.allSettled(names.map((n) => sections[n]()));
  const errors = Object.fromEntries(names.map((n, i) => [n, results[i].status === "rejected" ? results[i].reason : undefined]));
  renderSummary(errors);
  renderClusters(errors.clusters);
  renderFindings(errors.findings);
  renderImages(errors.images);
  renderSubscriptions(errors.subscriptions);
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
    card("Attack paths", dash("paths", data.classes.length), errors.paths ? null : `classes, ${data.classes.filter((p) => p.risk === "critical").length} critical`),
  );
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


export default { id: "overview", title: "Overview", load };
