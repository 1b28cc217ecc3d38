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

interface Member {
  path: AttackPath;
  route: number[];
}

interface Entry {
  id: string;
  kind: EntryKind;
  phrase: string;
  rank: number;
}

const TARGET_PRIORITY: Record<string, number> = { azurescope: 0, cluster: 1, permissionset: 2, cloudidentity: 3, node: 4, secret: 5, secretfinding: 6, container: 7 };
const RISK_ORDER: Record<Risk, number> = { critical: 0, high: 1, medium: 2, low: 3 };

export function findPaths(ctx: GraphContext, nodes: GraphNode[], walk: WalkEdges, options: PathOptions = {}): PathResult {
  const maxHops = options.maxHops ?? 6;
  const members = Math.max(1, options.membersPerClass ?? 5);
  const budget = options.timeBudgetMs ?? 5000;
  const now = options.now ?? Date.now;
  const started = now();
  const entryKinds = new Set<EntryKind>(options.entries ?? ["internet", "image"]);
  const g = indexGraph(nodes, walk);
  const attackEdges = walk.edges;
  const { n, fromIdx, toIdx, outStart, outEdges, initialEdge } = g;

  const containerById = new Map(ctx.containers.map((c) => [c.id, c]));
  const rceContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.rce);
  const kevContainer = (id: string) => Boolean(containerById.get(id)?.vulns?.knownExploited);
  const targetClass = new Int8Array(n).fill(-1);
  const admin = new Uint8Array(n);
  const azureJewel = new Uint8Array(n);
  nodes.forEach((node, i) => {
    if (node.kind === "permissionset") {
      if (node.properties.clusterAdmin === true) targetClass[i] = TARGET_PRIORITY.permissionset!;
    } else if (node.kind === "azurescope") {
      if (node.properties.crownJewel === true) {
        targetClass[i] = TARGET_PRIORITY.azurescope!;
        azureJewel[i] = 1;
      }
    } else if (node.kind in TARGET_PRIORITY && node.kind !== "container") targetClass[i] = TARGET_PRIORITY[node.kind]!;
    if (node.kind === "cluster" || (node.kind === "permissionset" && node.properties.clusterAdmin === true)) admin[i] = 1;
  });

  const entries = entryPoints(ctx, entryKinds);
  const search = searchArrays(n);
  const { stamp, depth, count, queue } = search;
  const paths: AttackPath[] = [];
  const classes: PathClass[] = [];
  // Per class (same order), its member paths with their routes as edge indices.
  const memberRoutes: Member[][] = [];
  let truncated = false;
  let work = 0;
  const overBudget = () => (++work & 1023) === 0 && now() - started > budget;
  // A step is explained once, however many member paths share it (one object, less heap at 30k pods).
  const steps = new Map<number, PathEdge>();
  const explained = (i: number): PathEdge => {
    let step = steps.get(i);
    if (!step) steps.set(i, (step = explainEdge(ctx, attackEdges[i]!)));
    return step;
  };
  const reaches = new AdminReaches(g, admin, targetClass, azureJewel, maxHops, members);

  // Is edge i a legal step for this entry (first hop: out of the entry)?
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
    const start = g.index.get(entry.id);
    if (start === undefined) continue;
    // Breadth-first with route counts. Cluster-admin nodes are targets but not expanded: what they
    // reach is implied by their class, and only the Azure scopes past them are joined in below.
    const found: number[] = [];
    const admins: number[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = start;
    seed(search, ei, start);
    let probing = false;
    while (head < tail) {
      const u = queue[head++]!;
      if (overBudget()) {
        truncated = true;
        break outer;
      }
      if (admin[u] && u !== start) continue;
      // Past the hop bound, search on (without recording) only to learn whether it hides a target.
      if (depth[u]! >= (truncated ? maxHops : maxHops * 2)) continue;
      const firstHop = u === start;
      for (let k = outStart[u]!, end = outStart[u + 1]!; k < end; k++) {
        const i = outEdges[k]!;
        if (!legal(entry, i, firstHop)) continue;
        const v = toIdx[i]!;
        if (!relax(search, ei, u, v)) continue;
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
        found.push(v);
        if (admin[v]) admins.push(v);
      }
    }
    // A predecessor on a shortest route: reached at the depth before, expanded (not an admin sink).
    const onRoute = (i: number) => {
      const u = fromIdx[i]!;
      return stamp[u] === ei && depth[u] === depth[toIdx[i]!]! - 1 && (!admin[u] || u === start) && legal(entry, i, u === start);
    };
    const prefixes = (t: number, limit: number) => enumerate(t, start, limit, g, onRoute);

    // Azure scopes past cluster admin: shortest over (route to an admin node) + (admin → scope),
    // each route counted once, under the first admin node it passes.
    const viaAdmin = new Map<number, { hops: number; count: number; admins: number[] }>();
    for (const a of admins) {
      const r = reaches.of(a, overBudget);
      if (!r) {
        truncated = true;
        break outer;
      }
      for (const [s, suffix] of r.azure) {
        const hops = depth[a]! + suffix.hops;
        if (hops > maxHops) {
          truncated ||= !(stamp[s] === ei && depth[s]! <= maxHops);
          continue;
        }
        const best = viaAdmin.get(s);
        const routes = Math.min(Number.MAX_SAFE_INTEGER, count[a]! * suffix.count);
        if (!best || hops < best.hops) viaAdmin.set(s, { hops, count: routes, admins: [a] });
        else if (hops === best.hops) {
          best.count = Math.min(Number.MAX_SAFE_INTEGER, best.count + routes);
          best.admins.push(a);
        }
      }
    }
    const foundSet = new Set(found);
    const targets: { t: number; hops: number; count: number; routes: () => number[][] }[] = [];
    for (const t of found) {
      const via = viaAdmin.get(t);
      if (via && via.hops < depth[t]!) continue;
      const direct = { t, hops: depth[t]!, count: count[t]! };
      if (!via || via.hops > depth[t]!) targets.push({ ...direct, routes: () => prefixes(t, members) });
      else targets.push({ t, hops: via.hops, count: Math.min(Number.MAX_SAFE_INTEGER, direct.count + via.count), routes: () => {
        const routes = prefixes(t, members);
        return routes.concat(throughAdmins(t, via.admins, members - routes.length));
      } });
    }
    for (const [s, via] of viaAdmin) {
      if (foundSet.has(s) && depth[s]! <= via.hops) continue;
      targets.push({ t: s, hops: via.hops, count: via.count, routes: () => throughAdmins(s, via.admins, members) });
    }
    function throughAdmins(s: number, through: number[], limit: number): number[][] {
      const routes: number[][] = [];
      for (const a of through) {
        for (const suffix of reaches.of(a, () => false)!.azure.get(s)!.routes) {
          for (const prefix of prefixes(a, limit - routes.length)) routes.push(prefix.concat(suffix));
          if (routes.length >= limit) return routes;
        }
      }
      return routes;
    }

    for (const { t, hops, count: total, routes: routesOf } of targets) {
      const target = nodes[t]!;
      const routes = routesOf();
      if (!routes.length) continue;
      const first = routes[0]!.map((i) => attackEdges[i]!);
      const exploited = first.some((e) => e.kind === "EXPLOIT_RCE_VULNERABILITY") || (first[0]?.kind === "HOST_NETWORK_EXPOSED" && rceContainer(first[0].to)) || entry.kind === "image";
      const kev = (first[0] !== undefined && kevContainer(first[0].to)) || (entry.kind === "image" && kevContainer(entry.id));
      const title = titleFor(ctx, entry, target, first, exploited);
      const classId = digest(`${title}|${entry.id}|${target.id}`);
      const implies = admin[t] ? reaches.implied(t, found) : 0;
      const cls: PathClass = {
        id: classId, title, risk: riskFor(ctx, entry, target, exploited, kev), entry: entry.id, target: target.id,
        entryName: nameOf(nodes[start]!), targetName: nameOf(target), entryType: entryType(entry, nodes[start]!), targetType: target.kind,
        count: total, paths: [], hops, reachesAzure: target.kind === "azurescope" || target.kind === "cloudidentity",
        ...(implies ? { implies } : {}),
      };
      const ms: Member[] = [];
      for (const route of routes) {
        const edges = route.map((i) => attackEdges[i]!);
        const path: AttackPath = {
          id: digest(`${entry.id}|${target.id}|${edges.map((e) => `${e.kind}>${e.to}`).join("|")}`),
          title, risk: cls.risk, entry: entry.id, target: target.id, classId,
          edges: route.map(explained),
        };
        const notes = notesFor(ctx, edges);
        if (notes.length) path.notes = notes;
        cls.paths.push(path.id);
        paths.push(path);
        ms.push({ path, route });
      }
      memberRoutes.push(ms);
      if (paths.at(-1)?.notes) cls.notes = paths.at(-1)!.notes;
      classes.push(cls);
    }
  }

  const { chokePoints, fixes } = rankChanges(ctx, classes, memberRoutes, g, attackEdges, nodes);
  const RISK = RISK_ORDER;
  classes.sort((a, b) => RISK[a.risk] - RISK[b.risk] || a.hops - b.hops || b.count - a.count || (a.id < b.id ? -1 : 1));
  // Members in class order, each class's preferred route first.
  const byId = new Map(paths.map((p) => [p.id, p]));
  const ordered = classes.flatMap((c) => c.paths.map((id) => byId.get(id)!));
  return { paths: ordered, pathClasses: classes, chokePoints: chokePoints.slice(0, 100), fixes: fixes.slice(0, 100), truncated };
}

