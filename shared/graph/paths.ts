// Attack paths: breadth-first search over attack edges from entry points to crown jewels, bounded
// by hops, path count and a time budget. BFS gives each (entry, target) its shortest path, so
// paths are minimal and deduplicated by construction (and by key, defensively). Choke points are
// the intermediate nodes shared by the most paths; each path's fix breaks it at its best choke point.
import { createHash } from "node:crypto";
import type { GraphContext } from "./context.js";
import { TECHNIQUE_BY_KIND } from "./edges/index.js";
import type { AttackPath, ChokePoint, GraphEdge, GraphNode, Risk } from "./model.js";

export type EntryKind = "internet" | "image" | "container";

export interface PathOptions {
  maxHops?: number;
  maxPaths?: number;
  timeBudgetMs?: number;
  /** Which entry points to start from; default internet + compromised image. */
  entries?: EntryKind[];
  /** Per-entry cap, so one entry cannot consume the whole budget (default 100). */
  maxPathsPerEntry?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export interface PathResult {
  paths: AttackPath[];
  chokePoints: ChokePoint[];
  truncated: boolean;
}

export const DEFENDER_TITLES = {
  exposedPodRce: "Internet exposed Kubernetes pod is running a container with RCE vulnerabilities",
  hostNetworkRce: "Kubernetes pod running on an internet exposed node uses host network is running a container with RCE vulnerabilities",
} as const;

interface Entry {
  id: string;
  kind: EntryKind;
  /** Internet entries: endpoint or exposed node; only initial-access edges leave them. */
  phrase: string;
  rank: number;
}

const TARGET_PRIORITY: Record<string, number> = { cluster: 0, permissionset: 1, cloudidentity: 2, node: 3, secret: 4, container: 5 };

export function findPaths(ctx: GraphContext, nodes: GraphNode[], attackEdges: GraphEdge[], options: PathOptions = {}): PathResult {
  const maxHops = options.maxHops ?? 6;
  const maxPaths = options.maxPaths ?? 1000;
  const perEntry = options.maxPathsPerEntry ?? 100;
  const budget = options.timeBudgetMs ?? 5000;
  const now = options.now ?? Date.now;
  const started = now();
  const entryKinds = new Set(options.entries ?? ["internet", "image"]);

  // Dense indices for speed at 30k pods.
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const byIdx = nodes;
  const adjacency: number[][] = nodes.map(() => []);
  const initial = new Set(["ENDPOINT_EXPLOIT", "EXPLOIT_RCE_VULNERABILITY", "HOST_NETWORK_EXPOSED"]);
  // Edge ends as dense indices (no string lookups in the BFS loop).
  const fromIdx = new Int32Array(attackEdges.length);
  const toIdx = new Int32Array(attackEdges.length);
  for (let i = 0; i < attackEdges.length; i++) {
    fromIdx[i] = index.get(attackEdges[i]!.from) ?? -1;
    toIdx[i] = index.get(attackEdges[i]!.to) ?? -1;
  }
  // The RCE edge first, so BFS prefers it over the generic ENDPOINT_EXPLOIT to the same container.
  for (const pass of [0, 1, 2]) {
    for (let i = 0; i < attackEdges.length; i++) {
      const k = attackEdges[i]!.kind;
      const order = k === "EXPLOIT_RCE_VULNERABILITY" ? 0 : k === "HOST_NETWORK_EXPOSED" ? 1 : 2;
      if (order === pass && fromIdx[i]! >= 0 && toIdx[i]! >= 0) adjacency[fromIdx[i]!]!.push(i);
    }
  }

  const containerById = new Map(ctx.containers.map((c) => [c.id, c]));
  const rceContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.rce);
  const kevContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.knownExploited);
  const targetClass = (n: GraphNode): number | undefined => {
    if (n.kind === "permissionset") return n.properties.clusterAdmin === true ? TARGET_PRIORITY.permissionset : undefined;
    return n.kind in TARGET_PRIORITY && n.kind !== "container" ? TARGET_PRIORITY[n.kind] : undefined;
  };

  // Entries, strongest first so truncation drops the weakest.
  const entries: Entry[] = [];
  if (entryKinds.has("internet")) {
    for (const ep of ctx.endpoints) if (ep.exposed) entries.push({ id: ep.id, kind: "internet", phrase: "Internet exposed Kubernetes pod", rank: ep.targets.some((t) => t.internet && t.container.vulns?.rce) ? 0 : 1 });
    for (const n of ctx.nodes.values()) {
      if (!n.external || !(ctx.podsByNode.get(n.id) ?? []).some((p) => p.info.hostNetwork)) continue;
      entries.push({ id: n.id, kind: "internet", phrase: "Kubernetes pod running on an internet exposed node uses host network", rank: 0 });
    }
  }
  if (entryKinds.has("image")) {
    for (const c of ctx.containers) if (c.vulns && (c.vulns.knownExploited || c.vulns.rce)) {
      entries.push({ id: c.id, kind: "image", phrase: `Kubernetes pod is running a container with ${c.vulns.knownExploited ? "known exploited" : "RCE"} vulnerabilities`, rank: 2 });
    }
  }
  if (entryKinds.has("container")) for (const c of ctx.containers) entries.push({ id: c.id, kind: "container", phrase: "Compromised Kubernetes container", rank: 3 });
  entries.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

  const n = nodes.length;
  const stamp = new Int32Array(n).fill(-1);
  const parentEdge = new Int32Array(n);
  const depth = new Int32Array(n);
  const queue = new Int32Array(n);
  const seenKeys = new Set<string>();
  const paths: AttackPath[] = [];
  let truncated = false;
  let work = 0;

  outer: for (let ei = 0; ei < entries.length; ei++) {
    const entry = entries[ei]!;
    if (now() - started > budget) {
      truncated = true;
      break;
    }
    const start = index.get(entry.id);
    if (start === undefined) continue;
    const found: { target: number; cls: number; depth: number }[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    stamp[start] = ei;
    depth[start] = 0;
    parentEdge[start] = -1;
    while (head < tail) {
      const u = queue[head++]!;
      if ((++work & 1023) === 0 && now() - started > budget) {
        truncated = true;
        break outer;
      }
      // Until the hop bound is known to hide something, search a little past it (without
      // recording) to find out whether it does; afterwards stop at the bound.
      if (depth[u]! >= (truncated ? maxHops : maxHops * 2)) continue;
      for (const ei2 of adjacency[u]!) {
        const e = attackEdges[ei2]!;
        const firstHop = u === start;
        if (entry.kind === "internet") {
          if (firstHop !== initial.has(e.kind)) continue;
          if (firstHop && e.kind === "ENDPOINT_EXPLOIT" && e.properties?.internet !== true) continue;
        } else if (initial.has(e.kind)) continue;
        const v = toIdx[ei2]!;
        if (stamp[v] === ei) continue;
        stamp[v] = ei;
        parentEdge[v] = ei2;
        depth[v] = depth[u]! + 1;
        queue[tail++] = v;
        const node = byIdx[v]!;
        let cls = targetClass(node);
        if (depth[v]! > maxHops) {
          if (cls !== undefined) {
            truncated = true;
            tail = head; // a target lies beyond the bound: stop probing this entry
            break;
          }
          continue;
        }
        // Defender's two Kubernetes paths end at the vulnerable container itself.
        if (cls === undefined && firstHop && entry.kind === "internet" && node.kind === "container" && rceContainer(node.id)) cls = TARGET_PRIORITY.container;
        if (cls !== undefined) found.push({ target: v, cls: cls!, depth: depth[v]! });
      }
    }
    found.sort((a, b) => a.cls - b.cls || a.depth - b.depth);
    if (found.length > perEntry) truncated = true;
    for (const f of found.slice(0, perEntry)) {
      const edges: GraphEdge[] = [];
      for (let v = f.target; parentEdge[v]! >= 0; v = fromIdx[parentEdge[v]!]!) {
        const e = attackEdges[parentEdge[v]!]!;
        edges.push({ kind: e.kind, from: e.from, to: e.to });
      }
      edges.reverse();
      const target = byIdx[f.target]!;
      const key = `${entry.id}|${target.id}|${edges.map((e) => `${e.kind}>${e.to}`).join("|")}`;
      if (seenKeys.has(key)) continue;
      seenKeys.add(key);
      if (paths.length >= maxPaths) {
        truncated = true;
        break outer;
      }
      const exploited = edges.some((e) => e.kind === "EXPLOIT_RCE_VULNERABILITY") || (edges[0]?.kind === "HOST_NETWORK_EXPOSED" && rceContainer(edges[0].to)) || (entry.kind === "image");
      const kev = edges.slice(0, 1).some((e) => kevContainer(e.to)) || (entry.kind === "image" && kevContainer(entry.id));
      paths.push({
        id: createHash("sha256").update(key).digest("hex").slice(0, 16),
        title: titleFor(entry, target, edges, exploited),
        risk: riskFor(entry, target, exploited, kev),
        entry: entry.id,
        target: target.id,
        edges,
      });
    }
  }

  const chokePoints = computeChokePoints(paths);
  const cut = new Map(chokePoints.map((c) => [c.node, c.pathsCut]));
  for (const p of paths) p.fix = fixFor(p, cut);
  const RISK: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3 };
  paths.sort((a, b) => RISK[a.risk] - RISK[b.risk] || a.edges.length - b.edges.length || (a.id < b.id ? -1 : 1));
  return { paths, chokePoints: chokePoints.slice(0, 100), truncated };
}

