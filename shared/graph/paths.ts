// Attack paths, in classes. For every entry point a breadth-first search over attack edges finds
// each crown jewel it reaches, its hop distance and the exact number of distinct shortest routes
// to it (counted, not enumerated). One (entry, target) pair is one class: its count is exact and
// at most `membersPerClass` routes are spelled out as member paths. Nothing is cut silently: the
// only bounds are hops and the time budget, and both set `truncated` when they hide something.
// Targets reached only through cluster admin are implied by that class (counted in `implies`),
// except Azure scopes, which lie outside the cluster.
import { createHash } from "node:crypto";
import type { GraphContext } from "./context.js";
import { TECHNIQUE_BY_KIND } from "./edges/index.js";
import type { AttackPath, ChokePoint, Fix, FixImpact, GraphEdge, GraphNode, PathClass, PathEdge, Risk } from "./model.js";

export type EntryKind = "internet" | "image" | "container";

export interface PathOptions {
  maxHops?: number;
  timeBudgetMs?: number;
  /** Which entry points to start from; default internet + compromised image. */
  entries?: EntryKind[];
  /** Member routes spelled out per class (default 5); `count` always has the exact total. */
  membersPerClass?: number;
  /** Clock, injectable for tests. */
  now?: () => number;
}

export interface PathResult {
  paths: AttackPath[];
  pathClasses: PathClass[];
  chokePoints: ChokePoint[];
  fixes: FixImpact[];
  truncated: boolean;
}

export const DEFENDER_TITLES = {
  exposedPodRce: "Internet exposed Kubernetes pod is running a container with RCE vulnerabilities",
  hostNetworkRce: "Kubernetes pod running on an internet exposed node uses host network is running a container with RCE vulnerabilities",
} as const;

interface Entry {
  id: string;
  kind: EntryKind;
  phrase: string;
  rank: number;
}