/** How an attack edge may be walked; also the order routes prefer (the RCE edge first). */
export const STEP = { rce: 0, hostNetwork: 1, endpoint: 2, inner: 3, internalEndpoint: 4 } as const;

/** The attack edges the path search walks, their ends as node indices. */
export interface WalkEdges {
  /** Graph node id → its index in the node array. */
  index: ReadonlyMap<string, number>;
  edges: GraphEdge[];
  from: Int32Array;
  to: Int32Array;
  step: Uint8Array;
}

interface IndexedGraph {
  n: number;
  index: ReadonlyMap<string, number>;
  fromIdx: Int32Array;
  toIdx: Int32Array;
  /** 1: an internet initial-access edge, 2: an ENDPOINT_EXPLOIT the internet does not reach, 0: other. */
  initialEdge: Uint8Array;
  /** Compressed adjacency: the edges out of node u are outEdges[outStart[u] .. outStart[u+1]). */
  outStart: Int32Array;
  outEdges: Int32Array;
  incStart: Int32Array;
  incEdges: Int32Array;
}

/** Dense indices and typed adjacency: no string lookups or per-node arrays in the search (30k pods). */
function indexGraph(nodes: GraphNode[], walk: WalkEdges): IndexedGraph {
  const { index } = walk;
  const n = nodes.length;
  const m = walk.edges.length;
  const { from: fromIdx, to: toIdx, step } = walk;
  const initialEdge = new Uint8Array(m);
  for (let i = 0; i < m; i++) initialEdge[i] = step[i]! <= STEP.endpoint ? 1 : step[i] === STEP.internalEndpoint ? 2 : 0;
  const adjacency = (ends: Int32Array) => {
    const start = new Int32Array(n + 1);
    for (let i = 0; i < m; i++) start[ends[i]! + 1]++;
    for (let u = 0; u < n; u++) start[u + 1] += start[u]!;
    const fill = start.slice(0, n);
    const list = new Int32Array(m);
    // The RCE edge first, so the first member of a class prefers it over the generic ENDPOINT_EXPLOIT.
    for (const pass of [STEP.rce, STEP.hostNetwork, -1]) {
      for (let i = 0; i < m; i++) {
        const s = step[i]!;
        if (pass === -1 ? s === STEP.rce || s === STEP.hostNetwork : s !== pass) continue;
        list[fill[ends[i]!]!++] = i;
      }
    }
    return { start, list };
  };
  const out = adjacency(fromIdx);
  const inc = adjacency(toIdx);
  return { n, index, fromIdx, toIdx, initialEdge, outStart: out.start, outEdges: out.list, incStart: inc.start, incEdges: inc.list };
}