function titleFor(entry: Entry, target: GraphNode, edges: GraphEdge[], exploited: boolean): string {
  if (entry.kind === "internet" && target.kind === "container" && edges.length === 1) {
    return edges[0]!.kind === "HOST_NETWORK_EXPOSED" ? DEFENDER_TITLES.hostNetworkRce : DEFENDER_TITLES.exposedPodRce;
  }
  const rce = entry.kind === "internet" && exploited;
  const base = rce ? `${entry.phrase} is running a container with RCE vulnerabilities` : entry.phrase;
  const subject = base.endsWith("vulnerabilities") ? `${base} that` : base;
  const outcome: Record<string, string> = {
    cluster: "can gain cluster admin privileges",
    permissionset: "can obtain cluster-admin-equivalent permissions",
    cloudidentity: "can obtain an Azure managed identity token",
    node: "can gain root on a Kubernetes node",
    secret: "can read a Kubernetes secret",
  };
  return `${subject} ${outcome[target.kind] ?? "can reach a sensitive asset"}`;
}

function riskFor(entry: Entry, target: GraphNode, exploited: boolean, kev: boolean): Risk {
  const internet = entry.kind === "internet";
  const jewel = target.kind !== "container";
  const major = ["cluster", "permissionset", "cloudidentity", "node"].includes(target.kind);
  if (internet && exploited && (jewel || kev)) return "critical";
  if (internet && (exploited || major)) return "high";
  if (internet || (entry.kind === "image" && major)) return "medium";
  return entry.kind === "container" || !major ? "low" : "medium";
}

export function computeChokePoints(paths: AttackPath[]): ChokePoint[] {
  const counts = new Map<string, number>();
  for (const p of paths) {
    const inner = new Set(p.edges.slice(1).map((e) => e.from));
    for (const node of inner) counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return [...counts.entries()].map(([node, pathsCut]) => ({ node, pathsCut })).sort((a, b) => b.pathsCut - a.pathsCut || (a.node < b.node ? -1 : 1));
}

/** The fix at the path's most shared intermediate node (or its only edge): technique remediation + where. */
function fixFor(p: AttackPath, cut: Map<string, number>): string {
  let best = p.edges[0];
  let bestCut = 0;
  for (const e of p.edges.slice(1)) {
    const c = cut.get(e.from) ?? 0;
    if (c > bestCut) {
      best = e;
      bestCut = c;
    }
  }
  if (!best) return "";
  const t = TECHNIQUE_BY_KIND.get(best.kind);
  return `${t?.fix ?? `Remove ${best.kind}`}: ${best.kind} ${best.from} -> ${best.to}`;
}