const TARGET_PRIORITY: Record<string, number> = { azurescope: 0, cluster: 1, permissionset: 2, cloudidentity: 3, node: 4, secret: 5, container: 6 };
const INITIAL = new Set(["ENDPOINT_EXPLOIT", "EXPLOIT_RCE_VULNERABILITY", "HOST_NETWORK_EXPOSED"]);
const RISK_ORDER: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function findPaths(ctx: GraphContext, nodes: GraphNode[], attackEdges: GraphEdge[], options: PathOptions = {}): PathResult {
  const maxHops = options.maxHops ?? 6;
  const members = Math.max(1, options.membersPerClass ?? 5);
  const budget = options.timeBudgetMs ?? 5000;
  const now = options.now ?? Date.now;
  const started = now();
  const entryKinds = new Set<EntryKind>(options.entries ?? ["internet", "image"]);

  // Dense indices: no string lookups in the search loops (30k pods).
  const index = new Map<string, number>();
  nodes.forEach((n, i) => index.set(n.id, i));
  const n = nodes.length;
  const fromIdx = new Int32Array(attackEdges.length);
  const toIdx = new Int32Array(attackEdges.length);
  const initialEdge = new Uint8Array(attackEdges.length);
  for (let i = 0; i < attackEdges.length; i++) {
    const e = attackEdges[i]!;
    fromIdx[i] = index.get(e.from) ?? -1;
    toIdx[i] = index.get(e.to) ?? -1;
    initialEdge[i] = INITIAL.has(e.kind) ? (e.kind === "ENDPOINT_EXPLOIT" && e.properties?.internet !== true ? 2 : 1) : 0;
  }
  const out: number[][] = Array.from({ length: n }, () => []);
  const inc: number[][] = Array.from({ length: n }, () => []);
  // The RCE edge first, so the first member of a class prefers it over the generic ENDPOINT_EXPLOIT.
  for (const pass of [0, 1, 2]) {
    for (let i = 0; i < attackEdges.length; i++) {
      const k = attackEdges[i]!.kind;
      const order = k === "EXPLOIT_RCE_VULNERABILITY" ? 0 : k === "HOST_NETWORK_EXPOSED" ? 1 : 2;
      if (order !== pass || fromIdx[i]! < 0 || toIdx[i]! < 0) continue;
      out[fromIdx[i]!]!.push(i);
      inc[toIdx[i]!]!.push(i);
    }
  }

  const containerById = new Map(ctx.containers.map((c) => [c.id, c]));
  const rceContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.rce);
  const kevContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.knownExploited);
  const targetClass = new Int8Array(n).fill(-1);
  const admin = new Uint8Array(n);
  nodes.forEach((node, i) => {
    if (node.kind === "permissionset") {
      if (node.properties.clusterAdmin === true) targetClass[i] = TARGET_PRIORITY.permissionset!;
    } else if (node.kind === "azurescope") {
      if (node.properties.crownJewel === true) targetClass[i] = TARGET_PRIORITY.azurescope!;
    } else if (node.kind in TARGET_PRIORITY && node.kind !== "container") targetClass[i] = TARGET_PRIORITY[node.kind]!;
    if (node.kind === "cluster" || (node.kind === "permissionset" && node.properties.clusterAdmin === true)) admin[i] = 1;
  });

  const entries = entryPoints(ctx, entryKinds);
  const stamp = new Int32Array(n).fill(-1);
  const depth = new Int32Array(n);
  const count = new Float64Array(n);
  // The cluster-admin target a node was first reached through (-1: none).
  const viaAdmin = new Int32Array(n);
  const queue = new Int32Array(n);
  const paths: AttackPath[] = [];
  const classes: PathClass[] = [];
  const memberEdges = new Map<string, number[][]>();
  let truncated = false;
  let work = 0;

  // Is edge i a legal step into depth d+1 from u, for this entry?
  const legal = (entry: Entry, i: number, firstHop: boolean): boolean => {
    const init = initialEdge[i]!;
    if (entry.kind === "internet") return firstHop ? init === 1 : init === 0;
    return init === 0;
  };

  outer: for (let ei = 0; ei < entries.length; ei++) {
    const entry = entries[ei]!;
    if (now() - started > budget) {
      truncated = true;
      break;
    }
    const start = index.get(entry.id);
    if (start === undefined) continue;
    const found: number[] = [];
    const implied = new Map<number, number>();
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    stamp[start] = ei;
    depth[start] = 0;
    count[start] = 1;
    viaAdmin[start] = -1;
    let probing = false;
    while (head < tail) {
      const u = queue[head++]!;
      if ((++work & 1023) === 0 && now() - started > budget) {
        truncated = true;
        break outer;
      }
      // Past the hop bound, search on (without recording) only to learn whether it hides a target.
      if (depth[u]! >= (truncated ? maxHops : maxHops * 2)) continue;
      const firstHop = u === start;
      const passAdmin = admin[u] && u !== start ? u : viaAdmin[u]!;
      for (const i of out[u]!) {
        if (!legal(entry, i, firstHop)) continue;
        const v = toIdx[i]!;
        if (stamp[v] === ei) {
          // Another shortest route into v: add its count.
          if (depth[v] === depth[u]! + 1) count[v] = Math.min(Number.MAX_SAFE_INTEGER, count[v]! + count[u]!);
          continue;
        }
        stamp[v] = ei;
        depth[v] = depth[u]! + 1;
        count[v] = count[u]!;
        viaAdmin[v] = passAdmin;
        queue[tail++] = v;
        let cls = targetClass[v]!;
        if (depth[v]! > maxHops) {
          if (cls >= 0 && !probing) {
            probing = true;
            truncated = true;
          }
          continue;
        }
        // Defender's two Kubernetes paths end at the vulnerable container itself.
        if (cls < 0 && firstHop && entry.kind === "internet" && nodes[v]!.kind === "container" && rceContainer(nodes[v]!.id)) cls = TARGET_PRIORITY.container!;
        if (cls < 0) continue;
        if (passAdmin >= 0 && nodes[v]!.kind !== "azurescope") implied.set(passAdmin, (implied.get(passAdmin) ?? 0) + 1);
        else found.push(v);
      }
    }
    for (const t of found) {
      const target = nodes[t]!;
      const routes = enumerate(t, start, members, (v) => inc[v]!, (i) => {
        const u = fromIdx[i]!;
        return stamp[u] === ei && depth[u] === depth[toIdx[i]!]! - 1 && legal(entry, i, u === start);
      }, (i) => fromIdx[i]!);
      if (!routes.length) continue;
      const first = routes[0]!.map((i) => attackEdges[i]!);
      const exploited = first.some((e) => e.kind === "EXPLOIT_RCE_VULNERABILITY") || (first[0]?.kind === "HOST_NETWORK_EXPOSED" && rceContainer(first[0].to)) || entry.kind === "image";
      const kev = (first[0] !== undefined && kevContainer(first[0].to)) || (entry.kind === "image" && kevContainer(entry.id));
      const title = titleFor(ctx, entry, target, first, exploited);
      const classId = digest(`${title}|${entry.id}|${target.id}`);
      const cls: PathClass = {
        id: classId, title, risk: riskFor(ctx, entry, target, exploited, kev), entry: entry.id, target: target.id,
        entryName: nameOf(nodes[start]!), targetName: nameOf(target), entryType: entryType(entry, nodes[start]!), targetType: target.kind,
        count: count[t]!, paths: [], hops: depth[t]!, reachesAzure: target.kind === "azurescope" || target.kind === "cloudidentity",
        ...(implied.get(t) ? { implies: implied.get(t) } : {}),
      };
      memberEdges.set(classId, routes);
      for (const route of routes) {
        const edges = route.map((i) => attackEdges[i]!);
        const path: AttackPath = {
          id: digest(`${entry.id}|${target.id}|${edges.map((e) => `${e.kind}>${e.to}`).join("|")}`),
          title, risk: cls.risk, entry: entry.id, target: target.id, classId,
          edges: edges.map((e) => explainEdge(ctx, e)),
        };
        const notes = notesFor(ctx, edges);
        if (notes.length) path.notes = notes;
        cls.paths.push(path.id);
        paths.push(path);
      }
      if (paths.at(-1)?.notes) cls.notes = paths.at(-1)!.notes;
      classes.push(cls);
    }
  }

  const { chokePoints, fixes } = rankChanges(ctx, classes, paths);
  const RISK = RISK_ORDER;
  classes.sort((a, b) => RISK[a.risk] - RISK[b.risk] || a.hops - b.hops || b.count - a.count || (a.id < b.id ? -1 : 1));
  // Members in class order, each class's preferred route first.
  const byId = new Map(paths.map((p) => [p.id, p]));
  const ordered = classes.flatMap((c) => c.paths.map((id) => byId.get(id)!));
  return { paths: ordered, pathClasses: classes, chokePoints: chokePoints.slice(0, 100), fixes: fixes.slice(0, 100), truncated };
}