interface AdminReach {
  /** In-cluster targets within the hop bound of the admin node (a bitset over node indices). */
  inCluster: Uint32Array;
  inClusterCount: number;
  /** Crown-jewel Azure scopes: hops from the admin node, route count, up to `members` routes. */
  azure: Map<number, { hops: number; count: number; routes: number[][] }>;
}

/**
 * Breadth-first bookkeeping with route counts, reused by many searches (`mark` tells them apart
 * without clearing): the search that last reached each node, its hop depth, and how many shortest
 * routes reach it.
 */
interface SearchArrays {
  stamp: Int32Array;
  depth: Int32Array;
  count: Float64Array;
  queue: Int32Array;
}

function searchArrays(n: number): SearchArrays {
  return { stamp: new Int32Array(n).fill(-1), depth: new Int32Array(n), count: new Float64Array(n), queue: new Int32Array(n) };
}

/** Search `mark` starts at `start`: depth 0, one route. */
function seed(s: SearchArrays, mark: number, start: number): void {
  s.stamp[start] = mark;
  s.depth[start] = 0;
  s.count[start] = 1;
}

/**
 * Step u → v of search `mark`. A node already reached gains u's routes when this is another
 * shortest way in; a new one gets u's depth + 1 and u's routes. True when v is new (enqueue it).
 */
