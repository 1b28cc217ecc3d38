// Vantage dashboard: views over the HTTP API, plain DOM, ES modules, no build step. Every value
// from the API goes through textContent (never innerHTML), so data cannot inject markup.
// A view is a module exporting {id, title, mount?, load?, show?, route?}; adding one is one line
// in VIEWS (its <section id="view-ID"> and tab are created when index.html has none).
import { $, el } from "./core.js";
import explorer from "./views/explorer.js";
import overview from "./views/overview.js";
import paths from "./views/paths.js";
import recommendations from "./views/recommendations.js";

const VIEWS = [overview, paths, explorer, recommendations];

function ensureView(view) {
  if (!$(`view-${view.id}`)) {
    $("main").append(el("section", { id: `view-${view.id}`, class: "view", hidden: true }, el("h1", {}, view.title)));
  }
  if (!document.querySelector(`[data-tab="${view.id}"]`)) {
    document.querySelector("nav .tabs")?.append(el("li", {}, el("a", { href: `#${view.id}`, "data-tab": view.id }, view.title)));
  }
}

function showTab(id) {
  for (const section of document.querySelectorAll(".view")) section.hidden = section.id !== `view-${id}`;
  for (const link of document.querySelectorAll("[data-tab]")) {
    if (link.dataset.tab === id) link.setAttribute("aria-current", "page");
    else link.removeAttribute("aria-current");
  }
  VIEWS.find((v) => v.id === id)?.show?.();
}

function route() {
  const hash = location.hash || `#${VIEWS[0].id}`;
  const claimed = VIEWS.find((v) => v.route?.(hash));
  const id = claimed?.id ?? hash.slice(1).split("?")[0];
  showTab(VIEWS.some((v) => v.id === id) ? id : VIEWS[0].id);
}

function refresh() {
  for (const v of VIEWS) void v.load?.();
}

for (const v of VIEWS) {
  ensureView(v);
  v.mount?.();
}
$("refresh").addEventListener("click", refresh);
window.addEventListener("hashchange", route);
route();
refresh();
