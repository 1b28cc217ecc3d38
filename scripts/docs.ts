// `npm run docs`: writes the parts of docs/ that are facts of the code — node ids, explorer labels,
// structural edge kinds and the attack-technique table — between generated-block markers, so the
// prose around them stays hand-written. test/docs/generated.test.ts fails when a block is stale.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { NODE_KINDS } from "../shared/explorer/labels.js";
import { TECHNIQUES } from "../shared/graph/edges/index.js";
import { ids } from "../shared/graph/ids.js";
import { STRUCTURAL_KINDS } from "../shared/graph/structure.js";
import { packageRoot } from "../shared/package-root.js";

export interface GeneratedBlock {
  /** Path relative to the repository root. */
  file: string;
  /** Marker name: the block sits between `<!-- generated:NAME -->` and `<!-- /generated:NAME -->`. */
  name: string;
  render(): string;
}

const cell = (s: string) => s.replace(/\|/g, "\\|").replace(/\n/g, " ");
const list = (k: string | string[]) => (Array.isArray(k) ? k.join(" / ") : k);

/** Every node id form, rendered by the very functions that build ids (placeholders in capitals). */
function nodeIds(): string {
  const rows: [string, string][] = [
    ["cluster", ids.cluster("NAME")],
    ["namespace", ids.namespace("NAME")],
    ["node", ids.node("NAME")],
    ["pod", ids.pod("NS", "POD")],
    ["container", ids.container("NS", "POD", "CONTAINER")],
    ["volume", ids.volume("NS", "POD", "VOLUME")],
    ["endpoint", ids.endpoint("NS", "SERVICE_OR_POD", "PORT")],
    ["service", ids.service("NS", "NAME")],
    ["ingress", ids.ingress("NS", "NAME")],
    ["workload", ids.workload("NS", "KIND", "NAME")],
    ["identity", `${ids.serviceAccount("NS", "NAME")}, ${ids.user("NAME")}, ${ids.group("NAME")}`],
    ["permissionset", `${ids.permissionSet("ROLE", "BINDING")} (ClusterRoleBinding), ${ids.permissionSet("ROLE", "BINDING", "NS")} (RoleBinding)`],
    ["image", ids.image("REGISTRY/REPOSITORY:TAG")],
    ["vulnerability", ids.vulnerability("ID")],
    ["cloudidentity", ids.cloudIdentity("CLIENT_ID")],
    ["secret", ids.secret("NS", "NAME")],
    ["azurescope", `${ids.azureScope("/subscriptions/SUBSCRIPTION[/resourceGroups/RG[/providers/…]]")}, ${ids.azureScope("/providers/Microsoft.Management/managementGroups/GROUP")}`],
    ["secretfinding", ids.secretFinding("IMAGE", "LAYER_DIGEST", "PATH", "RULE", "FINGERPRINT")],
  ];
  const missing = NODE_KINDS.filter((k) => !rows.some(([kind]) => kind === k));
  if (missing.length) throw new Error(`scripts/docs.ts: no id form for node kind(s) ${missing.join(", ")}`);
  return ["| kind (explorer label) | id |", "|---|---|", ...rows.map(([k, id]) => `| \`${k}\` | ${id.split(", ").map((x) => x.replace(/^([^ ]+)/, "`$1`")).join(", ")} |`)].join("\n");
}

function structuralEdges(): string {
  return STRUCTURAL_KINDS.map((k) => `\`${k}\``).join(", ");
}

function techniques(): string {
  const head = ["| edge | source | from → to | entry | precondition | fix |", "|---|---|---|---|---|---|"];
  const rows = TECHNIQUES.map((t) =>
    `| \`${t.kind}\` | ${t.source} | ${list(t.from)} → ${list(t.to)} | ${t.initialAccess ? "yes" : t.attack ? "" : "structural"} | ${cell(t.precondition)} | ${cell(t.fix)} |`,
  );
  return [...head, ...rows].join("\n");
}

export const GENERATED: GeneratedBlock[] = [
  { file: "docs/graph.md", name: "node-ids", render: nodeIds },
  { file: "docs/graph.md", name: "structural-edges", render: structuralEdges },
  { file: "docs/graph.md", name: "techniques", render: techniques },
];


/** The file's text with every generated block of it re-rendered. */
export function regenerate(file: string, text: string): string {
  let out = text;
  for (const block of GENERATED.filter((b) => b.file === file)) {
    const start = `<!-- generated:${block.name} -->`;
    const end = `<!-- /generated:${block.name} -->`;
    const i = out.indexOf(start);
    const j = out.indexOf(end);
    if (i < 0 || j < i) throw new Error(`${file}: markers ${start} … ${end} are missing`);
    out = `${out.slice(0, i + start.length)}\n${block.render()}\n${out.slice(j)}`;
  }
  return out;
}

export function repositoryFile(file: string): string {
  return join(packageRoot(), file);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  for (const file of new Set(GENERATED.map((b) => b.file))) {
    const path = repositoryFile(file);
    const before = readFileSync(path, "utf8");
    const after = regenerate(file, before);
    if (after !== before) writeFileSync(path, after);
    console.log(`${file}: ${after === before ? "up to date" : "regenerated"}`);
  }
}