function relax(s: SearchArrays, mark: number, u: number, v: number): boolean {
  const { stamp, depth, count } = s;
  if (stamp[v] === mark) {
    if (depth[v] === depth[u]! + 1) count[v] = Math.min(Number.MAX_SAFE_INTEGER, count[v]! + count[u]!);
    return false;
  }
  stamp[v] = mark;
  depth[v] = depth[u]! + 1;
  count[v] = count[u]!;
  return true;
}

/**
 * What each cluster-admin node reaches, searched once (not once per entry that reaches it): at
 * 30k pods every node root leads to cluster admin, and from there to the whole cluster.
 */
class AdminReaches {
  private readonly done = new Map<number, AdminReach>();
  private readonly search: SearchArrays;
  private runs = 0;

  constructor(
    private readonly g: IndexedGraph,
    private readonly admin: Uint8Array,
    private readonly targetClass: Int8Array,
    private readonly azureJewel: Uint8Array,
    private readonly maxHops: number,
    private readonly members: number,
  ) {
    this.search = searchArrays(g.n);
  }

  /** The admin node's reach; undefined when the time budget ran out during its search. */
  of(a: number, overBudget: () => boolean): AdminReach | undefined {
    const known = this.done.get(a);
    if (known) return known;
    const { search, g } = this;
    const { stamp, depth, count, queue } = search;
    const run = this.runs++;
    const inCluster = new Uint32Array((g.n + 31) >>> 5);
    let inClusterCount = 0;
    const jewels: number[] = [];
    let head = 0;
    let tail = 0;
    queue[tail++] = a;
    seed(search, run, a);
    // Azure scopes up to twice the bound: an entry's route to `a` plus these may still fit, or reveal a hidden target.
    while (head < tail) {
      const u = queue[head++]!;
      if (overBudget()) return undefined;
      if (depth[u]! >= this.maxHops * 2) continue;
      for (let k = g.outStart[u]!, end = g.outStart[u + 1]!; k < end; k++) {
        const i = g.outEdges[k]!;
        if (g.initialEdge[i] !== 0) continue;
        const v = g.toIdx[i]!;
        if (!relax(search, run, u, v)) continue;
        queue[tail++] = v;
        if (this.azureJewel[v]) jewels.push(v);
        else if (this.targetClass[v]! >= 0 && depth[v]! <= this.maxHops && !(inCluster[v >>> 5]! & (1 << (v & 31)))) {
          inCluster[v >>> 5]! |= 1 << (v & 31);
          inClusterCount++;
        }
      }
    }
    const onRoute = (i: number) => {
      const u = g.fromIdx[i]!;
      return stamp[u] === run && depth[u] === depth[g.toIdx[i]!]! - 1 && g.initialEdge[i] === 0;
    };
    const azure = new Map<number, { hops: number; count: number; routes: number[][] }>();
    for (const s of jewels) azure.set(s, { hops: depth[s]!, count: count[s]!, routes: enumerate(s, a, this.members, g, onRoute) });
    const reach = { inCluster, inClusterCount, azure };
    this.done.set(a, reach);
    return reach;
  }

  /** Targets the admin node reaches that are not classes of their own for this entry. */
  implied(a: number, found: number[]): number {
    const r = this.done.get(a);
    if (!r) return 0;
    let shared = 0;
    for (const t of found) if (r.inCluster[t >>> 5]! & (1 << (t & 31))) shared++;
    return r.inClusterCount - shared;
  }
}

/** Up to `limit` distinct shortest routes from `start` to `target`, walking predecessors back. */
function enumerate(target: number, start: number, limit: number, g: IndexedGraph, ok: (i: number) => boolean): number[][] {
  const routes: number[][] = [];
  if (limit <= 0) return routes;
  const stack: number[] = [];
  const walk = (v: number): void => {
    if (v === start) {
      routes.push([...stack].reverse());
      return;
    }
    for (let k = g.incStart[v]!, end = g.incStart[v + 1]!; k < end; k++) {
      const i = g.incEdges[k]!;
      if (!ok(i)) continue;
      stack.push(i);
      walk(g.fromIdx[i]!);
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
    case "azurescope": return `${SCOPE_WORDS[p.scopeType as string] ?? p.scopeType} ${node.name}`;
    case "secret": return `Secret ${node.namespace}/${node.name}`;
    case "cluster": return `cluster ${node.name}`;
    case "secretfinding": return `${p.title ?? p.rule} at /${p.path} in ${p.image}`;
    default: return node.namespace ? `${node.namespace}/${node.name}` : node.name;
  }
}

const SCOPE_WORDS: Record<string, string> = { managementGroup: "management group", resourceGroup: "resource group" };

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
    secretfinding: "can read a credential baked into an image",
  };
  return `${subject} ${outcome[target.kind] ?? "can reach a sensitive asset"}`;
}