/** Up to `limit` distinct shortest routes from `start` to `target`, walking predecessors back. */
function enumerate(target: number, start: number, limit: number, incoming: (v: number) => number[], ok: (i: number) => boolean, fromOf: (i: number) => number): number[][] {
  const routes: number[][] = [];
  const stack: number[] = [];
  const walk = (v: number): void => {
    if (routes.length >= limit) return;
    if (v === start) {
      routes.push([...stack].reverse());
      return;
    }
    for (const i of incoming(v)) {
      if (!ok(i)) continue;
      stack.push(i);
      walk(fromOf(i));
      stack.pop();
      if (routes.length >= limit) return;
    }
  };
  walk(target);
  return routes;
}

function entryPoints(ctx: GraphContext, kinds: Set<EntryKind>): Entry[] {
  const entries: Entry[] = [];
  if (kinds.has("internet")) {
    for (const ep of ctx.endpoints) if (ep.exposed) entries.push({ id: ep.id, kind: "internet", phrase: "Internet exposed Kubernetes pod", rank: ep.targets.some((t) => t.internet && t.container.vulns?.rce) ? 0 : 1 });
    for (const node of ctx.nodes.values()) {
      if (!node.external || !(ctx.podsByNode.get(node.id) ?? []).some((p) => p.info.hostNetwork)) continue;
      entries.push({ id: node.id, kind: "internet", phrase: "Kubernetes pod running on an internet exposed node uses host network", rank: 0 });
    }
  }
  if (kinds.has("image")) {
    for (const c of ctx.containers) if (c.vulns && (c.vulns.knownExploited || c.vulns.rce)) {
      entries.push({ id: c.id, kind: "image", phrase: `Kubernetes pod is running a container with ${c.vulns.knownExploited ? "known exploited" : "RCE"} vulnerabilities`, rank: 2 });
    }
  }
  if (kinds.has("container")) for (const c of ctx.containers) entries.push({ id: c.id, kind: "container", phrase: "Compromised Kubernetes container", rank: 3 });
  return entries.sort((a, b) => a.rank - b.rank || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function digest(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

function entryType(entry: Entry, node: GraphNode): string {
  if (entry.kind !== "internet") return entry.kind === "image" ? "vulnerable-image" : "container";
  if (node.kind === "node") return "host-network";
  return node.properties.ownerKind === "pod" ? "host-port" : "service";
}

/** A name a person recognises for a node. */
export function nameOf(node: GraphNode): string {
  const p = node.properties;
  switch (node.kind) {
    case "endpoint": return `${p.ownerKind === "service" ? "Service" : "pod"} ${node.namespace}/${p.owner}:${p.portName}`;
    case "container": return `${node.namespace}/${p.pod}/${node.name}`;
    case "node": return `node ${node.name}${p.pool ? ` (pool ${p.pool})` : ""}`;
    case "permissionset": return `${p.roleKind} ${p.role} via ${p.bindingKind} ${p.namespace ? `${p.namespace}/` : ""}${p.binding}`;
    case "cloudidentity": return `managed identity ${node.name}${p.clientId && p.clientId !== node.name ? ` (client id ${p.clientId})` : ""}`;
    case "azurescope": return `${p.scopeType === "resourceGroup" ? "resource group" : p.scopeType} ${node.name}`;
    case "secret": return `Secret ${node.namespace}/${node.name}`;
    case "cluster": return `cluster ${node.name}`;
    default: return node.namespace ? `${node.namespace}/${node.name}` : node.name;
  }
}

function titleFor(ctx: GraphContext, entry: Entry, target: GraphNode, edges: GraphEdge[], exploited: boolean): string {
  if (entry.kind === "internet" && target.kind === "container" && edges.length === 1) {
    return edges[0]!.kind === "HOST_NETWORK_EXPOSED" ? DEFENDER_TITLES.hostNetworkRce : DEFENDER_TITLES.exposedPodRce;
  }
  const rce = entry.kind === "internet" && exploited;
  const base = rce ? `${entry.phrase} is running a container with RCE vulnerabilities` : entry.phrase;
  const subject = base.endsWith("vulnerabilities") ? `${base} that` : base;
  if (target.kind === "azurescope") {
    const last = edges[edges.length - 1];
    const roles = ((last?.properties?.roles as string[] | undefined) ?? []).filter((r) => ctx.cloudIdentities.get(last!.from)?.grants.some((g) => g.roleName === r && g.capabilities.length));
    return `${subject} can obtain ${roles.join(", ") || "privileged access"} on Azure ${nameOf(target)}`;
  }
  const outcome: Record<string, string> = {
    cluster: "can gain cluster admin privileges",
    permissionset: "can obtain cluster-admin-equivalent permissions",
    cloudidentity: "can obtain an Azure managed identity token",
    node: "can gain root on a Kubernetes node",
    secret: "can read a Kubernetes secret",
  };
  return `${subject} ${outcome[target.kind] ?? "can reach a sensitive asset"}`;
}

function riskFor(ctx: GraphContext, entry: Entry, target: GraphNode, exploited: boolean, kev: boolean): Risk {
  const internet = entry.kind === "internet";
  // An Azure identity whose role assignments were read and hold no crown jewel is not a major target.
  const harmlessIdentity = target.kind === "cloudidentity" && ctx.cloudIdentities.get(target.id)?.azure === "known";
  const jewel = target.kind !== "container" && !harmlessIdentity;
  const major = ["azurescope", "cluster", "permissionset", "node"].includes(target.kind) || (target.kind === "cloudidentity" && !harmlessIdentity);
  if (internet && exploited && (jewel || kev)) return "critical";
  if (internet && (exploited || major)) return "high";
  if (internet || (entry.kind === "image" && major)) return "medium";
  return entry.kind === "container" || !major ? "low" : "medium";
}

function explainEdge(ctx: GraphContext, e: GraphEdge): PathEdge {
  const t = TECHNIQUE_BY_KIND.get(e.kind);
  const evidence = t ? t.evidence(ctx, e).filter(Boolean) : [];
  return { kind: e.kind, from: e.from, to: e.to, evidence: evidence.length ? evidence : [t?.precondition ?? e.kind] };
}

function notesFor(ctx: GraphContext, edges: GraphEdge[]): string[] {
  const notes: string[] = [];
  for (const e of edges) {
    const ci = e.kind === "CLOUD_IDENTITY_ASSUME" ? ctx.cloudIdentities.get(e.to) : undefined;
    if (ci?.azure === "unknown") notes.push(`Azure permissions unknown for ${ci.name ?? ci.clientId}: ${ci.azureReason ?? "role assignments could not be read"}`);
  }
  return notes;
}

function fixKey(f: Fix): string {
  return `${f.object}\u0000${f.field}`;
}

/**
 * Every path step's remedy is a candidate change. A change removes a class when every route of
 * the class has a step it removes — known only when all routes are spelled out (count = members).
 * Each path's fix is the candidate that removes the most classes among those that break it.
 */
function rankChanges(ctx: GraphContext, classes: PathClass[], paths: AttackPath[]): { chokePoints: ChokePoint[]; fixes: FixImpact[] } {
  const byId = new Map(paths.map((p) => [p.id, p]));
  const impact = new Map<string, FixImpact>();
  const fixesOfPath = new Map<string, Set<string>>();
  const remedies = new Map<string, Fix>();
  const remedyOf = (e: GraphEdge): Fix | undefined => {
    const k = `${e.kind}|${e.from}|${e.to}`;
    let f = remedies.get(k);
    if (!f) {
      const t = TECHNIQUE_BY_KIND.get(e.kind);
      if (!t) return undefined;
      remedies.set(k, (f = t.remedy(ctx, e)));
    }
    return f;
  };
  const nodeCuts = new Map<string, { paths: number; classes: number }>();
  for (const c of classes) {
    const members = c.paths.map((id) => byId.get(id)!);
    const complete = members.length === c.count;
    const perMember: Set<string>[] = [];
    const nodesPerMember: Set<string>[] = [];
    for (const p of members) {
      const keys = new Set<string>();
      for (const e of p.edges) {
        const f = remedyOf(e);
        if (!f || f.field === "-") continue;
        const k = fixKey(f);
        keys.add(k);
        if (!impact.has(k)) impact.set(k, { ...f, classesCut: 0, pathsCut: 0 });
      }
      for (const k of keys) impact.get(k)!.pathsCut++;
      fixesOfPath.set(p.id, keys);
      perMember.push(keys);
      const inner = new Set(p.edges.slice(1).map((e) => e.from));
      nodesPerMember.push(inner);
      for (const node of inner) {
        const cut = nodeCuts.get(node) ?? { paths: 0, classes: 0 };
        cut.paths++;
        nodeCuts.set(node, cut);
      }
    }
    if (!complete || !perMember.length) continue;
    for (const k of perMember[0]!) if (perMember.every((s) => s.has(k))) impact.get(k)!.classesCut++;
    for (const node of nodesPerMember[0]!) if (nodesPerMember.every((s) => s.has(node))) nodeCuts.get(node)!.classes++;
  }
  for (const p of paths) {
    let best: FixImpact | undefined;
    for (const k of fixesOfPath.get(p.id) ?? []) {
      const f = impact.get(k)!;
      if (!best || f.classesCut > best.classesCut || (f.classesCut === best.classesCut && f.pathsCut > best.pathsCut)) best = f;
    }
    if (best) p.fix = { text: best.text, object: best.object, field: best.field };
  }
  for (const c of classes) {
    const first = byId.get(c.paths[0]!);
    if (first?.fix) c.fix = first.fix;
  }
  const fixes = [...impact.values()].sort((a, b) => b.classesCut - a.classesCut || b.pathsCut - a.pathsCut || (a.text < b.text ? -1 : 1));
  const chokePoints = [...nodeCuts.entries()]
    .map(([node, c]) => ({ node, pathsCut: c.paths, classesCut: c.classes }))
    .sort((a, b) => b.pathsCut - a.pathsCut || (a.node < b.node ? -1 : 1));
  return { chokePoints, fixes };
}