function riskFor(ctx: GraphContext, entry: Entry, target: GraphNode, exploited: boolean, kev: boolean): Risk {
  const internet = entry.kind === "internet";
  // An Azure identity whose role assignments were read (in every subscription) and hold no crown jewel is not a major target.
  const ci = target.kind === "cloudidentity" ? ctx.cloudIdentities.get(target.id) : undefined;
  const harmlessIdentity = ci?.azure === "known" && !ci.azureUnread?.length;
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
    else for (const u of ci?.azureUnread ?? []) notes.push(`Azure permissions unknown in subscription ${u.subscriptionId} for ${ci!.name ?? ci!.clientId}: ${u.reason}`);
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
 * Works on edge and node indices: at 30k pods there are tens of thousands of member paths.
 */
function rankChanges(ctx: GraphContext, classes: PathClass[], members: Member[][], g: IndexedGraph, attackEdges: GraphEdge[], nodes: GraphNode[]): { chokePoints: ChokePoint[]; fixes: FixImpact[] } {
  const changes: FixImpact[] = [];
  const changeByKey = new Map<string, number>();
  const changeOfEdge = new Map<number, number>();
  // The change that removes edge i (-1: none).
  const changeOf = (i: number): number => {
    let c = changeOfEdge.get(i);
    if (c === undefined) {
      const e = attackEdges[i]!;
      const fix = TECHNIQUE_BY_KIND.get(e.kind)?.remedy(ctx, e);
      if (!fix || fix.field === "-") c = -1;
      else {
        const key = fixKey(fix);
        c = changeByKey.get(key);
        if (c === undefined) changeByKey.set(key, (c = changes.push({ ...fix, classesCut: 0, pathsCut: 0 }) - 1));
      }
      changeOfEdge.set(i, c);
    }
    return c;
  };
  const nodeCuts = new Map<number, { paths: number; classes: number }>();
  const changesOfPath = new Map<AttackPath, number[]>();
  classes.forEach((c, ci) => {
    const ms = members[ci]!;
    const perMember: number[][] = [];
    const nodesPerMember: number[][] = [];
    for (const { path, route } of ms) {
      const cs: number[] = [];
      for (const i of route) {
        const ch = changeOf(i);
        if (ch >= 0 && !cs.includes(ch)) cs.push(ch);
      }
      for (const ch of cs) changes[ch]!.pathsCut++;
      changesOfPath.set(path, cs);
      perMember.push(cs);
      const inner: number[] = [];
      for (let k = 1; k < route.length; k++) {
        const u = g.fromIdx[route[k]!]!;
        if (inner.includes(u)) continue;
        inner.push(u);
        const cut = nodeCuts.get(u);
        if (cut) cut.paths++;
        else nodeCuts.set(u, { paths: 1, classes: 0 });
      }
      nodesPerMember.push(inner);
    }
    if (ms.length !== c.count || !ms.length) return;
    for (const ch of perMember[0]!) if (perMember.every((m) => m.includes(ch))) changes[ch]!.classesCut++;
    for (const u of nodesPerMember[0]!) if (nodesPerMember.every((m) => m.includes(u))) nodeCuts.get(u)!.classes++;
  });
  for (const [path, cs] of changesOfPath) {
    let best: FixImpact | undefined;
    for (const ch of cs) {
      const f = changes[ch]!;
      if (!best || f.classesCut > best.classesCut || (f.classesCut === best.classesCut && f.pathsCut > best.pathsCut)) best = f;
    }
    if (best) path.fix = { text: best.text, object: best.object, field: best.field };
  }
  classes.forEach((c, ci) => {
    const first = members[ci]![0]?.path;
    if (first?.fix) c.fix = first.fix;
  });
  const fixes = changes.sort((a, b) => b.classesCut - a.classesCut || b.pathsCut - a.pathsCut || (a.text < b.text ? -1 : 1));
  const chokePoints = [...nodeCuts.entries()]
    .map(([u, c]) => ({ node: nodes[u]!.id, pathsCut: c.paths, classesCut: c.classes }))
    .sort((a, b) => b.pathsCut - a.pathsCut || (a.node < b.node ? -1 : 1));
  return { chokePoints, fixes };
}
